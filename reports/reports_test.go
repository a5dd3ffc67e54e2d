package reports_test

import (
	"testing"
	"time"

	"github.com/okcare/okcare/reports"
)

var base = time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC) // Monday 10:00 in Shanghai

func at(h float64) *time.Time {
	t := base.Add(time.Duration(h * float64(time.Hour)))
	return &t
}

// wall measures plain elapsed time, enough to test the bucketing.
func wall(a, b time.Time) time.Duration { return b.Sub(a) }

func TestAttainment(t *testing.T) {
	now := *at(100)
	for _, tt := range []struct {
		name                string
		t                   reports.TicketFacts
		firstMet, firstMiss int
		firstRun            int
		resMet, resMiss     int
		resRun              int
	}{
		{"answered in time, solved in time", reports.TicketFacts{Status: "solved", FirstResponseDue: at(10), FirstRespondedAt: at(1), ResolutionDue: at(50), SolvedAt: at(20)}, 1, 0, 0, 1, 0, 0},
		{"answered late, solved late", reports.TicketFacts{Status: "closed", FirstResponseDue: at(10), FirstRespondedAt: at(11), ResolutionDue: at(50), SolvedAt: at(60)}, 0, 1, 0, 0, 1, 0},
		{"unanswered past due", reports.TicketFacts{Status: "open", FirstResponseDue: at(10), ResolutionDue: at(200)}, 0, 1, 0, 0, 0, 1},
		{"unanswered, not yet due", reports.TicketFacts{Status: "new", FirstResponseDue: at(150), ResolutionDue: at(200)}, 0, 0, 1, 0, 0, 1},
		{"paused before its target", reports.TicketFacts{Status: "pending", FirstResponseDue: at(10), FirstRespondedAt: at(2), ResolutionDue: at(50), PausedSince: at(40)}, 1, 0, 0, 0, 0, 1},
		{"paused after its target", reports.TicketFacts{Status: "pending", FirstResponseDue: at(10), FirstRespondedAt: at(2), ResolutionDue: at(50), PausedSince: at(70)}, 1, 0, 0, 0, 1, 0},
		{"reopened after solving", reports.TicketFacts{Status: "open", FirstResponseDue: at(10), FirstRespondedAt: at(2), ResolutionDue: at(50), SolvedAt: at(20)}, 1, 0, 0, 0, 1, 0},
		{"no targets", reports.TicketFacts{Status: "open"}, 0, 0, 0, 0, 0, 0},
	} {
		r := reports.Build(now, []reports.TicketFacts{tt.t}, nil, wall, time.UTC)
		if f := r.FirstResponse; f.Met != tt.firstMet || f.Missed != tt.firstMiss || f.Running != tt.firstRun {
			t.Errorf("%s: first response %+v", tt.name, f)
		}
		if s := r.Resolution; s.Met != tt.resMet || s.Missed != tt.resMiss || s.Running != tt.resRun {
			t.Errorf("%s: resolution %+v", tt.name, s)
		}
	}
	if (reports.Attainment{Met: 3, Missed: 1, Running: 9}).Rate() != 0.75 || (reports.Attainment{Running: 2}).Rate() != 0 {
		t.Error("Rate counts running targets or divides by zero")
	}
}

func TestDistributionAndCounts(t *testing.T) {
	var facts []reports.TicketFacts
	add := func(channel, cause string, responseHours float64) {
		f := reports.TicketFacts{Channel: channel, Category: cause, Status: "open", CreatedAt: base}
		if responseHours >= 0 {
			f.FirstRespondedAt = at(responseHours)
		}
		facts = append(facts, f)
	}
	add("chat", "network_offline", 0.05) // 3 minutes
	add("chat", "network_offline", 0.5)
	add("email", "app_outdated", 5)
	add("email", "account_frozen", 9) // exactly one business day: ≤1d
	add("email", "app_outdated", 30)  // > 3 days
	add("web", "app_outdated", -1)    // unanswered: not in the distribution
	r := reports.Build(*at(100), facts, nil, wall, time.UTC)
	want := map[string]int{"≤5m": 1, "≤1h": 1, "≤4h": 0, "≤1d": 2, "≤3d": 0, ">3d": 1}
	for _, b := range r.FirstResponseTimes {
		if b.N != want[b.Label] {
			t.Errorf("bucket %s = %d, want %d", b.Label, b.N, want[b.Label])
		}
	}
	if r.Tickets != 6 || r.ByCause[0] != (reports.Count{Key: "app_outdated", N: 3}) || r.ByChannel[0] != (reports.Count{Key: "email", N: 3}) {
		t.Fatalf("tickets %d, causes %+v, channels %+v", r.Tickets, r.ByCause, r.ByChannel)
	}
	if r.ByCause[1].Key != "network_offline" || r.ByCause[2].Key != "account_frozen" {
		t.Fatalf("causes not largest first: %+v", r.ByCause)
	}
}

func TestWeeklyCSAT(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	ratings := []reports.Rating{
		{At: time.Date(2026, 11, 8, 15, 0, 0, 0, time.UTC), Score: 2}, // Sunday 23:00 CST: week of 2 Nov
		{At: time.Date(2026, 11, 8, 17, 0, 0, 0, time.UTC), Score: 5}, // Monday 01:00 CST: week of 9 Nov
		{At: time.Date(2026, 11, 3, 1, 0, 0, 0, time.UTC), Score: 4},
		{At: time.Date(2026, 11, 12, 1, 0, 0, 0, time.UTC), Score: 3},
	}
	r := reports.Build(base, nil, ratings, wall, shanghai)
	if len(r.CSAT) != 2 || r.CSATAnswers != 4 || r.CSATAverage != 3.5 {
		t.Fatalf("weeks %+v answers %d average %v", r.CSAT, r.CSATAnswers, r.CSATAverage)
	}
	first, second := r.CSAT[0], r.CSAT[1]
	if first.Week.Day() != 2 || first.Answers != 2 || first.Average != 3 || second.Week.Day() != 9 || second.Average != 4 {
		t.Fatalf("weeks %+v", r.CSAT)
	}
}
