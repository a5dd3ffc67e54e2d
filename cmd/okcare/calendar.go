package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/okcare/okcare/slaclock"
)

// loadCalendar builds the support team's business calendar: the configured
// working hours in Asia/Shanghai over the shipped mainland holidays, or
// over the --holidays-file when one is given.
func loadCalendar(c *Config) (*slaclock.Calendar, error) {
	return calendarWithHours(c, c.Hours)
}

// loadTeamCalendars reads --team-hours ("chat=08:00-22:00,phone=...") into
// a calendar per channel, on the same holidays.
func loadTeamCalendars(c *Config) (map[string]*slaclock.Calendar, error) {
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
		cal, err := calendarWithHours(c, hours)
		if err != nil {
			return nil, err
		}
		teams[channel] = cal
	}
	return teams, nil
}

func calendarWithHours(c *Config, hours string) (*slaclock.Calendar, error) {
	open, close, err := parseHours(hours)
	if err != nil {
		return nil, err
	}
	if c.Holidays == "" {
		return slaclock.China(open, close)
	}
	data, err := os.ReadFile(c.Holidays)
	if err != nil {
		return nil, fmt.Errorf("holidays file: %w", err)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	cal, err := slaclock.ParseCalendar(string(data), loc, open, close)
	if err != nil {
		return nil, fmt.Errorf("holidays file %s: %w", c.Holidays, err)
	}
	return cal, nil
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
