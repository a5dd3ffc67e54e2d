// Package slaclock computes support deadlines in business time on a Chinese
// business calendar: working hours each working day, weekends off, the
// statutory holidays off, and the weekend days worked in exchange (调休)
// on. It is pure: the calendar is data, time is passed in.
package slaclock

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"time"
)

// Calendar is a team's business calendar.
type Calendar struct {
	// Location is the team's time zone (Asia/Shanghai).
	Location *time.Location
	// Open and Close bound the working day, as offsets from midnight.
	Open, Close time.Duration
	off, work   map[string]bool // "2006-01-02"
}

//go:embed cn_holidays.txt
var cnHolidays string

// China returns the mainland calendar for 2025-2026 with the given working
// hours (09:00-18:00 is Open 9h, Close 18h).
func China(open, close time.Duration) (*Calendar, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600) // no tz database: China has no DST
	}
	return ParseCalendar(cnHolidays, loc, open, close)
}

// ParseCalendar reads "YYYY-MM-DD off|work [name]" lines.
func ParseCalendar(data string, loc *time.Location, open, close time.Duration) (*Calendar, error) {
	if open < 0 || close > 24*time.Hour || open >= close {
		return nil, fmt.Errorf("working hours must satisfy 0 <= open < close <= 24h")
	}
	c := &Calendar{Location: loc, Open: open, Close: close, off: map[string]bool{}, work: map[string]bool{}}
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want 'YYYY-MM-DD off|work'", n)
		}
		if _, err := time.Parse("2006-01-02", f[0]); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch f[1] {
		case "off":
			c.off[f[0]] = true
		case "work":
			c.work[f[0]] = true
		default:
			return nil, fmt.Errorf("line %d: %q is neither off nor work", n, f[1])
		}
	}
	return c, sc.Err()
}

// IsWorkday reports whether the calendar day containing t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(c.Location)
	key := t.Format("2006-01-02")
	if c.work[key] {
		return true
	}
	if c.off[key] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// dayStart is midnight of t's day in the calendar's zone.
func (c *Calendar) dayStart(t time.Time) time.Time {
	t = t.In(c.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.Location)
}

// nextDay is midnight of the following day (safe across zone changes).
func (c *Calendar) nextDay(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, c.Location)
}

// Add returns the moment d of business time after start. Time outside
// working hours does not count, so a start outside them counts from the
// next opening (even for d = 0); a deadline that falls exactly at closing
// time stays there rather than moving to the next morning.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d < 0 {
		panic("slaclock: negative duration")
	}
	day := c.dayStart(start)
	for i := 0; i < 3660; i++ { // at most ten years of days
		if c.IsWorkday(day) {
			open, close := day.Add(c.Open), day.Add(c.Close)
			from := open
			if start.After(from) {
				from = start
			}
			if from.Before(close) {
				if left := close.Sub(from); d <= left {
					return from.Add(d)
				} else {
					d -= left
				}
			}
		}
		day = c.nextDay(day)
	}
	panic("slaclock: deadline beyond ten years")
}

// Between returns the business time elapsed from a to b (zero if b is not
// after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	var total time.Duration
	for day := c.dayStart(a); day.Before(b); day = c.nextDay(day) {
		if !c.IsWorkday(day) {
			continue
		}
		from, to := day.Add(c.Open), day.Add(c.Close)
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		if to.After(from) {
			total += to.Sub(from)
		}
	}
	return total
}

// AddWorkdays returns the deadline n whole business days after start: the
// same business moment n working days later ("reply within 3 business days").
func (c *Calendar) AddWorkdays(start time.Time, n int) time.Time {
	return c.Add(start, time.Duration(n)*(c.Close-c.Open))
}

// Span is a stretch of time, such as one during which a ticket was pending
// on the customer.
type Span struct{ From, To time.Time }

// Elapsed returns the business time from start to now, less the business
// time inside paused spans (the SLA clock stops while a ticket waits on
// the customer). Spans may overlap each other but are clipped to [start, now].
func (c *Calendar) Elapsed(start, now time.Time, paused []Span) time.Duration {
	total := c.Between(start, now)
	for _, p := range mergeSpans(paused, start, now) {
		total -= c.Between(p.From, p.To)
	}
	return total
}

// mergeSpans clips spans to [lo, hi] and merges overlaps, so that no paused
// time is subtracted twice.
func mergeSpans(spans []Span, lo, hi time.Time) []Span {
	var clipped []Span
	for _, s := range spans {
		if s.From.Before(lo) {
			s.From = lo
		}
		if s.To.After(hi) {
			s.To = hi
		}
		if s.To.After(s.From) {
			clipped = append(clipped, s)
		}
	}
	for i := 1; i < len(clipped); i++ { // insertion sort: spans are few
		for j := i; j > 0 && clipped[j].From.Before(clipped[j-1].From); j-- {
			clipped[j], clipped[j-1] = clipped[j-1], clipped[j]
		}
	}
	var out []Span
	for _, s := range clipped {
		if n := len(out); n > 0 && !s.From.After(out[n-1].To) {
			if s.To.After(out[n-1].To) {
				out[n-1].To = s.To
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// EndOfDay is the close of business on the working day containing t, or on
// the next working day when t is after hours or on a day off.
func (c *Calendar) EndOfDay(t time.Time) time.Time {
	start := c.Add(t, 0) // the next business moment at or after t
	return c.dayStart(start).Add(c.Close)
}

// FirstResponseDue is the first-response target of a ticket under the
// default policies.
func (c *Calendar) FirstResponseDue(channel, priority string, created time.Time) time.Time {
	return c.Due(Default().For(channel, priority).FirstResponse, created)
}

// IsOpen reports whether t falls inside working hours on a working day:
// from opening time up to, not including, closing time.
func (c *Calendar) IsOpen(t time.Time) bool {
	if !c.IsWorkday(t) {
		return false
	}
	day := c.dayStart(t)
	return !t.Before(day.Add(c.Open)) && t.Before(day.Add(c.Close))
}

// NextOpen is t itself during working hours, else the next opening.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	return c.Add(t, 0)
}
