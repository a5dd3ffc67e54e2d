package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/okcare/okcare/slaclock"
	"github.com/okcare/okcare/sqldb"
)

// loadCalendar builds the support team's business calendar: the configured
// working hours in Asia/Shanghai on book's holidays (the store's, which
// follow imported years).
func loadCalendar(c *Config, book *slaclock.Book) (*slaclock.Calendar, error) {
	return calendarWithHours(c.Hours, book)
}

// loadTeamCalendars reads --team-hours ("chat=08:00-22:00,phone=...") into
// a calendar per channel, on the same holidays.
func loadTeamCalendars(c *Config, book *slaclock.Book) (map[string]*slaclock.Calendar, error) {
	teams := map[string]*slaclock.Calendar{}
	for _, item := range strings.Split(c.TeamHours, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		channel, hours, ok := strings.Cut(strings.TrimSpace(item), "=")
		switch channel {
		case "web", "api", "email", "chat", "phone":
		default:
			ok = false
		}
		if !ok {
			return nil, fmt.Errorf("team hours %q: want channel=HH:MM-HH:MM with channel web, api, email, chat or phone", item)
		}
		cal, err := calendarWithHours(hours, book)
		if err != nil {
			return nil, err
		}
		teams[channel] = cal
	}
	return teams, nil
}

func calendarWithHours(hours string, book *slaclock.Book) (*slaclock.Calendar, error) {
	open, close, err := parseHours(hours)
	if err != nil {
		return nil, err
	}
	return slaclock.New(slaclock.Shanghai(), open, close, book)
}

// loadHolidayBase reads the --holidays-file, the holidays under the
// imported years in place of the shipped ones; nil without one.
func loadHolidayBase(c *Config) ([]slaclock.Schedule, error) {
	if c.Holidays == "" {
		return nil, nil
	}
	data, err := os.ReadFile(c.Holidays)
	if err != nil {
		return nil, fmt.Errorf("holidays file: %w", err)
	}
	base, err := slaclock.ParseHolidaysFile(string(data))
	if err != nil {
		return nil, fmt.Errorf("holidays file %s: %w", c.Holidays, err)
	}
	return base, nil
}

// setUpCalendars gives the store its holidays (the --holidays-file, then
// the imported years) and its team calendars, hours and policies, as
// serve and the calendar command both need them.
func setUpCalendars(ctx context.Context, c *Config, db *sqldb.DB) error {
	base, err := loadHolidayBase(c)
	if err != nil {
		return err
	}
	if base != nil {
		db.SetHolidayBase(base)
	}
	if _, err := db.RefreshHolidays(ctx); err != nil {
		return fmt.Errorf("read the imported holidays: %w", err)
	}
	if db.Calendar, err = loadCalendar(c, db.HolidayBook()); err != nil {
		return err
	}
	if db.Policies, err = loadPolicies(c); err != nil {
		return err
	}
	db.TeamCalendars, err = loadTeamCalendars(c, db.HolidayBook())
	return err
}

// parseHours reads "09:00-18:00"; "24:00" closes at midnight, so
// "00:00-24:00" is a team working all day.
func parseHours(s string) (open, close time.Duration, err error) {
	a, b, ok := strings.Cut(s, "-")
	day := func(text string) (time.Duration, error) {
		if text = strings.TrimSpace(text); text == "24:00" {
			return 24 * time.Hour, nil
		}
		t, err := time.Parse("15:04", text)
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, err
	}
	open, errA := day(a)
	close, errB := day(b)
	if !ok || errA != nil || errB != nil || open >= close || open == 24*time.Hour {
		return 0, 0, fmt.Errorf("business hours %q: want HH:MM-HH:MM, opening before closing", s)
	}
	return open, close, nil
}

// loadPolicies reads the --sla-policy-file, or returns the defaults.
func loadPolicies(c *Config) (slaclock.Policies, error) {
	if c.SLAPolicy == "" {
		return slaclock.Default(), nil
	}
	data, err := os.ReadFile(c.SLAPolicy)
	if err != nil {
		return nil, fmt.Errorf("SLA policy file: %w", err)
	}
	p, err := slaclock.ParsePolicies(string(data))
	if err != nil {
		return nil, fmt.Errorf("SLA policy file %s: %w", c.SLAPolicy, err)
	}
	return p, nil
}
