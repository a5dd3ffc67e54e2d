// Package okcare holds the domain of the OK Wallet support system: the nouns
// (users, accounts, ledger entries, releases, incidents, agents) and the
// service interfaces that the storage and transport packages implement.
//
// The package does no I/O. Implementations live in subpackages named after
// what they depend on (sqldb, sqlite, postgres, http, smtp); pure logic lives
// in small packages with no I/O (ledger, version, totp, password).
package okcare

import (
	"errors"
	"fmt"
)

// Error codes are stable strings that clients may switch on. The HTTP layer
// maps each code to a status in one place (http/error.go).
const (
	// Generic codes.
	EINVALID      = "invalid_input"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
	ERATELIMITED  = "rate_limited"

	// Request decoding.
	EBODYTOOLARGE     = "body_too_large"
	EINVALIDJSON      = "invalid_json"
	EINVALIDUTF8      = "invalid_utf8"
	EUNKNOWNFIELD     = "unknown_field"
	EUNSUPPORTEDMEDIA = "unsupported_media_type"

	// Authentication and account state.
	EINVALIDCREDENTIALS = "invalid_credentials"
	ETOTPREQUIRED       = "totp_required"
	ETOTPINVALID        = "totp_invalid"
	EACCOUNTFROZEN      = "account_frozen"
	ELOGINRESTRICTED    = "login_restricted"
	EACCOUNTCLOSED      = "account_closed"
	EWEAKPASSWORD       = "weak_password"
	EALREADYREGISTERED  = "already_registered"

	// Money movement.
	EINSUFFICIENTFUNDS   = "insufficient_funds"
	EUNKNOWNASSET        = "unknown_asset"
	EINVALIDAMOUNT       = "invalid_amount"
	EIDEMPOTENCYMISSING  = "idempotency_key_required"
	EIDEMPOTENCYMISMATCH = "idempotency_mismatch"

	// Release policy.
	EINVALIDVERSION = "invalid_version"
)

// Error is a domain error with a stable machine-readable code and a message
// that is safe to show to the caller. Errors with code EINTERNAL carry a
// generic message; their cause is logged, never returned.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("okcare error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for any other error so that internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
