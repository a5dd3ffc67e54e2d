package http

import (
	"context"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
)

// The staff sign-in throttle slows guessing at one staff account from many
// addresses, and through every node, without locking its owner out: after
// staffFreeFailures failed sign-ins within staffFailureWindow, each further
// attempt must wait staffRetryAfter after the last failure. The owner
// waits half a minute at worst; a guesser spread over any number of
// addresses and nodes gets two tries a minute. The failures are kept in the
// store, and each attempt is counted before its password is checked, so
// every node counts the same ones and parallel attempts get no more.
const (
	staffFreeFailures  = 5
	staffFailureWindow = 15 * time.Minute
	staffRetryAfter    = 30 * time.Second
	// maxStaffCodeLength is longer than any code staff type (six digits,
	// or a recovery code).
	maxStaffCodeLength = 64
)

// staffWait is how long the next attempt must wait at now after the
// given failures within the window, oldest first (zero: go).
func staffWait(failures []time.Time, now time.Time) time.Duration {
	if len(failures) < staffFreeFailures {
		return 0
	}
	return max(0, failures[len(failures)-1].Add(staffRetryAfter).Sub(now))
}

// staffSignIn runs one staff sign-in through the throttle: credentials no
// account could have (longer than any password or code) are refused as
// wrong without being checked or counted; otherwise the attempt is
// reserved as a failure (or refused with wait > 0 while the account must
// wait), checked, and the reservation kept for a wrong password or code,
// removed for anything else. A store that cannot keep the throttle fails
// the sign-in rather than letting guesses through uncounted.
func (s *Server) staffSignIn(ctx context.Context, email, pw, code, ip string) (a *okcare.Agent, tok string, wait time.Duration, err error) {
	wrong := okcare.Errorf(okcare.EINVALIDCREDENTIALS, "The email or password is wrong.")
	if len(pw) > 4*password.MaxLength || len(code) > maxStaffCodeLength {
		return nil, "", 0, wrong
	}
	ctx = context.WithoutCancel(ctx) // a client that leaves does not undo its count
	now := s.Now()
	id, failures, err := s.Store.ReserveStaffSignIn(ctx, email, now, now.Add(-staffFailureWindow),
		func(f []time.Time) bool { return staffWait(f, now) == 0 })
	if err != nil {
		return nil, "", 0, err
	}
	if wait := staffWait(failures, now); wait > 0 {
		return nil, "", wait, nil
	}
	a, tok, err = s.Store.AgentLogin(ctx, email, pw, code, ip)
	switch okcare.ErrorCode(err) {
	case okcare.EINVALIDCREDENTIALS, okcare.ETOTPINVALID:
		return nil, "", 0, err // the reservation stays: a failed guess
	case "":
		if err := s.Store.ClearStaffSignInFailures(ctx, email); err != nil {
			s.Logger.Warn("staff sign-in failures not cleared", "error", err)
		}
	default:
		if rerr := s.Store.ReleaseStaffSignIn(ctx, id); rerr != nil {
			s.Logger.Warn("staff sign-in reservation not released", "error", rerr)
		}
	}
	return a, tok, 0, err
}
