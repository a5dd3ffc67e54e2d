// Package reports turns ticket and survey facts into the support desk's
// reports: SLA attainment, the first-response time distribution, tickets by
// cause and channel, and satisfaction week by week. It is pure: the store
// supplies the facts, the caller the clock and the business calendar.
package reports

import (
	"sort"
	"time"
)

// TicketFacts is what a report needs to know of one ticket.
type TicketFacts struct {
	Channel, Category, Status string
	CreatedAt                 time.Time
	FirstResponseDue          *time.Time
	FirstRespondedAt          *time.Time
	ResolutionDue             *time.Time
	PausedSince               *time.Time
	SolvedAt                  *time.Time
}

// Rating is one answered satisfaction survey.
type Rating struct {
	At    time.Time
	Score int // 1-5
}

// Attainment counts targets met, missed, and still running.
type Attainment struct {
	Met, Missed, Running int
}

// Rate is the share of decided targets that were met; 0 when none is.
func (a Attainment) Rate() float64 {
	if a.Met+a.Missed == 0 {
		return 0
	}
	return float64(a.Met) / float64(a.Met+a.Missed)
}

// Count is a number of tickets under a key (a cause or a channel).
type Count struct {
	Key string
	N   int
}

// Bucket is a number of tickets whose first response came within Upper
// business time of arrival (and after the previous bucket's); the last
// bucket has no upper bound (Upper 0).
type Bucket struct {
	Label string
	Upper time.Duration
	N     int
}

// WeekCSAT is the satisfaction of one week (starting Monday).
type WeekCSAT struct {
	Week    time.Time
	Answers int
	Average float64
}

// Report is the support desk's report over some period.
type Report struct {
	Tickets            int
	FirstResponse      Attainment
	Resolution         Attainment
	FirstResponseTimes []Bucket
	ByCause, ByChannel []Count
	CSAT               []WeekCSAT
	CSATAnswers        int
	CSATAverage        float64
}

// frtBounds are the first-response buckets, in business time: chat (5
// minutes), an hour, half a day, a business day (9 h) and three.
var frtBounds = []struct {
	label string
	upper time.Duration
}{{"≤5m", 5 * time.Minute}, {"≤1h", time.Hour}, {"≤4h", 4 * time.Hour}, {"≤1d", 9 * time.Hour}, {"≤3d", 27 * time.Hour}, {">3d", 0}}

// Build computes the report at now. businessTime measures the business time
// between two instants; loc is where weeks begin.
func Build(now time.Time, tickets []TicketFacts, ratings []Rating, businessTime func(a, b time.Time) time.Duration, loc *time.Location) *Report {
	r := &Report{Tickets: len(tickets)}
	for _, b := range frtBounds {
		r.FirstResponseTimes = append(r.FirstResponseTimes, Bucket{Label: b.label, Upper: b.upper})
	}
	causes, channels := map[string]int{}, map[string]int{}
	for i := range tickets {
		t := &tickets[i]
		causes[t.Category]++
		channels[t.Channel]++
		r.FirstResponse.add(firstResponse(t, now))
		r.Resolution.add(resolution(t, now))
		if t.FirstRespondedAt != nil {
			r.FirstResponseTimes[bucket(businessTime(t.CreatedAt, *t.FirstRespondedAt))].N++
		}
	}
	r.ByCause, r.ByChannel = sorted(causes), sorted(channels)
	r.CSAT, r.CSATAnswers, r.CSATAverage = weekly(ratings, loc)
	return r
}

type outcome int

const (
	running outcome = iota
	met
	missed
	none // no target
)

func (a *Attainment) add(o outcome) {
	switch o {
	case met:
		a.Met++
	case missed:
		a.Missed++
	case running:
		a.Running++
	}
}

func firstResponse(t *TicketFacts, now time.Time) outcome {
	switch {
	case t.FirstResponseDue == nil:
		return none
	case t.FirstRespondedAt != nil && !t.FirstRespondedAt.After(*t.FirstResponseDue):
		return met
	case t.FirstRespondedAt != nil || now.After(*t.FirstResponseDue):
		return missed
	}
	return running
}

func resolution(t *TicketFacts, now time.Time) outcome {
	solved := t.SolvedAt != nil && (t.Status == "solved" || t.Status == "closed")
	switch {
	case t.ResolutionDue == nil:
		return none
	case solved && !t.SolvedAt.After(*t.ResolutionDue):
		return met
	case solved:
		return missed
	case t.PausedSince != nil: // the clock is stopped: late only if it stopped late
		if t.PausedSince.After(*t.ResolutionDue) {
			return missed
		}
		return running
	case now.After(*t.ResolutionDue):
		return missed
	}
	return running
}

func bucket(d time.Duration) int {
	for i, b := range frtBounds {
		if b.upper == 0 || d <= b.upper {
			return i
		}
	}
	return len(frtBounds) - 1
}

// sorted lists counts largest first, then by key.
func sorted(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// weekly groups ratings by the Monday of their week, oldest first.
func weekly(ratings []Rating, loc *time.Location) ([]WeekCSAT, int, float64) {
	sums, counts := map[time.Time]int{}, map[time.Time]int{}
	total := 0
	for _, r := range ratings {
		d := r.At.In(loc)
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		sums[monday] += r.Score
		counts[monday]++
		total += r.Score
	}
	out := make([]WeekCSAT, 0, len(counts))
	for w, n := range counts {
		out = append(out, WeekCSAT{Week: w, Answers: n, Average: float64(sums[w]) / float64(n)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Week.Before(out[j].Week) })
	if len(ratings) == 0 {
		return out, 0, 0
	}
	return out, len(ratings), float64(total) / float64(len(ratings))
}
