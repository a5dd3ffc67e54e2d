package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/slaclock"
	"github.com/okcare/okcare/sqldb"
)

// warnCalendar logs a warning when the holiday data runs out within
// slaclock.WarnDays: past it deadlines count weekends only.
func warnCalendar(logger *slog.Logger, cal *slaclock.Calendar, now time.Time) {
	cov := cal.Coverage(now)
	if !cov.Warn() {
		return
	}
	logger.Warn("holiday calendar runs out: deadlines past it count weekends only and are shown as provisional",
		"days_left", cov.DaysLeft, "weekends_only_from", cov.From.Format("2006-01-02"), "missing_year", cov.Missing,
		"fix", fmt.Sprintf("import the %d holidays: okcare calendar import FILE --admin EMAIL, or /console/calendar", cov.Missing))
}

// startCalendarRefresh warns about the holiday data now, then reads the
// imported years again every CalendarRefresh (a year imported on another
// node, or by the calendar command), warning again once a day while the
// data runs short.
func (m *Main) startCalendarRefresh(logger *slog.Logger) {
	warnCalendar(logger, m.DB.Calendar, time.Now())
	every := m.CalendarRefresh
	if every <= 0 {
		every = time.Minute
	}
	m.calendarStop, m.calendarDone = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.calendarDone)
		tick := time.NewTicker(every)
		defer tick.Stop()
		warned := time.Now().Format("2006-01-02")
		for {
			select {
			case <-m.calendarStop:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			changed, err := m.DB.RefreshHolidays(ctx)
			cancel()
			if err != nil {
				logger.Warn("read the imported holidays", "error", err)
				continue
			}
			today := time.Now().Format("2006-01-02")
			if changed {
				logger.Info("holiday data read again", "years", fmt.Sprint(m.DB.HolidayBook().Data().Years()))
			}
			if changed || today != warned {
				warned = today
				warnCalendar(logger, m.DB.Calendar, time.Now())
			}
		}
	}()
}

const calendarUsage = `usage:
  okcare calendar status                      how far the holiday data reaches
  okcare calendar check FILE                  validate a year's schedule file
  okcare calendar import FILE --admin EMAIL   validate and import it (FILE may be -)

The file format is in docs/calendar.md. The store and hours flags of
serve apply (--data-dir, --db, --business-hours, --team-hours...).`

// runCalendar runs `okcare calendar <command>`.
func runCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(calendarUsage)
	}
	c, fs, err := parseConfig("calendar "+args[0], args[1:])
	if err != nil {
		return err
	}
	fs.SetOutput(stderr)
	admin := fs.String("admin", "", "the email of the admin importing (audited)")
	// Flags may come before or after FILE.
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	rest := fs.Args()
	if len(rest) > 0 {
		if err := fs.Parse(rest[1:]); err != nil {
			return usageError(err.Error())
		}
		rest = append(rest[:1], fs.Args()...)
	}
	switch args[0] {
	case "status":
		if len(rest) != 0 {
			return usageError(calendarUsage)
		}
		return calendarStatus(ctx, c, stdout)
	case "check", "import":
		if len(rest) != 1 || (args[0] == "import" && *admin == "") {
			return usageError(calendarUsage)
		}
		text, err := readScheduleFile(rest[0])
		if err != nil {
			return err
		}
		if args[0] == "check" {
			return checkSchedule(rest[0], text, stdout, stderr)
		}
		return importSchedule(ctx, c, rest[0], text, *admin, stdout, stderr)
	}
	return usageError(calendarUsage)
}

// readScheduleFile reads FILE, or standard input for "-".
func readScheduleFile(name string) (string, error) {
	var raw []byte
	var err error
	if name == "-" {
		raw, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("read the schedule: %w", err)
	}
	return string(raw), nil
}

// reportProblems writes each problem as "FILE:LINE: what" and returns the
// command's error.
func reportProblems(name string, ps slaclock.Problems, stderr io.Writer) error {
	for _, p := range ps {
		if p.Line > 0 {
			fmt.Fprintf(stderr, "%s:%d: %s\n", name, p.Line, strings.TrimPrefix(p.String(), fmt.Sprintf("line %d: ", p.Line)))
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", name, p)
		}
	}
	return fmt.Errorf("%s: %d problems; nothing imported", name, len(ps))
}

