package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/slaclock"
	"github.com/okcare/okcare/sqldb"
)

// testResolutionClock checks the resolution target: set from the policy at
// creation, moved later by the business time spent pending, reported once
// when it passes while the clock runs, and judged against the solve time.
func testResolutionClock(t *testing.T, db *sqldb.DB, clock *Clock) {
	cst := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// The suite's clock is Wednesday 2026-11-25 17:00 in Shanghai.
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "wen@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN",
		Intake: okcare.Intake{Description: "打不开"}})
	if err != nil {
		t.Fatal(err)
	}
	if !tk.FirstResponseDue.Equal(at("2026-11-30 17:00")) || !tk.ResolutionDue.Equal(at("2026-12-02 17:00")) {
		t.Fatalf("targets %v / %v, want 3 and 5 working days", tk.FirstResponseDue, tk.ResolutionDue)
	}
	urgent, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "wen@example.com", Channel: okcare.ChannelChat, Priority: okcare.PriorityUrgent,
		Lang: "zh-CN", Intake: okcare.Intake{Description: "急"}})
	if err != nil {
		t.Fatal(err)
	}
	if !urgent.FirstResponseDue.Equal(at("2026-11-25 17:02")) || !urgent.ResolutionDue.Equal(at("2026-11-26 12:00")) {
		t.Fatalf("urgent chat targets %v / %v", urgent.FirstResponseDue, urgent.ResolutionDue)
	}
	_, err = db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "wen@example.com", Channel: okcare.ChannelWeb, Priority: "asap", Lang: "en", Intake: okcare.Intake{Description: "x"}})
	wantCode(t, err, okcare.EINVALID)

	// An answer pauses the clock; a day later the customer writes back.
	if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "请更新到最新版本。", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.PausedSince == nil || !got.PausedSince.Equal(clock.Now()) {
		t.Fatalf("paused since %v, want now", got.PausedSince)
	}
	clock.Advance(24 * time.Hour)
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "还是不行"}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindTicket(ctx, tk.ID)
	// Paused 9 business hours (Wed 17-18, Thu 9-17): the target moves from
	// Wed 2 Dec 17:00 to Thu 3 Dec 17:00.
	if got.PausedSince != nil || !got.ResolutionDue.Equal(at("2026-12-03 17:00")) {
		t.Fatalf("after the pause: paused %v, due %v; want running, due 2026-12-03 17:00", got.PausedSince, got.ResolutionDue.In(cst))
	}

	// A second pause through a status change is counted as well.
	if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketPending); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour) // Thu 18:00: nothing more in business time
	if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketOpen); err != nil {
		t.Fatal(err)
	}
	if got, _ = db.FindTicket(ctx, tk.ID); !got.ResolutionDue.Equal(at("2026-12-03 18:00")) {
		t.Fatalf("after the second pause due %v, want 2026-12-03 18:00", got.ResolutionDue.In(cst))
	}

	// Late: reported once. The urgent chat, late too, has been quiet since
	// its answer, so the scan finds it paused (pending since the answer,
	// sqldb/chatturn.go) and does not report it until it resumes.
	db.ReplyAsAgent(ctx, urgent.ID, "agt_1", "在查", true)
	_, breached, err := db.SLAScan(ctx, at("2026-12-04 10:00"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if breached != 1 {
		t.Fatalf("%d breaches reported, want the web ticket's resolution only", breached)
	}
	if _, b, _ := db.SLAScan(ctx, at("2026-12-04 11:00"), time.Hour); b != 0 {
		t.Fatalf("the breach was reported again")
	}
	got, _ = db.FindTicket(ctx, tk.ID)
	if !got.ResolutionBreached(at("2026-12-04 10:00")) || got.ResolutionBreached(at("2026-12-03 17:59")) {
		t.Fatal("ResolutionBreached disagrees with the target")
	}
	solved, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketSolved)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ = db.FindTicket(ctx, solved.ID); got.SolvedAt == nil || !got.SolvedAt.Equal(clock.Now()) {
		t.Fatalf("solved_at %v, want now", got.SolvedAt)
	}
	// Solved at 18:00 on the 26th: well inside the target.
	if got.ResolutionBreached(at("2027-01-01 00:00")) {
		t.Fatal("a ticket solved before its target counts as breached")
	}
}

// testPriority: raising the priority pulls the targets in; the paused time
// already counted stays counted.
func testPriority(t *testing.T, db *sqldb.DB, clock *Clock) {
	cst := time.FixedZone("CST", 8*3600)
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "pri@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "frozen"}})
	_, err := db.SetTicketPriority(ctx, tk.ID, "agent:agt_1", "critical")
	wantCode(t, err, okcare.EINVALID)
	up, err := db.SetTicketPriority(ctx, tk.ID, "agent:agt_1", okcare.PriorityUrgent)
	if err != nil {
		t.Fatal(err)
	}
	// Created Wednesday 17:00 in Shanghai: urgent is answered within one
	// working day and resolved within two.
	if up.Priority != okcare.PriorityUrgent || up.FirstResponseDue.In(cst).Format("01-02 15:04") != "11-26 17:00" || up.ResolutionDue.In(cst).Format("01-02 15:04") != "11-27 17:00" {
		t.Fatalf("urgent: %s %v %v", up.Priority, up.FirstResponseDue.In(cst), up.ResolutionDue.In(cst))
	}
	// Pause for a business hour, then lower it again: the hour stays.
	db.ReplyAsAgent(ctx, tk.ID, "agt_1", "checking", true)
	clock.Advance(17 * time.Hour) // to Thursday 10:00
	db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "still frozen"})
	down, err := db.SetTicketPriority(ctx, tk.ID, "agent:agt_1", okcare.PriorityNormal)
	if err != nil {
		t.Fatal(err)
	}
	// Five working days (to 2 Dec 17:00) plus the 2 paused business hours
	// (Wed 17-18, Thu 9-10): 1 h on the 2nd, 1 h on the 3rd.
	if got := down.ResolutionDue.In(cst).Format("01-02 15:04"); got != "12-03 10:00" {
		t.Fatalf("normal again: resolution due %s", got)
	}
	if !down.FirstResponseDue.Equal(*up.FirstResponseDue) {
		t.Fatal("the first-response target moved after the first response")
	}
}

// testTeamCalendars: a channel answered by a team with longer hours gets
// its targets on that team's calendar.
func testTeamCalendars(t *testing.T, db *sqldb.DB, clock *Clock) {
	evening, err := slaclock.China(8*time.Hour, 22*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	db.TeamCalendars = map[string]*slaclock.Calendar{okcare.ChannelChat: evening}
	defer func() { db.TeamCalendars = nil }()
	clock.Advance(2 * time.Hour) // Wednesday 19:00 in Shanghai: after the office closes
	chat, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "eve@example.com", Channel: okcare.ChannelChat, Lang: "zh-CN", Intake: okcare.Intake{Description: "在吗"}})
	mail, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "eve@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "在吗"}})
	cst := time.FixedZone("CST", 8*3600)
	if got := chat.FirstResponseDue.In(cst).Format("01-02 15:04"); got != "11-25 19:05" {
		t.Fatalf("chat answered by the evening team due %s, want 11-25 19:05", got)
	}
	if got := mail.FirstResponseDue.In(cst).Format("01-02 15:04"); got != "11-30 18:00" { // from Thursday 09:00, three working days
		t.Fatalf("mail due %s, want 11-30 18:00", got)
	}
}
