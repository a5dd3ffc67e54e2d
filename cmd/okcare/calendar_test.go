package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/slaclock"
)

func TestLoadCalendarAndPolicies(t *testing.T) {
	dir := t.TempDir()
	holidays := filepath.Join(dir, "holidays.txt")
	os.WriteFile(holidays, []byte("2026-11-26 off company day\n"), 0o600)
	policy := filepath.Join(dir, "sla.txt")
	os.WriteFile(policy, []byte("email * first=1d resolve=2d\n* * first=4h resolve=3d\n"), 0o600)

	c := DefaultConfig()
	c.Hours, c.Holidays, c.SLAPolicy = "10:00-19:00", holidays, policy
	base, err := loadHolidayBase(&c)
	if err != nil {
		t.Fatal(err)
	}
	book := slaclock.NewBook(slaclock.NewData(base...))
	cal, err := loadCalendar(&c, book)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Open != 10*time.Hour || cal.Close != 19*time.Hour {
		t.Fatalf("hours %v-%v", cal.Open, cal.Close)
	}
	thursday := time.Date(2026, 11, 26, 12, 0, 0, 0, cal.Location)
	if cal.IsWorkday(thursday) {
		t.Fatal("the holidays file was not used")
	}
	pol, err := loadPolicies(&c)
	if err != nil {
		t.Fatal(err)
	}
	if got := pol.For(okcare.ChannelMail, okcare.PriorityUrgent).FirstResponse.String(); got != "1d" {
		t.Fatalf("email first response %s, want the file's 1d", got)
	}

	for _, bad := range []Config{
		{Hours: "18:00-09:00"}, {Hours: "9-18"}, {Hours: "24:00-24:00"}, {Hours: "00:00-24:30"},
	} {
		if _, err := loadCalendar(&bad, book); err == nil {
			t.Errorf("loadCalendar(%+v) succeeded", bad)
		}
	}
	for _, bad := range []string{filepath.Join(dir, "missing"), policy} {
		if _, err := loadHolidayBase(&Config{Holidays: bad}); err == nil {
			t.Errorf("holidays file %s accepted", bad)
		}
	}
	c.Hours, c.Holidays = "00:00-24:00", ""
	if allDay, err := loadCalendar(&c, book); err != nil || !allDay.IsOpen(time.Date(2026, 11, 25, 23, 59, 30, 0, allDay.Location)) {
		t.Fatalf("00:00-24:00 is not open at 23:59: %v", err)
	}
	c.Hours, c.Holidays = "10:00-19:00", holidays
	c.TeamHours = "chat=08:00-22:00, phone=09:00-20:00"
	teams, err := loadTeamCalendars(&c, book)
	if err != nil || teams["chat"].Close != 22*time.Hour || teams["phone"].Open != 9*time.Hour || teams["chat"].IsWorkday(thursday) {
		t.Fatalf("team calendars %v %v", teams, err)
	}
	for _, bad := range []string{"fax=09:00-18:00", "chat", "chat=late"} {
		c.TeamHours = bad
		if _, err := loadTeamCalendars(&c, book); err == nil {
			t.Errorf("team hours %q accepted", bad)
		}
	}
	os.WriteFile(policy, []byte("email * first=1d resolve=2d\n"), 0o600)
	if _, err := loadPolicies(&c); err == nil {
		t.Error("a policy file without '* *' was accepted")
	}
}