// checkSchedule validates a schedule file without a store.
func checkSchedule(name, text string, stdout, stderr io.Writer) error {
	schedules, ps := slaclock.ParseSchedules(text)
	for _, s := range schedules {
		ps = append(ps, slaclock.Validate(s)...)
	}
	if len(ps) > 0 {
		return reportProblems(name, ps, stderr)
	}
	for _, s := range schedules {
		h, w := s.Counts()
		fmt.Fprintf(stdout, "%s: %d is valid: %d holidays, %d worked weekend days\n", name, s.Year, h, w)
	}
	return nil
}

// importSchedule imports one year as the named admin.
func importSchedule(ctx context.Context, c *Config, name, text, adminEmail string, stdout, stderr io.Writer) error {
	db, _, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := setUpCalendars(ctx, c, db); err != nil {
		return err
	}
	team, err := db.Team(ctx)
	if err != nil {
		return err
	}
	var adminID string
	for _, a := range team {
		if a.Email == sqldb.NormalizeLogin(adminEmail) {
			adminID = a.ID
		}
	}
	if adminID == "" {
		return fmt.Errorf("no staff member %s: --admin names the admin who imports", adminEmail)
	}
	res, err := db.ImportHolidays(ctx, adminID, okcare.HolidaySourceCLI, text)
	var ps slaclock.Problems
	if errors.As(err, &ps) {
		return reportProblems(name, ps, stderr)
	}
	if err != nil {
		return fmt.Errorf("%s", okcare.ErrorMessage(err))
	}
	replaced := ""
	if res.Replaced {
		replaced = " (replacing the earlier import)"
	}
	fmt.Fprintf(stdout, "imported %d%s: %d holidays, %d worked weekend days; %d open tickets retimed. Running nodes read it within a minute.\n",
		res.Year, replaced, res.Holidays, res.Workdays, res.Retimed)
	return nil
}

// calendarStatus prints the years known and how far they reach.
func calendarStatus(ctx context.Context, c *Config, stdout io.Writer) error {
	db, _, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := setUpCalendars(ctx, c, db); err != nil {
		return err
	}
	imported, err := db.HolidayYears(ctx)
	if err != nil {
		return err
	}
	byYear := map[int]*okcare.HolidayYear{}
	for _, y := range imported {
		byYear[y.Year] = y
	}
	team, err := db.Team(ctx)
	if err != nil {
		return err
	}
	emails := map[string]string{}
	for _, a := range team {
		emails["agent:"+a.ID] = a.Email
	}
	data := db.HolidayBook().Data()
	for _, y := range data.Years() {
		s, _ := data.Schedule(y)
		h, w := s.Counts()
		from := "shipped"
		if c.Holidays != "" {
			from = "holidays file"
		}
		if im := byYear[y]; im != nil {
			who := emails[im.ImportedBy]
			if who == "" {
				who = im.ImportedBy
			}
			from = fmt.Sprintf("imported %s by %s (%s)", im.ImportedAt.In(slaclock.Shanghai()).Format("2006-01-02 15:04"), who, im.Source)
		}
		fmt.Fprintf(stdout, "%d: %d holidays, %d worked weekend days; %s\n", y, h, w, from)
	}
	cov := db.Calendar.Coverage(time.Now())
	if cov.DaysLeft == 0 {
		fmt.Fprintf(stdout, "NO holiday data for today: deadlines count weekends only; import %d\n", cov.Missing)
		return nil
	}
	warn := ""
	if cov.Warn() {
		warn = fmt.Sprintf(" WARNING: import %d", cov.Missing)
	}
	fmt.Fprintf(stdout, "known through %s (%d days left); weekends only from %s%s\n", cov.Through.Format("2006-01-02"), cov.DaysLeft, cov.From.Format("2006-01-02"), warn)
	return nil
}
