package slaclock

import (
	"bufio"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Kind says what a listed day is.
type Kind string

// The kinds of day a schedule lists.
const (
	// Holiday is a day off. Weekend days inside a holiday need no line,
	// but may have one.
	Holiday Kind = "holiday"
	// Workday is a weekend day worked in exchange for a holiday (调休).
	Workday Kind = "workday"
)

// Day is one listed day of a schedule.
type Day struct {
	Date string // "2006-01-02"
	Kind Kind
	Name string // 元旦, 春节调休, ...
	// Line is the line of the file the day came from (0 if none).
	Line int
}

// Schedule is one year's holiday arrangement, as the State Council's
// notice for that year publishes it: the holidays (元旦 may begin on 30 or
// 31 December of the year before) and the weekend days worked in exchange.
type Schedule struct {
	Year int
	Days []Day
}

// Counts returns how many holidays and worked weekend days s lists.
func (s Schedule) Counts() (holidays, workdays int) {
	for _, d := range s.Days {
		if d.Kind == Workday {
			workdays++
		} else {
			holidays++
		}
	}
	return holidays, workdays
}

// Format writes s in the schedule file format ParseSchedules reads.
func (s Schedule) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "year %d\n", s.Year)
	for _, d := range s.Days {
		fmt.Fprintf(&b, "%s %s %s\n", d.Date, d.Kind, d.Name)
	}
	return b.String()
}

// maxRange bounds a "FROM..TO" line: no festival lasts longer.
const maxRange = 31

// ParseSchedules reads schedule files: one or more sections, each starting
// with "year YYYY", of lines "DATE KIND NAME" where DATE is YYYY-MM-DD or
// a range YYYY-MM-DD..YYYY-MM-DD (both ends included), KIND is holiday or
// workday (off and work are accepted too) and NAME is the rest of the line
// (元旦, 春节, 春节调休...). Blank lines and lines starting with # are
// skipped. It reports every problem it finds, with its line, not only the
// first. It checks the syntax only; Validate checks the contents.
func ParseSchedules(text string) ([]Schedule, Problems) {
	return parseSchedules(text, true)
}

// parseSchedules is ParseSchedules; without strict, lines before any
// "year" line are allowed (and belong to the year of their date), and a
// name may be left out: the legacy --holidays-file format.
func parseSchedules(text string, strict bool) ([]Schedule, Problems) {
	var out []Schedule
	var problems Problems
	byYear := map[int]int{} // year -> index in out, for lines without a section
	current := -1
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if f[0] == "year" {
			y, err := strconv.Atoi(strings.Join(f[1:], ""))
			if len(f) != 2 || err != nil || y < 1900 || y > 2999 {
				problems = append(problems, Problem{Line: n, Code: ProblemBadYear, Text: line})
				continue
			}
			if i, seen := byYear[y]; seen && strict {
				problems = append(problems, Problem{Line: n, Code: ProblemTwoSections, Year: y})
				current = i
				continue
			}
			if _, seen := byYear[y]; !seen {
				byYear[y] = len(out)
				out = append(out, Schedule{Year: y})
			}
			current = byYear[y]
			continue
		}
		days, p := parseDayLine(n, f, strict)
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		i := current
		if i < 0 {
			if strict {
				problems = append(problems, Problem{Line: n, Code: ProblemNoYear})
				continue
			}
			y, _ := strconv.Atoi(days[0].Date[:4])
			if _, seen := byYear[y]; !seen {
				byYear[y] = len(out)
				out = append(out, Schedule{Year: y})
			}
			i = byYear[y]
		}
		out[i].Days = append(out[i].Days, days...)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, Problem{Code: ProblemSyntax, Text: err.Error()})
	}
	if strict && len(out) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Code: ProblemNoYear})
	}
	return out, problems
}

// parseDayLine reads "DATE[..DATE] KIND NAME" (already split in fields).
func parseDayLine(n int, f []string, strict bool) ([]Day, *Problem) {
	if len(f) < 2 || (strict && len(f) < 3) {
		return nil, &Problem{Line: n, Code: ProblemSyntax, Text: strings.Join(f, " ")}
	}
	var kind Kind
	switch f[1] {
	case "holiday", "off":
		kind = Holiday
	case "workday", "work":
		kind = Workday
	default:
		return nil, &Problem{Line: n, Code: ProblemBadKind, Text: f[1]}
	}
	name := strings.Join(f[2:], " ")
	fromText, toText, isRange := strings.Cut(f[0], "..")
	from, err := time.Parse("2006-01-02", fromText)
	if err != nil {
		return nil, &Problem{Line: n, Code: ProblemBadDate, Text: f[0]}
	}
	to := from
	if isRange {
		if to, err = time.Parse("2006-01-02", toText); err != nil || to.Before(from) || to.Sub(from) > maxRange*24*time.Hour {
			return nil, &Problem{Line: n, Code: ProblemBadRange, Text: f[0]}
		}
	}
	var days []Day
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		days = append(days, Day{Date: d.Format("2006-01-02"), Kind: kind, Name: name, Line: n})
	}
	return days, nil
}

