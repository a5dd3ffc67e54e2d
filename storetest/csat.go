package storetest

import (
	"regexp"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func surveyToken(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	var body string
	func() error {
		nt := Notified(t, db, `WHERE event = 'csat_survey' ORDER BY created_at DESC, id DESC LIMIT 1`)
		body = nt.Body
		return nil
	}()
	tok := regexp.MustCompile(`okcsat_[A-Z2-7]+`).FindString(body)
	if tok == "" {
		t.Fatal("no survey mail")
	}
	return tok
}

func testSolveSurveyAndPending(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "xia@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "闪退"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"new", "exploded"} {
		_, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", bad)
		wantCode(t, err, okcare.EINVALID)
	}
	if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	_, err = db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketSolved)
	wantCode(t, err, okcare.ECONFLICT)
	tok := surveyToken(t, db)
	wantCode(t, db.AnswerSurvey(ctx, tok, 6, ""), okcare.EINVALID)
	wantCode(t, db.AnswerSurvey(ctx, "okcsat_forged", 5, ""), okcare.EUNAUTHORIZED)
	if sv, err := db.TicketSurvey(ctx, tk.ID); err != nil || sv == nil || sv.AnsweredAt != nil || sv.Rating != 0 {
		t.Fatalf("survey before the answer: %+v %v", sv, err)
	}
	if err := db.AnswerSurvey(ctx, tok, 4, "快，但第一次回复有点慢"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.AnswerSurvey(ctx, tok, 5, ""), okcare.ECONFLICT)
	if sv, _ := db.TicketSurvey(ctx, tk.ID); sv == nil || sv.Rating != 4 || sv.Comment != "快，但第一次回复有点慢" || sv.AnsweredAt == nil {
		t.Fatalf("survey after the answer: %+v", sv)
	}
	if sv, err := db.TicketSurvey(ctx, "tkt_none"); sv != nil || err != nil {
		t.Fatalf("a ticket without a survey: %+v %v", sv, err)
	}
	var rating int
	db.SQL().QueryRow(`SELECT rating FROM csat`).Scan(&rating)
	if rating != 4 {
		t.Fatalf("rating %d", rating)
	}
	// A reply to a solved ticket reopens it.
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "又闪退了"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketOpen {
		t.Fatalf("reply did not reopen: %s", got.Status)
	}

	// Pending on the customer: a reminder after five days, solved after seven.
	if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "请更新到 5.3.0 后再试。", true); err != nil {
		t.Fatal(err)
	}
	warn, solve := 5*24*time.Hour, 7*24*time.Hour
	scan := func(after time.Duration) (int, int) {
		t.Helper()
		w, s, err := db.PendingScan(ctx, clock.Now().Add(after), warn, solve)
		if err != nil {
			t.Fatal(err)
		}
		return w, s
	}
	if w, s := scan(4 * 24 * time.Hour); w != 0 || s != 0 {
		t.Fatalf("day 4: %d %d", w, s)
	}
	if w, s := scan(5*24*time.Hour + time.Minute); w != 1 || s != 0 {
		t.Fatalf("day 5: %d %d", w, s)
	}
	if w, s := scan(6 * 24 * time.Hour); w != 0 || s != 0 {
		t.Fatalf("day 6 reminded again: %d %d", w, s)
	}
	if w, s := scan(7*24*time.Hour + time.Minute); w != 0 || s != 1 {
		t.Fatalf("day 7: %d %d", w, s)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.Status != okcare.TicketSolved {
		t.Fatalf("not solved automatically: %s", got.Status)
	}
	var reminders, surveys int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM notifications WHERE event = 'pending_reminder'`).Scan(&reminders)
	db.SQL().QueryRow(`SELECT COUNT(*) FROM notifications WHERE event = 'csat_survey'`).Scan(&surveys)
	if reminders != 1 || surveys != 2 {
		t.Fatalf("%d reminders and %d surveys, want 1 and 2", reminders, surveys)
	}
	// A customer who answers stops the clock.
	tk2, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "yan@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "help"}})
	db.ReplyAsAgent(ctx, tk2.ID, "agt_1", "Which version?", true)
	db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk2.ID, Author: "contact", Public: true, Body: "5.1.2"})
	scan(8 * 24 * time.Hour)
	if got, _ := db.FindTicket(ctx, tk2.ID); got.Status != okcare.TicketOpen {
		t.Fatalf("an answered ticket was auto-solved: %s", got.Status)
	}
}

// testReportFacts checks the facts the reports are built from.
func testReportFacts(t *testing.T, db *sqldb.DB, clock *Clock) {
	start := clock.Now()
	old, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "old@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "old"}})
	clock.Advance(time.Hour)
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "yu@example.com", Channel: okcare.ChannelWeb, Category: "app_outdated", Lang: "zh-CN", Intake: okcare.Intake{Description: "闪退"}})
	db.ReplyAsAgent(ctx, tk.ID, "agt_1", "请更新", true)
	db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketSolved)
	if err := db.AnswerSurvey(ctx, surveyToken(t, db), 5, ""); err != nil {
		t.Fatal(err)
	}
	facts, ratings, err := db.ReportFacts(ctx, start.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != 1 || len(ratings) != 1 || ratings[0].Score != 5 {
		t.Fatalf("facts %+v ratings %+v; want the newer ticket only", facts, ratings)
	}
	f := facts[0]
	if f.Channel != "web" || f.Category != "app_outdated" || f.Status != "solved" || f.FirstRespondedAt == nil || f.SolvedAt == nil || f.ResolutionDue == nil {
		t.Fatalf("facts %+v", f)
	}
	if all, _, _ := db.ReportFacts(ctx, start); len(all) != 2 || old == nil {
		t.Fatalf("%d tickets since the start, want 2", len(all))
	}
}
