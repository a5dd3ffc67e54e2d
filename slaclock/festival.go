package slaclock

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Festival is one of the statutory holidays, with the stretch of the
// calendar its days off can fall in.
type Festival struct {
	// Name is the festival's Chinese name, as notices and schedules name it.
	Name string
	// English is its English name.
	English string
	// Words are the words that name it in a schedule line (case is ignored).
	Words []string
	// window returns the first and last day its days off can fall on in
	// year's notice.
	window func(year int) (from, to time.Time)
}

// Window returns the first and last day (midnight UTC, dates only) the
// festival's days off can fall on in year's notice.
func (f Festival) Window(year int) (from, to time.Time) { return f.window(year) }

// Festivals are the seven statutory holidays of the mainland. The windows
// are wide enough for every arrangement since 2008 (元旦 from 30 December,
// Golden Weeks joined with 中秋) and narrow enough to catch a date typed in
// the wrong month. The lunar festivals follow the table below, and fall
// back to the widest range they can have in years past it.
var Festivals = []Festival{
	{Name: "元旦", English: "New Year's Day", Words: []string{"元旦", "new year's day", "new year day"}, window: func(y int) (time.Time, time.Time) {
		return date(y-1, 12, 30), date(y, 1, 3)
	}},
	{Name: "春节", English: "Spring Festival", Words: []string{"春节", "spring festival", "chinese new year", "lunar new year"}, window: lunar(lunarNewYear, -3, 8, 1, 18, 3, 1)},
	{Name: "清明", English: "Qingming", Words: []string{"清明", "qingming", "tomb"}, window: func(y int) (time.Time, time.Time) {
		return date(y, 4, 2), date(y, 4, 7)
	}},
	{Name: "劳动节", English: "Labour Day", Words: []string{"劳动", "五一", "labour", "labor", "may day"}, window: func(y int) (time.Time, time.Time) {
		return date(y, 4, 28), date(y, 5, 6)
	}},
	{Name: "端午", English: "Dragon Boat Festival", Words: []string{"端午", "dragon boat"}, window: lunar(dragonBoat, -3, 3, 5, 25, 6, 28)},
	{Name: "中秋", English: "Mid-Autumn Festival", Words: []string{"中秋", "mid-autumn", "mid autumn", "moon festival"}, window: lunar(midAutumn, -3, 3, 9, 5, 10, 10)},
	{Name: "国庆", English: "National Day", Words: []string{"国庆", "national day", "golden week"}, window: func(y int) (time.Time, time.Time) {
		return date(y, 9, 30), date(y, 10, 8)
	}},
}

// required are the festivals a year's schedule cannot be without: a file
// lacking one of them is a part of a notice, not the whole.
var required = []string{"元旦", "春节", "国庆"}

// The lunar festivals' Gregorian dates: 正月初一, 五月初五 and 八月十五
// (Purple Mountain Observatory tables).
var (
	lunarNewYear = map[int]string{2024: "02-10", 2025: "01-29", 2026: "02-17", 2027: "02-06", 2028: "01-26", 2029: "02-13",
		2030: "02-03", 2031: "01-23", 2032: "02-11", 2033: "01-31", 2034: "02-19", 2035: "02-08"}
	dragonBoat = map[int]string{2024: "06-10", 2025: "05-31", 2026: "06-19", 2027: "06-09", 2028: "05-28", 2029: "06-16", 2030: "06-05"}
	midAutumn  = map[int]string{2024: "09-17", 2025: "10-06", 2026: "09-25", 2027: "09-15", 2028: "10-03", 2029: "09-22", 2030: "09-12"}
)

