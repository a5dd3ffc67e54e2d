// Package contact says, for each way a customer can reach support, when
// the team behind it works, whether it is working right now and what first
// response it promises; when a requested phone callback will really come;
// and how long a customer waiting in the live-chat queue can expect to
// wait. It is pure: calendars, policies and the time are passed in, so the
// contact page, the chat and the callback form all tell the same truth.
package contact

import (
	"time"

	"github.com/okcare/okcare/slaclock"
)

// Channels the contact page lists, in its order. Web is the ticket form.
const (
	Chat  = "chat"
	Phone = "phone"
	Email = "email"
	Web   = "web"
)

// Order is the order the contact page lists the channels in: the fastest
// first.
var Order = []string{Chat, Phone, Email, Web}

// Desk is the support desk's configuration: the team calendars and the SLA
// policies that tickets are held to.
type Desk struct {
	// Calendar is the support team's calendar; nil means the mainland
	// calendar, 09:00-18:00.
	Calendar *slaclock.Calendar
	// Teams are the calendars of the teams answering a channel; a channel
	// without one uses Calendar.
	Teams map[string]*slaclock.Calendar
	// Policies are the SLA targets; nil means slaclock.Default().
	Policies slaclock.Policies
}

// CalendarFor is the calendar of the team answering channel.
func (d Desk) CalendarFor(channel string) *slaclock.Calendar {
	if c, ok := d.Teams[channel]; ok && c != nil {
		return c
	}
	return d.Calendar
}

// policies is the configured policies, or the defaults.
func (d Desk) policies() slaclock.Policies {
	if d.Policies != nil {
		return d.Policies
	}
	return slaclock.Default()
}

// Promise is the first-response target of channel at normal priority:
// what the contact page promises every customer.
func (d Desk) Promise(channel string) slaclock.Target {
	return d.policies().For(channel, "normal").FirstResponse
}

// Availability is one channel as the contact page shows it.
type Availability struct {
	Channel string
	// Open and Close are the team's daily hours on working days, as
	// offsets from midnight in the calendar's zone.
	Open, Close time.Duration
	// OpenNow reports whether the team is at work now; NextOpen is when it
	// next starts when it is not (else now).
	OpenNow  bool
	NextOpen time.Time
	// FirstResponse is the promised first response at normal priority.
	FirstResponse slaclock.Target
}

// Available describes channel at now.
func (d Desk) Available(channel string, now time.Time) Availability {
	cal := d.CalendarFor(channel)
	return Availability{Channel: channel, Open: cal.Open, Close: cal.Close,
		OpenNow: cal.IsOpen(now), NextOpen: cal.NextOpen(now), FirstResponse: d.Promise(channel)}
}

// All describes every channel of Order at now.
func (d Desk) All(now time.Time) []Availability {
	out := make([]Availability, 0, len(Order))
	for _, ch := range Order {
		out = append(out, d.Available(ch, now))
	}
	return out
}

// PerChat is how long an agent is taken to need, on average, before they
// can pick up the next waiting chat. It is a deliberately simple figure for
// the estimate below, not a measurement.
const PerChat = 3 * time.Minute

// Wait is a waiting chat customer's place in the queue.
type Wait struct {
	// Position is 1 for the next chat to be picked up.
	Position int
	// Estimate is the expected wait; zero when nobody is online to pick
	// the chat up, so there is no honest estimate.
	Estimate time.Duration
}

// EstimateWait places a customer with ahead chats waiting before them,
// while agents (who speak their language) are online. The agents share the
// queue: each round every agent picks up one chat about every perChat, so
// the customer is picked up in round ahead/agents + 1, and the estimate is
// that many rounds of perChat.
func EstimateWait(ahead, agents int, perChat time.Duration) Wait {
	if ahead < 0 {
		ahead = 0
	}
	w := Wait{Position: ahead + 1}
	if agents > 0 {
		w.Estimate = time.Duration(ahead/agents+1) * perChat
	}
	return w
}
