package http

import (
	"strings"
	"sync"
	"time"
)

// staffThrottle slows guessing at one staff account from many addresses
// without locking its owner out: after staffFreeFailures failed sign-ins
// within staffFailureWindow, each further attempt must wait staffRetryAfter
// after the last failure. The owner waits half a minute at worst; a guesser
// spread over any number of addresses gets two tries a minute. Per node.
type staffThrottle struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

const (
	staffFreeFailures  = 5
	staffFailureWindow = 15 * time.Minute
	staffRetryAfter    = 30 * time.Second
)

// wait is how long the next attempt for email must wait at now (zero: go).
func (t *staffThrottle) wait(email string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	recent := t.recent(email, now)
	if len(recent) < staffFreeFailures {
		return 0
	}
	if d := recent[len(recent)-1].Add(staffRetryAfter).Sub(now); d > 0 {
		return d
	}
	return 0
}

// fail records a failed sign-in for email at now.
func (t *staffThrottle) fail(email string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failures == nil {
		t.failures = map[string][]time.Time{}
	}
	key := strings.ToLower(strings.TrimSpace(email))
	t.failures[key] = append(t.recent(key, now), now)
}

// succeed forgets email's failures.
func (t *staffThrottle) succeed(email string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, strings.ToLower(strings.TrimSpace(email)))
}

// recent are email's failures within the window (the caller holds mu).
func (t *staffThrottle) recent(email string, now time.Time) []time.Time {
	list := t.failures[strings.ToLower(strings.TrimSpace(email))]
	i := 0
	for i < len(list) && now.Sub(list[i]) > staffFailureWindow {
		i++
	}
	return list[i:]
}
