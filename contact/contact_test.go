package contact_test

import (
	"testing"
	"time"

	"github.com/okcare/okcare/contact"
	"github.com/okcare/okcare/slaclock"
)

func china(t *testing.T, open, close time.Duration) *slaclock.Calendar {
	t.Helper()
	c, err := slaclock.China(open, close)
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

func TestAvailable(t *testing.T) {
	office := china(t, 9*time.Hour, 18*time.Hour)
	chat := china(t, 8*time.Hour, 22*time.Hour)
	policies, err := slaclock.ParsePolicies("chat * first=2m resolve=1d\nphone * first=eod resolve=2d\n* * first=3d resolve=5d\n")
	if err != nil {
		t.Fatal(err)
	}
	desk := contact.Desk{Calendar: office, Teams: map[string]*slaclock.Calendar{"chat": chat}, Policies: policies}
	for _, tt := range []struct {
		name, channel, now string
		open, close        time.Duration
		openNow            bool
		next               string
		promise            string
	}{
		{"chat in the evening, on its own hours", "chat", "2026-11-25 20:00", 8 * time.Hour, 22 * time.Hour, true, "2026-11-25 20:00", "2m"},
		{"email in the evening, office hours", "email", "2026-11-25 20:00", 9 * time.Hour, 18 * time.Hour, false, "2026-11-26 09:00", "3d"},
		{"the form is answered like email", "web", "2026-11-25 10:00", 9 * time.Hour, 18 * time.Hour, true, "2026-11-25 10:00", "3d"},
		{"phone on a Saturday", "phone", "2026-11-28 10:00", 9 * time.Hour, 18 * time.Hour, false, "2026-11-30 09:00", "eod"},
		{"chat on National Day", "chat", "2025-10-01 10:00", 8 * time.Hour, 22 * time.Hour, false, "2025-10-09 08:00", "2m"},
		{"chat on a worked Sunday (调休)", "chat", "2025-09-28 08:30", 8 * time.Hour, 22 * time.Hour, true, "2025-09-28 08:30", "2m"},
		{"chat after the last holiday evening", "chat", "2026-02-23 23:00", 8 * time.Hour, 22 * time.Hour, false, "2026-02-24 08:00", "2m"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cal := desk.CalendarFor(tt.channel)
			a := desk.Available(tt.channel, at(cal, tt.now))
			if a.Open != tt.open || a.Close != tt.close || a.OpenNow != tt.openNow || !a.NextOpen.Equal(at(cal, tt.next)) || a.FirstResponse.String() != tt.promise {
				t.Errorf("got hours %v-%v open %v next %s promise %s", a.Open, a.Close, a.OpenNow, a.NextOpen.In(cal.Location).Format("2006-01-02 15:04"), a.FirstResponse)
			}
		})
	}
	all := desk.All(at(office, "2026-11-25 10:00"))
	if len(all) != 4 || all[0].Channel != "chat" || all[3].Channel != "web" {
		t.Fatalf("All = %+v", all)
	}
	// Without configuration: the mainland office calendar and the defaults.
	plain := contact.Desk{Calendar: office}
	if got := plain.Promise("chat").String(); got != "5m" {
		t.Errorf("default chat promise %s, want 5m", got)
	}
}

func TestEstimateWait(t *testing.T) {
	for _, tt := range []struct {
		ahead, agents, position int
		want                    time.Duration
	}{
		{0, 1, 1, 3 * time.Minute},
		{2, 1, 3, 9 * time.Minute},
		{2, 2, 3, 6 * time.Minute},
		{5, 3, 6, 6 * time.Minute},
		{0, 0, 1, 0}, // nobody online: no estimate
		{4, 0, 5, 0},
		{-1, 1, 1, 3 * time.Minute},
	} {
		got := contact.EstimateWait(tt.ahead, tt.agents, contact.PerChat)
		if got.Position != tt.position || got.Estimate != tt.want {
			t.Errorf("EstimateWait(%d, %d) = %+v, want position %d, %v", tt.ahead, tt.agents, got, tt.position, tt.want)
		}
	}
}

