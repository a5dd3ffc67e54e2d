package http

import (
	"sync"
	"time"
)

// RateLimiter allows each key (a client address) a burst of requests that
// refills evenly over a period. It limits by address, never by account, so
// an attacker cannot use it to lock a victim out.
type RateLimiter struct {
	mu      sync.Mutex
	burst   float64
	per     time.Duration
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewRateLimiter allows burst requests per period per key.
func NewRateLimiter(burst int, per time.Duration) *RateLimiter {
	return &RateLimiter{burst: float64(burst), per: per, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket at time now.
func (l *RateLimiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > l.per { // forget full buckets so memory stays bounded
		for k, b := range l.buckets {
			if now.Sub(b.at) > l.per {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	// A clock that steps back (NTP, a test) refills nothing and takes
	// nothing away.
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens += elapsed.Seconds() / l.per.Seconds() * l.burst
		b.at = now
	}
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
