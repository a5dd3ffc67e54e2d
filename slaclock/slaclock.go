// Package slaclock computes support deadlines in business time on a Chinese
// business calendar: working hours each working day, weekends off, the
// statutory holidays off, and the weekend days worked in exchange (调休)
// on. It is pure: the calendar is data, time is passed in.
//
// The holidays are known a year at a time, from the State Council's notice
// (usually published in November for the next year). Past the last known
// year the calendar counts weekends only, and says so: Coverage reports
// how far the data reaches, Provisional whether a deadline crosses a day
// past it. Validate checks a new year's schedule before it is used.
package slaclock

import (
	_ "embed"
	"fmt"
	"sync"
	"time"
)

// Calendar is a team's business calendar: its working hours over the
// holiday data of a Book, which several calendars (one per team) share.
// Past the data (a year whose holiday schedule is not known) every
// weekday counts as working and every weekend day as off; Provisional
// tells a deadline computed so.
type Calendar struct {
	// Location is the team's time zone (Asia/Shanghai).
	Location *time.Location
	// Open and Close bound the working day, as offsets from midnight.
	Open, Close time.Duration
	book        *Book
}

//go:embed cn_holidays.txt
var cnHolidays string

var shipped = sync.OnceValues(func() ([]Schedule, error) {
	s, problems := ParseSchedules(cnHolidays)
	if len(problems) > 0 {
		return nil, problems
	}
	return s, nil
})

// Shipped returns the holiday schedules okcare ships (cn_holidays.txt:
// 2025 and 2026).
func Shipped() []Schedule {
	s, err := shipped()
	if err != nil {
		panic("slaclock: shipped holidays: " + err.Error()) // embedded: a broken file is a build defect
	}
	return append([]Schedule(nil), s...)
}

// Shanghai is the mainland's time zone (a fixed UTC+8 where the system
// has no time zone database: China has no daylight saving time).
func Shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return loc
}

// New returns a calendar with the given working hours on book's holidays
// (09:00-18:00 is open 9h, close 18h).
func New(loc *time.Location, open, close time.Duration, book *Book) (*Calendar, error) {
	if open < 0 || close > 24*time.Hour || open >= close {
		return nil, fmt.Errorf("working hours must satisfy 0 <= open < close <= 24h")
	}
	if book == nil {
		book = NewBook(nil)
	}
	return &Calendar{Location: loc, Open: open, Close: close, book: book}, nil
}

// China returns the mainland calendar on the shipped holidays, with the
// given working hours, on a book of its own.
func China(open, close time.Duration) (*Calendar, error) {
	return New(Shanghai(), open, close, NewBook(NewData(Shipped()...)))
}

// ParseCalendar reads "YYYY-MM-DD off|work [name]" lines (holiday and
// workday, "year" lines and date ranges are accepted too) into a calendar
// on a book of its own. Each year with a line counts as known. The
// contents are not validated: this is the operator's own file.
func ParseCalendar(data string, loc *time.Location, open, close time.Duration) (*Calendar, error) {
	schedules, err := ParseHolidaysFile(data)
	if err != nil {
		return nil, err
	}
	return New(loc, open, close, NewBook(NewData(schedules...)))
}

// ParseHolidaysFile reads a --holidays-file: ParseSchedules' format, where
// "year" lines and names may be left out.
func ParseHolidaysFile(data string) ([]Schedule, error) {
	schedules, problems := parseSchedules(data, false)
	if len(problems) > 0 {
		return nil, problems
	}
	return schedules, nil
}

// Book returns the holiday data the calendar reads.
func (c *Calendar) Book() *Book { return c.book }

// WithData returns the calendar's working hours on fixed data d (to
// compare deadlines before and after an import).
func (c *Calendar) WithData(d *Data) *Calendar {
	return &Calendar{Location: c.Location, Open: c.Open, Close: c.Close, book: NewBook(d)}
}

// WithHours returns a calendar on the same holiday data with other hours.
func (c *Calendar) WithHours(open, close time.Duration) (*Calendar, error) {
	return New(c.Location, open, close, c.book)
}

// data is the holiday data now.
func (c *Calendar) data() *Data { return c.book.Data() }

// IsWorkday reports whether the calendar day containing t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.isWorkday(c.data(), t)
}

// isWorkday is IsWorkday on d: a listed day is what the list says, any
// other day a working day from Monday to Friday.
func (c *Calendar) isWorkday(d *Data, t time.Time) bool {
	t = t.In(c.Location)
	if day, ok := d.lookup(t.Format("2006-01-02")); ok {
		return day.Kind == Workday
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
	data := c.data()
	day := c.dayStart(start)
	for i := 0; i < 3660; i++ { // at most ten years of days
		if c.isWorkday(data, day) {
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
	data := c.data()
	for day := c.dayStart(a); day.Before(b); day = c.nextDay(day) {
		if !c.isWorkday(data, day) {
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