// lunar is the window of a lunar festival: from before to after days
// around its date in table, or, for a year the table lacks, the range from
// fm/fd to tm/td.
func lunar(table map[int]string, before, after, fm, fd, tm, td int) func(int) (time.Time, time.Time) {
	return func(y int) (time.Time, time.Time) {
		if md, ok := table[y]; ok {
			m, _ := strconv.Atoi(md[:2])
			d, _ := strconv.Atoi(md[3:])
			day := date(y, m, d)
			return day.AddDate(0, 0, before), day.AddDate(0, 0, after)
		}
		return date(y, fm, fd), date(y, tm, td)
	}
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// festivalNamed returns the festivals a day's name mentions.
func festivalNamed(name string) []Festival {
	lower := strings.ToLower(name)
	var out []Festival
	for _, f := range Festivals {
		for _, w := range f.Words {
			if strings.Contains(lower, w) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// within reports whether day falls in f's window for year.
func within(f Festival, year int, day time.Time) bool {
	from, to := f.Window(year)
	return !day.Before(from) && !day.After(to)
}

// Problem codes: stable, for the console's words and for scripts.
const (
	ProblemSyntax          = "syntax"              // a line that is not "DATE KIND NAME"
	ProblemBadDate         = "bad_date"            // not a YYYY-MM-DD date
	ProblemBadRange        = "bad_range"           // a range backwards or longer than a month
	ProblemBadKind         = "bad_kind"            // neither holiday nor workday
	ProblemBadYear         = "bad_year"            // a "year" line without a year
	ProblemNoYear          = "no_year"             // days before any "year" line, or no year at all
	ProblemTwoSections     = "two_sections"        // the same year twice in one file
	ProblemWrongYear       = "wrong_year"          // a date outside the notice's year
	ProblemDuplicate       = "duplicate"           // a date listed twice
	ProblemWorkdayWeekday  = "workday_not_weekend" // a 调休 workday that is not a Saturday or Sunday
	ProblemOutsideFestival = "outside_festival"    // a holiday in no festival's window (or not in the one it names)
	ProblemMissing         = "missing_festival"    // 元旦, 春节 or 国庆 absent
)

// Problem is one thing wrong with a schedule file.
type Problem struct {
	Line int    // 0 when it concerns the whole file
	Code string // one of the Problem codes
	Date string // the date concerned, if any
	Year int    // the year concerned, if any
	// Festival is the festival concerned (missing_festival, or the one a
	// holiday outside its window names).
	Festival string
	// Text is the offending text (syntax problems) or, for duplicates,
	// the line the date was first listed on.
	Text string
}

// String says the problem in English, with its line.
func (p Problem) String() string {
	var msg string
	switch p.Code {
	case ProblemSyntax:
		msg = fmt.Sprintf("%q is not \"YYYY-MM-DD holiday|workday name\"", p.Text)
	case ProblemBadDate:
		msg = fmt.Sprintf("%q is not a date (YYYY-MM-DD, or FROM..TO)", p.Text)
	case ProblemBadRange:
		msg = fmt.Sprintf("%q is not a range of at most %d days", p.Text, maxRange+1)
	case ProblemBadKind:
		msg = fmt.Sprintf("%q is neither holiday nor workday", p.Text)
	case ProblemBadYear:
		msg = fmt.Sprintf("%q: want \"year YYYY\"", p.Text)
	case ProblemNoYear:
		msg = "no \"year YYYY\" line before the days"
	case ProblemTwoSections:
		msg = fmt.Sprintf("year %d appears twice", p.Year)
	case ProblemWrongYear:
		msg = fmt.Sprintf("%s is not part of the %d schedule (from 29 December %d to 31 December %d)", p.Date, p.Year, p.Year-1, p.Year)
	case ProblemDuplicate:
		msg = fmt.Sprintf("%s is listed twice (first on line %s)", p.Date, p.Text)
	case ProblemWorkdayWeekday:
		msg = fmt.Sprintf("%s is a weekday: a worked day in exchange (调休) must be a Saturday or a Sunday", p.Date)
	case ProblemOutsideFestival:
		if p.Festival != "" {
			msg = fmt.Sprintf("%s is outside the %s period of %d", p.Date, p.Festival, p.Year)
		} else {
			msg = fmt.Sprintf("%s is in no statutory festival's period (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆)", p.Date)
		}
	case ProblemMissing:
		msg = fmt.Sprintf("the %d schedule has no %s holiday: a year's notice always has 元旦, 春节 and 国庆", p.Year, p.Festival)
	default:
		msg = p.Code
	}
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, msg)
	}
	return msg
}

// Problems are all that is wrong with a schedule file.
type Problems []Problem

// Error lists the problems, one a line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Validate checks a year's schedule as a notice could have published it:
// every date belongs to the year (or to the last days of December before
// it), none is listed twice, every worked day in exchange is a Saturday or
// a Sunday, every holiday lies in the period of a statutory festival (the
// one its name mentions, when it names one), and 元旦, 春节 and 国庆 are
// all there. It returns every problem found.
func Validate(s Schedule) Problems {
	var ps Problems
	if s.Year < 2000 || s.Year > 2100 {
		return Problems{{Code: ProblemBadYear, Text: strconv.Itoa(s.Year)}}
	}
	first := date(s.Year-1, 12, nextNoticeReach)
	last := date(s.Year, 12, 31)
	seen := map[string]int{}
	present := map[string]bool{}
	for _, d := range s.Days {
		day, err := time.Parse("2006-01-02", d.Date)
		if err != nil {
			ps = append(ps, Problem{Line: d.Line, Code: ProblemBadDate, Text: d.Date})
			continue
		}
		if line, dup := seen[d.Date]; dup {
			ps = append(ps, Problem{Line: d.Line, Code: ProblemDuplicate, Date: d.Date, Text: strconv.Itoa(line)})
			continue
		}
		seen[d.Date] = d.Line
		if day.Before(first) || day.After(last) {
			ps = append(ps, Problem{Line: d.Line, Code: ProblemWrongYear, Date: d.Date, Year: s.Year})
			continue
		}
		switch d.Kind {
		case Workday:
			if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
				ps = append(ps, Problem{Line: d.Line, Code: ProblemWorkdayWeekday, Date: d.Date, Year: s.Year})
			}
		case Holiday:
			candidates := festivalNamed(d.Name)
			named := len(candidates) > 0
			if !named {
				candidates = Festivals
			}
			in := false
			for _, f := range candidates {
				if within(f, s.Year, day) {
					in, present[f.Name] = true, true
				}
			}
			if !in {
				p := Problem{Line: d.Line, Code: ProblemOutsideFestival, Date: d.Date, Year: s.Year}
				if named {
					p.Festival = candidates[0].Name
				}
				ps = append(ps, p)
			}
		default:
			ps = append(ps, Problem{Line: d.Line, Code: ProblemBadKind, Text: string(d.Kind)})
		}
	}
	for _, name := range required {
		if !present[name] {
			ps = append(ps, Problem{Code: ProblemMissing, Year: s.Year, Festival: name})
		}
	}
	return ps
}
