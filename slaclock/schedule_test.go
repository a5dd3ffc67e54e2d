package slaclock_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/slaclock"
)

// fixture2027 is a made-up 2027 schedule, shaped like a real notice, for
// tests only. It is NOT the official 2027 arrangement, which okcare does
// not ship (it was not published when this was written).
const fixture2027 = `# TEST FIXTURE, not the official 2027 holiday arrangement
year 2027
2027-01-01 holiday 元旦
2027-02-05..2027-02-11 holiday 春节
2027-02-20 workday 春节调休
2027-04-05 holiday 清明节
2027-05-03..2027-05-05 holiday 劳动节
2027-06-09 holiday 端午节
2027-09-15 holiday 中秋节
2027-10-01..2027-10-07 holiday 国庆节
2027-10-09 workday 国庆节调休
`

func mustSchedule(t *testing.T, text string) slaclock.Schedule {
	t.Helper()
	s, problems := slaclock.ParseSchedules(text)
	if len(problems) > 0 || len(s) != 1 {
		t.Fatalf("parse: %v (%d schedules)", problems, len(s))
	}
	return s[0]
}

func codes(ps slaclock.Problems) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func TestShippedSchedulesValidate(t *testing.T) {
	shipped := slaclock.Shipped()
	if len(shipped) != 2 || shipped[0].Year != 2025 || shipped[1].Year != 2026 {
		t.Fatalf("shipped years %+v", shipped)
	}
	for _, s := range shipped {
		if ps := slaclock.Validate(s); len(ps) > 0 {
			t.Errorf("the official %d schedule does not validate:\n%v", s.Year, ps)
		}
	}
	if ps := slaclock.Validate(mustSchedule(t, fixture2027)); len(ps) > 0 {
		t.Fatalf("fixture: %v", ps)
	}
}