// Data is a merged set of yearly schedules: what a calendar knows. It
// never changes once made; a Book holds the current one.
type Data struct {
	days      map[string]Day
	schedules map[int]Schedule
}

// NewData merges schedules, in order of their years: where two list the
// same date (the next year's 元旦 reaching back into December), the later
// year's notice wins. Where two schedules are for the same year, the
// later one in the list replaces the earlier, so stored schedules given
// after the shipped ones override them.
func NewData(schedules ...Schedule) *Data {
	d := &Data{days: map[string]Day{}, schedules: map[int]Schedule{}}
	for _, s := range schedules {
		d.schedules[s.Year] = s
	}
	for _, y := range d.Years() {
		for _, day := range d.schedules[y].Days {
			d.days[day.Date] = day
		}
	}
	return d
}

// Years lists the years that have a schedule, in order.
func (d *Data) Years() []int {
	years := make([]int, 0, len(d.schedules))
	for y := range d.schedules {
		years = append(years, y)
	}
	sort.Ints(years)
	return years
}

// Has reports whether year has a schedule.
func (d *Data) Has(year int) bool {
	_, ok := d.schedules[year]
	return ok
}

// Schedule returns year's schedule.
func (d *Data) Schedule(year int) (Schedule, bool) {
	s, ok := d.schedules[year]
	return s, ok
}

// nextNoticeReach is how far back into December the next year's notice
// can reach: 元旦 has begun on 30 December (2018, 2019) and a weekend
// before it has been worked on the 29th (2018).
const nextNoticeReach = 29

// Known reports whether the calendar day of t (in its own zone) is covered
// by the data: its year has a schedule, and for 29 to 31 December the next
// year has one too.
func (d *Data) Known(t time.Time) bool {
	y, m, day := t.Date()
	if !d.Has(y) {
		return false
	}
	return m != time.December || day < nextNoticeReach || d.Has(y+1)
}

// lookup is the listed day of key, if any.
func (d *Data) lookup(key string) (Day, bool) {
	day, ok := d.days[key]
	return day, ok
}

// Book holds the holiday data that every calendar made on it uses, and
// lets it be replaced at once for all of them (a year imported, or read
// again from the database) while they are in use.
type Book struct {
	cur atomic.Pointer[Data]
}

// NewBook returns a book holding d.
func NewBook(d *Data) *Book {
	b := &Book{}
	b.Set(d)
	return b
}

// Data returns the current data.
func (b *Book) Data() *Data { return b.cur.Load() }

// Set replaces the data.
func (b *Book) Set(d *Data) {
	if d == nil {
		d = NewData()
	}
	b.cur.Store(d)
}

// WarnDays is how long before the holiday data runs out okcare starts
// warning about it.
const WarnDays = 60

// Coverage says how far ahead a calendar's holiday data reaches.
type Coverage struct {
	// Through is the last day with data, counting on from today without
	// a gap; zero when today has none.
	Through time.Time
	// From is the first day without data: from then on deadlines count
	// weekends only.
	From time.Time
	// DaysLeft is the number of days from today on that have data, today
	// included: 0 when today has none.
	DaysLeft int
	// Missing is the year whose schedule is needed next.
	Missing int
}

// Warn reports whether the data runs out within WarnDays.
func (c Coverage) Warn() bool { return c.DaysLeft <= WarnDays }

// Coverage reports how far ahead of now the calendar's data reaches.
func (c *Calendar) Coverage(now time.Time) Coverage {
	d := c.data()
	today := c.dayStart(now)
	if !d.Known(today) {
		y := today.Year()
		if d.Has(y) {
			y++ // 29-31 December without the next notice
		}
		for d.Has(y) {
			y++
		}
		return Coverage{From: today, Missing: y}
	}
	y := today.Year()
	for d.Has(y + 1) {
		y++
	}
	through := time.Date(y, time.December, nextNoticeReach-1, 0, 0, 0, 0, c.Location)
	days := 1
	for day := today; day.Before(through); day = c.nextDay(day) {
		days++
	}
	return Coverage{Through: through, From: c.nextDay(through), DaysLeft: days, Missing: y + 1}
}

// Provisional reports whether any day from start to end (both included)
// lies past the data: a deadline over such a day counts its weekends
// only, and may be later once that year's holidays are known.
func (c *Calendar) Provisional(start, end time.Time) bool {
	d := c.data()
	day := c.dayStart(start)
	for i := 0; !day.After(end) && i < 3660; i++ {
		if !d.Known(day) {
			return true
		}
		day = c.nextDay(day)
	}
	return false
}

// DueProvisional is Due with whether the deadline is provisional.
func (c *Calendar) DueProvisional(t Target, start time.Time) (time.Time, bool) {
	due := c.Due(t, start)
	return due, c.Provisional(start, due)
}
