package http

import (
	"context"
	"time"
)

// The staff sign-in throttle slows guessing at one staff account from many
// addresses, and through every node, without locking its owner out: after
// staffFreeFailures failed sign-ins within staffFailureWindow, each further
// attempt must wait staffRetryAfter after the last failure. The owner
// waits half a minute at worst; a guesser spread over any number of
// addresses and nodes gets two tries a minute. The failures are kept in the
// store, so every node counts the same ones.
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

// staffSignInWait is how long a sign-in for email must wait now. A store
// that cannot answer lets the attempt through to the password check
// (which then fails the same way on a store that is down), rather than
// locking staff out.
func (s *Server) staffSignInWait(ctx context.Context, email string) time.Duration {
	now := s.Now()
	failures, err := s.Store.StaffSignInFailures(ctx, email, now.Add(-staffFailureWindow))
	if err != nil {
		s.Logger.Warn("staff sign-in throttle unreadable", "error", err)
		return 0
	}
	return staffWait(failures, now)
}

// staffSignInSucceeded forgets email's failures.
func (s *Server) staffSignInSucceeded(ctx context.Context, email string) {
	if err := s.Store.ClearStaffSignInFailures(ctx, email); err != nil {
		s.Logger.Warn("staff sign-in failures not cleared", "error", err)
	}
}