func TestCallback(t *testing.T) {
	office := china(t, 9*time.Hour, 18*time.Hour)
	late := china(t, 9*time.Hour, 20*time.Hour)
	eod := slaclock.Target{EndOfDay: true}
	for _, tt := range []struct {
		name   string
		cal    *slaclock.Calendar
		window string
		now    string
		from   string
		to     string
	}{
		{"morning asked early", office, "morning", "2026-11-25 07:10", "2026-11-25 09:00", "2026-11-25 12:00"},
		{"morning asked during the morning", office, "morning", "2026-11-25 10:20", "2026-11-25 10:20", "2026-11-25 12:00"},
		{"morning asked in the last minutes", office, "morning", "2026-11-25 11:45", "2026-11-26 09:00", "2026-11-26 12:00"},
		{"morning asked in the afternoon", office, "morning", "2026-11-25 15:00", "2026-11-26 09:00", "2026-11-26 12:00"},
		{"morning asked on Friday afternoon", office, "morning", "2026-11-27 15:00", "2026-11-30 09:00", "2026-11-30 12:00"},
		{"morning asked on Saturday", office, "morning", "2026-11-28 08:00", "2026-11-30 09:00", "2026-11-30 12:00"},
		{"morning asked on National Day", office, "morning", "2025-10-01 09:30", "2025-10-09 09:00", "2025-10-09 12:00"},
		{"morning before a worked Sunday (调休)", office, "morning", "2025-09-27 16:00", "2025-09-28 09:00", "2025-09-28 12:00"},
		{"morning asked on a worked Saturday (调休)", office, "morning", "2026-02-28 09:40", "2026-02-28 09:40", "2026-02-28 12:00"},
		{"morning asked at the end of Spring Festival", office, "morning", "2026-02-23 13:00", "2026-02-24 09:00", "2026-02-24 12:00"},
		{"afternoon asked in the morning", office, "afternoon", "2026-11-25 10:00", "2026-11-25 13:00", "2026-11-25 18:00"},
		{"afternoon asked during the afternoon", office, "afternoon", "2026-11-25 16:00", "2026-11-25 16:00", "2026-11-25 18:00"},
		{"afternoon asked in the evening", office, "afternoon", "2026-11-25 19:00", "2026-11-26 13:00", "2026-11-26 18:00"},
		{"afternoon follows the team's closing", late, "afternoon", "2026-11-25 18:30", "2026-11-25 18:30", "2026-11-25 20:00"},
		{"afternoon on the eve of Dragon Boat", office, "afternoon", "2026-06-18 18:00", "2026-06-22 13:00", "2026-06-22 18:00"},
		{"asap during hours", office, "asap", "2026-11-25 10:00", "2026-11-25 10:00", "2026-11-25 18:00"},
		{"asap at night", office, "asap", "2026-11-25 23:00", "2026-11-26 09:00", "2026-11-26 18:00"},
		{"asap just before closing", office, "asap", "2026-11-25 17:45", "2026-11-26 09:00", "2026-11-26 18:00"},
		{"asap on New Year's Day", office, "asap", "2026-01-01 10:00", "2026-01-04 09:00", "2026-01-04 18:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, err := contact.Callback(tt.cal, eod, tt.window, at(tt.cal, tt.now))
			if err != nil {
				t.Fatal(err)
			}
			f := func(t time.Time) string { return t.In(office.Location).Format("2006-01-02 15:04") }
			if f(w.From) != tt.from || f(w.To) != tt.to {
				t.Errorf("Callback(%s at %s) = %s - %s, want %s - %s", tt.window, tt.now, f(w.From), f(w.To), tt.from, tt.to)
			}
		})
	}
	// Seconds are rounded up to the next minute.
	now := at(office, "2026-11-25 10:20").Add(12 * time.Second)
	if w, _ := contact.Callback(office, eod, "morning", now); !w.From.Equal(at(office, "2026-11-25 10:21")) {
		t.Errorf("from %s", w.From)
	}
	// A team opening after noon has no morning.
	noon := china(t, 13*time.Hour, 21*time.Hour)
	if _, err := contact.Callback(noon, eod, "morning", at(noon, "2026-11-25 10:00")); err == nil {
		t.Error("a morning window in a team's afternoon-only hours")
	}
	if _, err := contact.Callback(office, eod, "tonight", at(office, "2026-11-25 10:00")); err == nil {
		t.Error("an unknown window")
	}
}
