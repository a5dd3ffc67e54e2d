package smtp

import (
	"sync"
	"time"
)

// SenderLimits bounds what one sender address gets within an hour: at
// most Acks acknowledgements (a flood of mail forged in a victim's name
// must not become a flood of our mail to the victim) and at most Messages
// messages accepted (the rest are deferred with a 451, which a real mail
// server retries later). The counts are per node, in memory.
type SenderLimits struct {
	Acks, Messages int
	Window         time.Duration

	mu   sync.Mutex
	acks map[string][]time.Time
	msgs map[string][]time.Time
}

// maxTracked bounds the senders remembered; past it the oldest hour's
// entries are dropped first.
const maxTracked = 100_000

// DefaultSenderLimits: 3 acknowledgements and 30 messages per hour.
func DefaultSenderLimits() *SenderLimits {
	return &SenderLimits{Acks: 3, Messages: 30, Window: time.Hour}
}

// ack says whether sender may get another acknowledgement now, and
// counts it if so. A nil SenderLimits allows everything.
func (l *SenderLimits) ack(sender string, now time.Time) bool {
	if l == nil {
		return true
	}
	return l.take(&l.acks, l.Acks, sender, now)
}

// message says whether another message from sender is accepted now.
func (l *SenderLimits) message(sender string, now time.Time) bool {
	if l == nil {
		return true
	}
	return l.take(&l.msgs, l.Messages, sender, now)
}

func (l *SenderLimits) take(m *map[string][]time.Time, max int, sender string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if *m == nil {
		*m = map[string][]time.Time{}
	}
	if len(*m) >= maxTracked {
		for k, ts := range *m {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= l.Window {
				delete(*m, k)
			}
		}
	}
	recent := (*m)[sender][:0]
	for _, t := range (*m)[sender] {
		if now.Sub(t) < l.Window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= max {
		(*m)[sender] = recent
		return false
	}
	(*m)[sender] = append(recent, now)
	return true
}
