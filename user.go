package okcare

import (
	"context"
	"time"
)

// AccountState is the state of a user's account. Every change is kept as an
// AccountStateChange with a reason code, the actor and the time.
type AccountState string

// Account states.
const (
	AccountActive          AccountState = "active"
	AccountFrozen          AccountState = "frozen"
	AccountLoginRestricted AccountState = "login_restricted"
	AccountClosed          AccountState = "closed"
)

// Valid reports whether s is one of the known states.
func (s AccountState) Valid() bool {
	switch s {
	case AccountActive, AccountFrozen, AccountLoginRestricted, AccountClosed:
		return true
	}
	return false
}

// AccountStates lists every account state, for pages that label them.
var AccountStates = []AccountState{AccountActive, AccountFrozen, AccountLoginRestricted, AccountClosed}

// ReasonTooManyFailedLogins is the reason code the system uses when it
// restricts logins by itself after repeated failures. Such a restriction
// expires on its own and never blocks a device the user has logged in from
// before, so an attacker who guesses passwords cannot lock the owner out.
const ReasonTooManyFailedLogins = "too_many_failed_logins"

// Reason codes okcare writes itself or that staff use by convention.
const (
	ReasonIdentityVerified         = "identity_verified"
	ReasonIdentityVerifiedFourEyes = "identity_verified_four_eyes"
	ReasonPasswordReset            = "password_reset"
	ReasonSuspiciousActivity       = "suspicious_activity"
	ReasonRiskReview               = "risk_review"
	ReasonSecurityReview           = "security_review"
	ReasonUserRequest              = "user_request"
)

// StateReasons lists the known reason codes. A reason staff type that is
// not here is shown as written; one that okcare writes must be here, so
// that the console can put it in words.
var StateReasons = []string{ReasonTooManyFailedLogins, ReasonIdentityVerified, ReasonIdentityVerifiedFourEyes, ReasonPasswordReset,
	ReasonSuspiciousActivity, ReasonRiskReview, ReasonSecurityReview, ReasonUserRequest, ReasonCustomerRequest}

// User is an end user of the wallet. The password hash and TOTP secret never
// leave the storage layer.
type User struct {
	ID          string       `json:"id"`
	Email       string       `json:"email,omitempty"`
	Phone       string       `json:"phone,omitempty"`
	State       AccountState `json:"state"`
	StateReason string       `json:"state_reason,omitempty"`
	// RestrictedUntil is set for a login restriction that lifts by itself.
	RestrictedUntil *time.Time `json:"restricted_until,omitempty"`
	TOTPEnabled     bool       `json:"totp_enabled"`
	// Lang is the language the customer reads okcare's mail and SMS in.
	Lang      string    `json:"lang"`
	CreatedAt time.Time `json:"created_at"`
}

// EffectiveState returns the state in force at now: a login restriction
// whose time has passed counts as active.
func (u *User) EffectiveState(now time.Time) AccountState {
	if u.State == AccountLoginRestricted && u.RestrictedUntil != nil && !now.Before(*u.RestrictedUntil) {
		return AccountActive
	}
	return u.State
}

// AccountStateChange is one entry of an account's state history.
type AccountStateChange struct {
	UserID string       `json:"user_id"`
	From   AccountState `json:"from"`
	To     AccountState `json:"to"`
	Reason string       `json:"reason"`
	// Actor is "system", "user:<id>" or "agent:<id>".
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// Device describes the phone or tablet a session is bound to.
type Device struct {
	ID         string `json:"id"`
	Platform   string `json:"platform"`
	OSVersion  string `json:"os_version"`
	AppVersion string `json:"app_version"`
	Model      string `json:"model,omitempty"`
}

// Session is a logged-in device. The bearer token is shown once at login and
// stored only as a hash.
type Session struct {
	ID         string     `json:"id"`
	UserID     string     `json:"-"`
	Device     Device     `json:"device"`
	IP         string     `json:"ip,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt time.Time  `json:"last_seen_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	Current    bool       `json:"current,omitempty"`
	// DeviceKey, in a sign-in's answer only, is the key the device sends
	// with its next sign-ins to prove it is a device the account knows
	// (set when this sign-in was from a device without one).
	DeviceKey string `json:"device_key,omitempty"`
}

// RegisterRequest creates a user. At least one of Email and Phone is needed.
type RegisterRequest struct {
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
	// Lang is the language of the customer's mail and SMS (zh-CN when
	// empty).
	Lang string `json:"lang,omitempty"`
}

// LoginRequest is a login attempt from a device.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
	Device   Device `json:"device"`
	// DeviceKey is the key an earlier sign-in gave this device, if any:
	// the proof that it is a device the account knows.
	DeviceKey string `json:"device_key,omitempty"`
	IP        string `json:"-"`
}

