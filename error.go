// Package okcare holds the domain of the OK Wallet support system: the nouns
// (users, accounts, ledger entries, releases, incidents, agents) and the
// service interfaces that the storage and transport packages implement.
//
// The package does no I/O. Implementations live in subpackages named after
// what they depend on (sqldb, sqlite, postgres, http, smtp); pure logic lives
// in small packages with no I/O (ledger, version, totp, password).
package okcare

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
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

	// The request may be fine; the node cannot serve it now. EUNAVAILABLE:
	// the database is unreachable or did not answer within the request's
	// deadline, or the node is shutting down. ESTORAGEFULL: there is no
	// room left for the write. Both are worth retrying later, and neither
	// changed anything the client could rely on.
	EUNAVAILABLE = "unavailable"
	ESTORAGEFULL = "storage_full"
)

// errorClasses recognise the infrastructure errors of one store driver
// (registered by the sqlite and postgres packages as they load).
var errorClasses []func(error) string

// RegisterErrorClass adds a classifier that returns EUNAVAILABLE or
// ESTORAGEFULL for the driver errors it recognises and "" for others.
// Call it from a package's init only: the list is read without a lock.
func RegisterErrorClass(classify func(error) string) {
	errorClasses = append(errorClasses, classify)
}

// infrastructureCode is EUNAVAILABLE or ESTORAGEFULL when err is a failure
// of the database, network or disk rather than of the request, else "".
func infrastructureCode(err error) string {
	for _, classify := range errorClasses {
		if code := classify(err); code != "" {
			return code
		}
	}
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return ESTORAGEFULL
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), errors.As(err, &netErr),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return EUNAVAILABLE
	}
	return ""
}

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

// ErrorCode returns the code of the first *Error in err's chain;
// EUNAVAILABLE or ESTORAGEFULL for a database, network or disk failure
// (see RegisterErrorClass); EINTERNAL for any other non-nil error; and ""
// for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if code := infrastructureCode(err); code != "" {
		return code
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
	switch infrastructureCode(err) {
	case EUNAVAILABLE:
		return "The service is unavailable for a moment; please try again shortly."
	case ESTORAGEFULL:
		return "The service cannot store anything right now; please try again later."
	}
	return "Internal error."
}