func TestParseSchedules(t *testing.T) {
	s := mustSchedule(t, "year 2027\n# a comment\n\n2027-10-01..2027-10-03 holiday 国庆节、中秋节\n2027-10-09 work 国庆节调休\n")
	want := []slaclock.Day{
		{Date: "2027-10-01", Kind: slaclock.Holiday, Name: "国庆节、中秋节", Line: 4},
		{Date: "2027-10-02", Kind: slaclock.Holiday, Name: "国庆节、中秋节", Line: 4},
		{Date: "2027-10-03", Kind: slaclock.Holiday, Name: "国庆节、中秋节", Line: 4},
		{Date: "2027-10-09", Kind: slaclock.Workday, Name: "国庆节调休", Line: 5},
	}
	if s.Year != 2027 || !reflect.DeepEqual(s.Days, want) {
		t.Fatalf("parsed %+v", s)
	}
	if h, w := s.Counts(); h != 3 || w != 1 {
		t.Fatalf("counts %d %d", h, w)
	}
	if again := mustSchedule(t, s.Format()); !reflect.DeepEqual(again.Days[3].Date, "2027-10-09") || len(again.Days) != 4 {
		t.Fatalf("Format does not read back: %+v", again)
	}
	for _, tt := range []struct {
		name, text string
		want       []string
		line       int
	}{
		{"no year", "2027-01-01 holiday 元旦\n", []string{slaclock.ProblemNoYear}, 1},
		{"empty file", "# nothing\n", []string{slaclock.ProblemNoYear}, 0},
		{"bad year line", "year twenty\n", []string{slaclock.ProblemBadYear}, 1},
		{"bad date", "year 2027\n2027-02-30 holiday 春节\n", []string{slaclock.ProblemBadDate}, 2},
		{"bad kind", "year 2027\n2027-02-06 vacation 春节\n", []string{slaclock.ProblemBadKind}, 2},
		{"no name", "year 2027\n2027-02-06 holiday\n", []string{slaclock.ProblemSyntax}, 2},
		{"range backwards", "year 2027\n2027-02-10..2027-02-06 holiday 春节\n", []string{slaclock.ProblemBadRange}, 2},
		{"range too long", "year 2027\n2027-01-01..2027-03-01 holiday 春节\n", []string{slaclock.ProblemBadRange}, 2},
		{"year twice", "year 2027\nyear 2027\n", []string{slaclock.ProblemTwoSections}, 2},
		{"every problem, not the first", "year 2027\n2027-13-01 holiday x\n2027-01-01 maybe 元旦\n", []string{slaclock.ProblemBadDate, slaclock.ProblemBadKind}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := slaclock.ParseSchedules(tt.text)
			if got := codes(ps); !reflect.DeepEqual(got, tt.want) || ps[0].Line != tt.line {
				t.Fatalf("problems %v (%v), want %v on line %d", got, ps, tt.want, tt.line)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(string) string
		want   []string
		check  func(*testing.T, slaclock.Problems)
	}{
		{"the whole notice", func(s string) string { return s }, []string{}, nil},
		{"调休 on a weekday", func(s string) string { return s + "2027-02-15 workday 春节调休\n" }, []string{slaclock.ProblemWorkdayWeekday}, func(t *testing.T, ps slaclock.Problems) {
			if ps[0].Date != "2027-02-15" || ps[0].Line != 12 || !strings.Contains(ps[0].String(), "Saturday or a Sunday") {
				t.Errorf("%+v %s", ps[0], ps[0])
			}
		}},
		{"holiday outside every festival", func(s string) string { return s + "2027-03-15 holiday 公司年会\n" }, []string{slaclock.ProblemOutsideFestival}, func(t *testing.T, ps slaclock.Problems) {
			if ps[0].Festival != "" {
				t.Errorf("%+v", ps[0])
			}
		}},
		{"holiday outside the festival it names", func(s string) string { return s + "2027-05-06 holiday 国庆节\n" }, []string{slaclock.ProblemOutsideFestival}, func(t *testing.T, ps slaclock.Problems) {
			if ps[0].Festival != "国庆" || !strings.Contains(ps[0].String(), "outside the 国庆 period") {
				t.Errorf("%+v %s", ps[0], ps[0])
			}
		}},
		{"Spring Festival a month early", func(s string) string { return s + "2027-01-11 holiday 春节\n" }, []string{slaclock.ProblemOutsideFestival}, nil},
		{"the same date twice", func(s string) string { return s + "2027-10-01 holiday 国庆节\n" }, []string{slaclock.ProblemDuplicate}, func(t *testing.T, ps slaclock.Problems) {
			if ps[0].Text != "10" {
				t.Errorf("first listed on %q, want line 10", ps[0].Text)
			}
		}},
		{"a day both off and worked", func(s string) string { return s + "2027-02-06 workday 春节调休\n" }, []string{slaclock.ProblemDuplicate}, nil},
		{"a date of another year", func(s string) string { return s + "2028-01-01 holiday 元旦\n" }, []string{slaclock.ProblemWrongYear}, nil},
		{"New Year from 31 December", func(s string) string { return s + "2026-12-31 holiday 元旦\n" }, []string{}, nil},
		{"no National Day", func(s string) string {
			return strings.Replace(strings.Replace(s, "2027-10-01..2027-10-07 holiday 国庆节\n", "", 1), "2027-10-09 workday 国庆节调休\n", "", 1)
		}, []string{slaclock.ProblemMissing}, func(t *testing.T, ps slaclock.Problems) {
			if ps[0].Festival != "国庆" || ps[0].Line != 0 {
				t.Errorf("%+v", ps[0])
			}
		}},
		{"only part of a notice", func(string) string { return "year 2027\n2027-04-05 holiday 清明节\n" }, []string{slaclock.ProblemMissing, slaclock.ProblemMissing, slaclock.ProblemMissing}, nil},
		{"English names", func(s string) string {
			return "year 2027\n2027-01-01 holiday New Year's Day\n2027-02-08 holiday Spring Festival\n2027-10-04 holiday National Day\n"
		}, []string{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ps := slaclock.Validate(mustSchedule(t, tt.change(fixture2027)))
			if got := codes(ps); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems %v (%v), want %v", got, ps, tt.want)
			}
			if tt.check != nil {
				tt.check(t, ps)
			}
		})
	}
	if ps := slaclock.Validate(slaclock.Schedule{Year: 1999}); len(ps) != 1 || ps[0].Code != slaclock.ProblemBadYear {
		t.Fatalf("year 1999: %v", ps)
	}
}

func TestFestivalWindows(t *testing.T) {
	for _, tt := range []struct {
		festival string
		year     int
		from, to string
	}{
		{"元旦", 2027, "2026-12-30", "2027-01-03"},
		{"春节", 2027, "2027-02-03", "2027-02-14"}, // 正月初一 on 6 February
		{"春节", 2040, "2040-01-18", "2040-03-01"}, // past the table: the widest range
		{"端午", 2027, "2027-06-06", "2027-06-12"},
		{"中秋", 2028, "2028-09-30", "2028-10-06"},
		{"国庆", 2027, "2027-09-30", "2027-10-08"},
	} {
		for _, f := range slaclock.Festivals {
			if f.Name != tt.festival {
				continue
			}
			from, to := f.Window(tt.year)
			if from.Format("2006-01-02") != tt.from || to.Format("2006-01-02") != tt.to {
				t.Errorf("%s %d: %s..%s, want %s..%s", tt.festival, tt.year, from.Format("2006-01-02"), to.Format("2006-01-02"), tt.from, tt.to)
			}
		}
	}
}

// calendarWith is the mainland calendar, 09:00-18:00, on the shipped
// schedules and extra ones.
func calendarWith(t *testing.T, extra ...string) *slaclock.Calendar {
	t.Helper()
	schedules := slaclock.Shipped()
	for _, text := range extra {
		schedules = append(schedules, mustSchedule(t, text))
	}
	c, err := slaclock.New(slaclock.Shanghai(), 9*time.Hour, 18*time.Hour, slaclock.NewBook(slaclock.NewData(schedules...)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAcrossTheYearBoundary: past the data the calendar counts weekends
// only and says the deadline is provisional; with the next year's
// schedule it keeps its holidays.
func TestAcrossTheYearBoundary(t *testing.T) {
	without, with := calendarWith(t), calendarWith(t, fixture2027)
	created := at(without, "2026-12-31 15:00") // Thursday afternoon; 元旦 is Friday
	for _, tt := range []struct {
		name        string
		cal         *slaclock.Calendar
		target      slaclock.Target
		want        string
		provisional bool
	}{
		{"4 business hours, no 2027 data", without, slaclock.Target{Business: 4 * time.Hour}, "2027-01-01 10:00", true},
		{"4 business hours, 2027 known", with, slaclock.Target{Business: 4 * time.Hour}, "2027-01-04 10:00", false},
		{"3 working days, no 2027 data", without, slaclock.Target{Workdays: 3}, "2027-01-05 15:00", true},
		{"3 working days, 2027 known", with, slaclock.Target{Workdays: 3}, "2027-01-06 15:00", false},
		{"end of day, either way", without, slaclock.Target{EndOfDay: true}, "2026-12-31 18:00", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			due, provisional := tt.cal.DueProvisional(tt.target, created)
			if !due.Equal(at(tt.cal, tt.want)) || provisional != tt.provisional {
				t.Fatalf("due %s provisional %v, want %s %v", due.In(tt.cal.Location).Format("2006-01-02 15:04"), provisional, tt.want, tt.provisional)
			}
		})
	}
	// Weekends only past the data: Friday 1 January works, Saturday does not.
	if !without.IsWorkday(at(without, "2027-01-01 12:00")) || without.IsWorkday(at(without, "2027-01-02 12:00")) || with.IsWorkday(at(with, "2027-01-01 12:00")) {
		t.Fatal("past the data: weekdays work, weekends are off; with the data 元旦 is off")
	}
	// A deadline well inside the known year is not provisional.
	if without.Provisional(at(without, "2026-11-25 10:00"), at(without, "2026-11-30 10:00")) {
		t.Fatal("a November deadline is provisional")
	}
	// The next year's notice can reach back to 29 December, so those days
	// wait for it.
	if !without.Provisional(at(without, "2026-12-29 10:00"), at(without, "2026-12-29 12:00")) || with.Provisional(at(with, "2026-12-29 10:00"), at(with, "2026-12-29 12:00")) {
		t.Fatal("29 December is known only with the next year's notice")
	}
}

func TestCoverage(t *testing.T) {
	without, with := calendarWith(t), calendarWith(t, fixture2027)
	day := func(c *slaclock.Calendar, s string) time.Time { return at(c, s+" 12:00") }
	for _, tt := range []struct {
		name     string
		cal      *slaclock.Calendar
		now      string
		daysLeft int
		through  string
		missing  int
		warn     bool
	}{
		{"October, plenty left", without, "2026-10-01", 89, "2026-12-28", 2027, false},
		{"61 days before", without, "2026-10-29", 61, "2026-12-28", 2027, false},
		{"60 days before: warn", without, "2026-10-30", 60, "2026-12-28", 2027, true},
		{"1 December", without, "2026-12-01", 28, "2026-12-28", 2027, true},
		{"the last known day", without, "2026-12-28", 1, "2026-12-28", 2027, true},
		{"29 December without 2027", without, "2026-12-29", 0, "", 2027, true},
		{"in 2027 without it", without, "2027-01-05", 0, "", 2027, true},
		{"2027 imported", with, "2026-12-01", 393, "2027-12-28", 2028, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.Coverage(day(tt.cal, tt.now))
			through := ""
			if !got.Through.IsZero() {
				through = got.Through.Format("2006-01-02")
			}
			if got.DaysLeft != tt.daysLeft || through != tt.through || got.Missing != tt.missing || got.Warn() != tt.warn {
				t.Fatalf("coverage %+v (warn %v), want %d days through %q, missing %d, warn %v", got, got.Warn(), tt.daysLeft, tt.through, tt.missing, tt.warn)
			}
			if want := got.Through.AddDate(0, 0, 1); !got.Through.IsZero() && !got.From.Equal(want) {
				t.Fatalf("from %s, want the day after %s", got.From, got.Through)
			}
		})
	}
}

// TestBookSharedByCalendars: a year set into the book reaches every
// calendar made on it at once.
func TestBookSharedByCalendars(t *testing.T) {
	office := calendarWith(t)
	evening, err := office.WithHours(8*time.Hour, 22*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	newYear := at(office, "2027-01-01 12:00")
	if !evening.IsWorkday(newYear) {
		t.Fatal("no 2027 data yet")
	}
	office.Book().Set(slaclock.NewData(append(slaclock.Shipped(), mustSchedule(t, fixture2027))...))
	if evening.IsWorkday(newYear) || office.IsWorkday(newYear) {
		t.Fatal("the new year did not reach both calendars")
	}
	// A later schedule for the same year replaces the earlier one.
	replaced := slaclock.NewData(mustSchedule(t, fixture2027), mustSchedule(t, strings.Replace(fixture2027, "2027-01-01 holiday 元旦", "2027-01-01..2027-01-03 holiday 元旦", 1)))
	if s, _ := replaced.Schedule(2027); len(s.Days) != 25 {
		t.Fatalf("replaced schedule has %d days", len(s.Days))
	}
	if _, err := slaclock.ParseHolidaysFile("2026-11-26 off company day\n2027-01-04 holiday\n"); err != nil {
		t.Fatalf("the legacy holidays file: %v", err)
	}
}

// The banner, /readyz and the gauge compute Coverage on every request;
// every customer promise computes DueProvisional.
func BenchmarkCoverage(b *testing.B) {
	c, _ := slaclock.China(9*time.Hour, 18*time.Hour)
	now := time.Date(2026, 1, 2, 10, 0, 0, 0, c.Location) // the longest walk: a whole year ahead
	for b.Loop() {
		c.Coverage(now)
	}
}

func BenchmarkDueProvisional(b *testing.B) {
	c, _ := slaclock.China(9*time.Hour, 18*time.Hour)
	start := time.Date(2026, 12, 31, 15, 0, 0, 0, c.Location)
	for b.Loop() {
		c.DueProvisional(slaclock.Target{Workdays: 3}, start)
	}
}