// TOTPEnrolment is a pending two-factor enrolment: the secret and the
// otpauth:// URL a QR code is made from.
type TOTPEnrolment struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
}

// StateChangeRequest asks for an account state change.
type StateChangeRequest struct {
	UserID string
	To     AccountState
	Reason string
	Actor  string
	// Until, for a login restriction, is when it lifts by itself.
	Until *time.Time
}

// UserService manages users, their credentials, sessions and account state.
type UserService interface {
	// Register creates a user. Returns EINVALID, EWEAKPASSWORD, EALREADYREGISTERED.
	Register(ctx context.Context, req RegisterRequest) (*User, error)

	// SetUserLang remembers the language of the customer's mail and SMS.
	// Returns EINVALID, ENOTFOUND.
	SetUserLang(ctx context.Context, userID, lang string) error

	// FindUserByID returns ENOTFOUND if there is no such user.
	FindUserByID(ctx context.Context, id string) (*User, error)

	// FindUserByLogin finds a user by email or phone. Returns ENOTFOUND.
	FindUserByLogin(ctx context.Context, login string) (*User, error)

	// Login checks credentials and opens a session bound to the device,
	// returning the session and its bearer token. Every attempt is recorded.
	// Returns EINVALID, EINVALIDCREDENTIALS, ETOTPREQUIRED, ETOTPINVALID,
	// EACCOUNTFROZEN, ELOGINRESTRICTED, EACCOUNTCLOSED.
	Login(ctx context.Context, req LoginRequest) (*Session, string, error)

	// Authenticate resolves a bearer token. The session has its ID, UserID
	// and times, not its device or IP (ListSessions has them). Returns
	// EUNAUTHORIZED.
	Authenticate(ctx context.Context, token string) (*Session, *User, error)

	// AuthenticateAccount resolves a bearer token exactly as Authenticate
	// does (the same tokens are refused, and the use is recorded the same
	// way) but returns only the account: the user's ID, State, StateReason
	// and RestrictedUntil, no other field. It is the lookup of the app's
	// launch, which needs no more and runs on every launch; it reads fewer
	// pages. Returns EUNAUTHORIZED.
	AuthenticateAccount(ctx context.Context, token string) (*User, error)

	// ListSessions returns the user's sessions, newest first, revoked ones included.
	ListSessions(ctx context.Context, userID string) ([]*Session, error)

	// RevokeSession ends one of the user's sessions. Returns ENOTFOUND.
	RevokeSession(ctx context.Context, userID, sessionID string) error

	// ChangePassword replaces the password and revokes the user's other
	// sessions; it needs the current password and, with two-factor on, a
	// current code. Wrong ones count as failed sign-ins. Returns
	// EINVALIDCREDENTIALS, ETOTPREQUIRED, ETOTPINVALID, EWEAKPASSWORD,
	// ERATELIMITED (too many wrong ones).
	ChangePassword(ctx context.Context, userID, keepSessionID, current, next, code string) error

	// BeginTOTP starts (or restarts) a two-factor enrolment; it needs the
	// current password. Returns ECONFLICT if two-factor is already on,
	// EINVALIDCREDENTIALS, ERATELIMITED.
	BeginTOTP(ctx context.Context, userID, currentPassword string) (*TOTPEnrolment, error)

	// ConfirmTOTP turns two-factor on with a code from the pending secret and
	// returns single-use recovery codes. Returns ETOTPINVALID, ECONFLICT.
	ConfirmTOTP(ctx context.Context, userID, code string) ([]string, error)

	// DisableTOTP turns two-factor off with the current password and a
	// code. Returns EINVALIDCREDENTIALS, ETOTPINVALID, ERATELIMITED.
	DisableTOTP(ctx context.Context, userID, password, code string) error

	// ChangeState moves the account to another state and records why.
	// Returns EINVALID, ENOTFOUND, ECONFLICT (already in that state).
	ChangeState(ctx context.Context, req StateChangeRequest) (*User, error)

	// StateHistory returns the account's state changes, oldest first.
	StateHistory(ctx context.Context, userID string) ([]*AccountStateChange, error)
}
