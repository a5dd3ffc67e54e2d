package contact

import (
	"fmt"
	"time"

	"github.com/okcare/okcare/slaclock"
)

// Window is a stretch of time promised to a customer.
type Window struct{ From, To time.Time }

// Callback windows a customer can ask for (okcare.CallbackWindows).
const (
	ASAP      = "asap"
	Morning   = "morning"
	Afternoon = "afternoon"
)

// Noon ends the morning window; the afternoon window starts at
// AfternoonStart (the team's lunch hour lies between).
const (
	Noon           = 12 * time.Hour
	AfternoonStart = 13 * time.Hour
)

// MinLead is the least time left in a window for it to be promised today:
// a morning call asked for at 11:50 is promised for the next working
// morning, not for the last ten minutes of this one.
const MinLead = 30 * time.Minute

// Part is the daily part of the phone team's day that window names:
// morning is opening to noon, afternoon 13:00 to closing, each clipped to
// the team's hours. ok is false for a window the team's hours leave empty
// (a team opening at 14:00 has no morning) or an unknown window.
func Part(cal *slaclock.Calendar, window string) (from, to time.Duration, ok bool) {
	switch window {
	case Morning:
		from, to = cal.Open, min(cal.Close, Noon)
	case Afternoon:
		from, to = max(cal.Open, AfternoonStart), cal.Close
	default:
		return 0, 0, false
	}
	return from, to, to-from >= MinLead
}

// Callback is when the phone team promises to call a customer who asked,
// at now, for window: for "morning" and "afternoon", that part of the
// first working day (on cal, with its holidays and 调休 days) in which at
// least MinLead of it is left; for "asap", from the next business moment
// to the phone channel's first-response target asap, moved to the next
// working day when less than MinLead of the target would be left.
func Callback(cal *slaclock.Calendar, asap slaclock.Target, window string, now time.Time) (Window, error) {
	if window == ASAP {
		from := cal.NextOpen(now)
		to := cal.Due(asap, from)
		if to.Sub(from) < MinLead {
			from = cal.NextOpen(to)
			to = cal.Due(asap, from)
		}
		return Window{from, to}, nil
	}
	start, end, ok := Part(cal, window)
	if !ok {
		return Window{}, fmt.Errorf("contact: no %q callback window in the team's hours", window)
	}
	now = ceilMinute(now.In(cal.Location))
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, cal.Location)
	for i := 0; i < 400; i++ {
		if cal.IsWorkday(day) {
			from, to := day.Add(start), day.Add(end)
			if now.Before(from) {
				return Window{from, to}, nil
			}
			if to.Sub(now) >= MinLead {
				return Window{now, to}, nil
			}
		}
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, cal.Location)
	}
	return Window{}, fmt.Errorf("contact: no working day in the next 400 days")
}

// ceilMinute rounds t up to a whole minute, so a promise reads "10:38", not
// a moment in the middle of one.
func ceilMinute(t time.Time) time.Time {
	if r := t.Truncate(time.Minute); !r.Equal(t) {
		return r.Add(time.Minute)
	}
	return t
}
