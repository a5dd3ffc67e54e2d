package slaclock_test

import (
	"testing"
	"time"

	"github.com/okcare/okcare/slaclock"
)

func calendar(t *testing.T) *slaclock.Calendar {
	t.Helper()
	c, err := slaclock.China(9*time.Hour, 18*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(c *slaclock.Calendar, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, c.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func TestIsWorkday(t *testing.T) {
	c := calendar(t)
	for _, tt := range []struct {
		day  string
		want bool
	}{
		{"2025-09-26 12:00", true},  // Friday
		{"2025-09-27 12:00", false}, // Saturday
		{"2025-09-28 12:00", true},  // Sunday worked for National Day (调休)
		{"2025-10-01 12:00", false}, // National Day
		{"2025-10-08 12:00", false}, // last day of the 2025 Golden Week
		{"2025-10-09 12:00", true},
		{"2025-10-11 12:00", true}, // Saturday worked
		{"2026-02-14 12:00", true}, // Saturday before Spring Festival worked
		{"2026-02-16 12:00", false},
		{"2026-02-23 12:00", false}, // Monday, still Spring Festival
		{"2026-02-24 12:00", true},
		{"2026-02-28 12:00", true},  // Saturday worked
		{"2026-06-19 12:00", false}, // Dragon Boat
		{"2026-11-25 12:00", true},
	} {
		if got := c.IsWorkday(at(c, tt.day)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

func TestAdd(t *testing.T) {
	c := calendar(t)
	for _, tt := range []struct {
		name, start string
		d           time.Duration
		want        string
	}{
		{"within the day", "2026-11-25 10:00", 2 * time.Hour, "2026-11-25 12:00"},
		{"ends at closing", "2026-11-25 16:00", 2 * time.Hour, "2026-11-25 18:00"},
		{"over the evening", "2026-11-25 17:00", 2 * time.Hour, "2026-11-26 10:00"},
		{"before opening", "2026-11-25 07:30", time.Hour, "2026-11-25 10:00"},
		{"friday to monday", "2026-11-27 17:30", time.Hour, "2026-11-30 09:30"},
		{"to a worked sunday", "2025-09-26 17:00", 2 * time.Hour, "2025-09-28 10:00"},
		{"over golden week", "2025-09-30 17:00", 2 * time.Hour, "2025-10-09 10:00"},
		{"over spring festival 2026", "2026-02-14 17:00", 2 * time.Hour, "2026-02-24 10:00"},
		{"holiday start counts from next open", "2025-10-03 11:00", 30 * time.Minute, "2025-10-09 09:30"},
		{"zero from the evening is the next opening", "2026-11-25 20:00", 0, "2026-11-26 09:00"},
	} {
		if got := c.Add(at(c, tt.start), tt.d); !got.Equal(at(c, tt.want)) {
			t.Errorf("%s: Add(%s, %s) = %s, want %s", tt.name, tt.start, tt.d, got.Format("2006-01-02 15:04"), tt.want)
		}
	}
}

func TestAddWorkdaysEmailPromise(t *testing.T) {
	c := calendar(t)
	// An email on the Friday before Golden Week 2025 is due 3 business days
	// later: the worked Sunday, Monday, Tuesday.
	if got := c.AddWorkdays(at(c, "2025-09-26 10:00"), 3); !got.Equal(at(c, "2025-09-30 10:00")) {
		t.Errorf("3 business days = %s", got.Format("2006-01-02 15:04"))
	}
	// On the eve of Spring Festival 2026 one business day is the Saturday worked.
	if got := c.AddWorkdays(at(c, "2026-02-13 15:00"), 1); !got.Equal(at(c, "2026-02-14 15:00")) {
		t.Errorf("1 business day = %s", got.Format("2006-01-02 15:04"))
	}
}

func TestBetweenAndElapsedWithPauses(t *testing.T) {
	c := calendar(t)
	start, now := at(c, "2026-11-24 10:00"), at(c, "2026-11-26 12:00") // Tue 10:00 to Thu 12:00
	if got := c.Between(start, now); got != 8*time.Hour+9*time.Hour+3*time.Hour {
		t.Fatalf("Between = %s", got)
	}
	if c.Between(now, start) != 0 {
		t.Fatal("Between backwards is not zero")
	}
	paused := []slaclock.Span{
		{From: at(c, "2026-11-25 09:00"), To: at(c, "2026-11-25 13:00")}, // pending on the customer
		{From: at(c, "2026-11-25 12:00"), To: at(c, "2026-11-25 14:00")}, // overlapping: not counted twice
		{From: at(c, "2026-11-20 09:00"), To: at(c, "2026-11-24 11:00")}, // starts before the ticket: clipped
	}
	if got := c.Elapsed(start, now, paused); got != 20*time.Hour-5*time.Hour-time.Hour {
		t.Fatalf("Elapsed = %s", got)
	}
	// For any start and duration, Add and Between agree.
	for _, s := range []string{"2025-09-26 17:00", "2026-02-13 16:20", "2026-11-25 08:00", "2025-12-31 17:59"} {
		for _, d := range []time.Duration{time.Minute, 3 * time.Hour, 9 * time.Hour, 40 * time.Hour} {
			st := at(c, s)
			if got := c.Between(st, c.Add(st, d)); got != d {
				t.Errorf("Between(%s, Add(%s)) = %s", s, d, got)
			}
		}
	}
}

func TestParseCalendarErrors(t *testing.T) {
	for _, bad := range []string{"2026-13-01 off", "2026-01-01 maybe", "2026-01-01"} {
		if _, err := slaclock.ParseCalendar(bad, time.UTC, 9*time.Hour, 18*time.Hour); err == nil {
			t.Errorf("ParseCalendar(%q) accepted", bad)
		}
	}
	if _, err := slaclock.ParseCalendar("", time.UTC, 18*time.Hour, 9*time.Hour); err == nil {
		t.Error("closing before opening accepted")
	}
}

func TestFirstResponseDue(t *testing.T) {
	c := calendar(t)
	for _, tt := range []struct {
		channel, priority, created, want string
	}{
		{"email", "normal", "2025-09-26 10:00", "2025-09-30 10:00"}, // over the worked Sunday
		{"web", "normal", "2026-11-25 10:46", "2026-11-30 10:46"},
		{"email", "urgent", "2026-02-13 15:00", "2026-02-14 15:00"},
		{"chat", "normal", "2026-11-25 17:58", "2026-11-26 09:03"},
		{"chat", "urgent", "2026-11-25 10:00", "2026-11-25 10:02"},
		{"phone", "normal", "2026-11-25 10:00", "2026-11-25 18:00"},
		{"phone", "normal", "2026-11-25 19:00", "2026-11-26 18:00"},
		{"phone", "normal", "2025-10-01 10:00", "2025-10-09 18:00"}, // Golden Week
	} {
		if got := c.FirstResponseDue(tt.channel, tt.priority, at(c, tt.created)); !got.Equal(at(c, tt.want)) {
			t.Errorf("%s/%s from %s = %s, want %s", tt.channel, tt.priority, tt.created, got.Format("2006-01-02 15:04"), tt.want)
		}
	}
}

func TestIsOpenAndNextOpen(t *testing.T) {
	c := calendar(t)
	for _, tt := range []struct {
		name, at string
		open     bool
		next     string
	}{
		{"working morning", "2026-11-25 10:00", true, "2026-11-25 10:00"},
		{"at opening", "2026-11-25 09:00", true, "2026-11-25 09:00"},
		{"before opening", "2026-11-25 08:59", false, "2026-11-25 09:00"},
		{"at closing", "2026-11-25 18:00", false, "2026-11-26 09:00"},
		{"Friday evening", "2026-11-27 19:00", false, "2026-11-30 09:00"},
		{"Saturday", "2026-11-28 10:00", false, "2026-11-30 09:00"},
		{"National Day", "2025-10-03 10:00", false, "2025-10-09 09:00"},
		{"Sunday worked (调休)", "2025-09-28 10:00", true, "2025-09-28 10:00"},
		{"Friday before a worked Saturday", "2026-02-27 18:30", false, "2026-02-28 09:00"},
		{"last day of Spring Festival", "2026-02-23 12:00", false, "2026-02-24 09:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := at(c, tt.at)
			if got := c.IsOpen(now); got != tt.open {
				t.Errorf("IsOpen(%s) = %v, want %v", tt.at, got, tt.open)
			}
			if got := c.NextOpen(now); !got.Equal(at(c, tt.next)) {
				t.Errorf("NextOpen(%s) = %s, want %s", tt.at, got.In(c.Location).Format("2006-01-02 15:04"), tt.next)
			}
		})
	}
}
