package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testTickets(t *testing.T, db *sqldb.DB, _ *Clock) {
	u := mustRegister(t, db, "quinn@example.com")
	req := okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Category: "network_offline",
		Intake:         okcare.Intake{Description: "提示无法连接服务器\n已经重启过", Symptom: "error_message", StepsTried: []string{"check-network"}, DiagnosisID: "dgn_1"},
		IdempotencyKey: "t-1", RequestHash: "h1"}
	first, err := db.CreateTicket(ctx, req)
	if err != nil || first.Number <= 100000 || first.Status != okcare.TicketNew || first.Subject != "提示无法连接服务器" || first.Intake.DiagnosisID != "dgn_1" {
		t.Fatalf("CreateTicket = %+v, %v", first, err)
	}
	again, err := db.CreateTicket(ctx, req)
	if err != nil || again.ID != first.ID {
		t.Fatalf("repeat = %+v, %v", again, err)
	}
	bad := req
	bad.RequestHash = "h2"
	_, err = db.CreateTicket(ctx, bad)
	wantCode(t, err, okcare.EIDEMPOTENCYMISMATCH)

	// Racing requests with one key make one ticket.
	var wg sync.WaitGroup
	ids := make([]string, 6)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := req
			r.IdempotencyKey = "race"
			if tk, err := db.CreateTicket(ctx, r); err == nil {
				ids[i] = tk.ID
			} else {
				t.Errorf("racing create: %v", err)
			}
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("racing creates made different tickets: %v", ids)
		}
	}

	anon, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "Guest@Example.com", Channel: okcare.ChannelWeb, Lang: "en", Intake: okcare.Intake{Description: "It crashes"}})
	if err != nil || anon.ContactEmail != "guest@example.com" || anon.Number == first.Number || anon.Category != "app_malfunction" || anon.CategorySource != okcare.CategoryByModel {
		t.Fatalf("anonymous ticket = %+v, %v", anon, err)
	}
	for _, r := range []okcare.NewTicket{
		{Channel: okcare.ChannelWeb, Lang: "en", Intake: okcare.Intake{Description: "no contact"}},
		{ContactEmail: "x@example.com", Channel: okcare.ChannelWeb, Lang: "en"},
		{ContactEmail: "not-an-email", Channel: okcare.ChannelWeb, Lang: "en", Intake: okcare.Intake{Description: "x"}},
		{ContactEmail: "x@example.com", Channel: "pigeon", Lang: "en", Intake: okcare.Intake{Description: "x"}},
	} {
		_, err := db.CreateTicket(ctx, r)
		wantCode(t, err, okcare.EINVALID)
	}

	mine, _ := db.UserTickets(ctx, u.ID)
	if len(mine) != 2 { // the first and the raced one
		t.Fatalf("user has %d tickets, want 2", len(mine))
	}
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: first.ID, Author: "agent:agt_1", Public: false, Body: "checked the logs"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: first.ID, Author: "agent:agt_1", Public: true, Body: "请切换到移动数据再试"}); err != nil {
		t.Fatal(err)
	}
	public, _ := db.TicketMessages(ctx, first.ID, false)
	all, _ := db.TicketMessages(ctx, first.ID, true)
	if len(public) != 2 || len(all) != 3 || public[0].Author != "user:"+u.ID {
		t.Fatalf("messages: %d public, %d in all", len(public), len(all))
	}
	wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: first.ID, Author: "contact", Public: true, Body: " "}), okcare.EINVALID)
	wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: "tkt_none", Author: "contact", Public: true, Body: "hi"}), okcare.ENOTFOUND)
	_, err = db.FindTicket(ctx, "tkt_none")
	wantCode(t, err, okcare.ENOTFOUND)

	// Staff replies: an internal note stays inside; a public answer is
	// mailed (threaded to the ticket), counts as the first response and
	// waits on the customer, whose reply reopens the ticket.
	if _, err := db.ReplyAsAgent(ctx, anon.ID, "agt_1", "looking at crash reports", false); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, anon.ID); got.Status != okcare.TicketNew || got.FirstRespondedAt != nil {
		t.Fatalf("an internal note changed the ticket: %+v", got)
	}
	if _, err := db.ReplyAsAgent(ctx, anon.ID, "agt_1", "Please update to 5.3.0.", true); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindTicket(ctx, anon.ID)
	if got.Status != okcare.TicketPending || got.FirstRespondedAt == nil {
		t.Fatalf("after a public reply: %+v", got)
	}
	var to, subject, ticketID string
	db.SQL().QueryRow(`SELECT to_addr, subject, ticket_id FROM notifications WHERE event = 'ticket_reply'`).Scan(&to, &subject, &ticketID)
	if to != "guest@example.com" || ticketID != anon.ID || !strings.HasPrefix(subject, "[OK#") {
		t.Fatalf("reply mail: %q %q %q", to, subject, ticketID)
	}
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: anon.ID, Author: "contact", Public: true, Body: "updated, still crashes"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, anon.ID); got.Status != okcare.TicketOpen {
		t.Fatalf("customer reply did not reopen: %s", got.Status)
	}
	_, err = db.ReplyAsAgent(ctx, anon.ID, "agt_1", "  ", true)
	wantCode(t, err, okcare.EINVALID)

	// Queues: by status, category and language, the most urgent target first.
	soon, later := db.Now().Add(time.Hour), db.Now().Add(48*time.Hour)
	urgent, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "z1@example.com", Channel: okcare.ChannelChat, Lang: "zh-CN", Category: "account_frozen",
		Intake: okcare.Intake{Description: "冻结"}, FirstResponseDue: &soon})
	relaxed, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "z2@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Category: "account_frozen",
		Intake: okcare.Intake{Description: "冻结了"}, FirstResponseDue: &later})
	q, err := db.Queue(ctx, okcare.QueueFilter{Category: "account_frozen", Lang: "zh-CN", Limit: 10})
	if err != nil || len(q) != 2 || q[0].ID != urgent.ID || q[1].ID != relaxed.ID {
		t.Fatalf("frozen queue: %v %v", q, err)
	}
	brief, err := db.Queue(ctx, okcare.QueueFilter{Category: "account_frozen", Lang: "zh-CN", Limit: 10, Brief: true})
	if err != nil || len(brief) != 2 {
		t.Fatalf("brief queue: %v %v", brief, err)
	}
	for k, b := range brief {
		full := q[k]
		if b.ID != full.ID || b.Number != full.Number || b.Subject != full.Subject || b.Category != full.Category || b.Channel != full.Channel ||
			b.Lang != full.Lang || b.Status != full.Status || !b.FirstResponseDue.Equal(*full.FirstResponseDue) || b.AssigneeID != full.AssigneeID ||
			strings.Join(b.Tags, ",") != strings.Join(full.Tags, ",") || b.Intake.Description != "" {
			t.Fatalf("brief row %d: %+v, want the list fields of %+v and no intake", k, b, full)
		}
	}
	if q, _ := db.Queue(ctx, okcare.QueueFilter{Statuses: []string{okcare.TicketOpen}, Limit: 10}); len(q) != 1 || q[0].ID != anon.ID {
		t.Fatalf("open queue: %v", q)
	}
	for _, bad := range []okcare.QueueFilter{{Limit: 0}, {Limit: 10, Lang: "fr"}, {Limit: 10, Statuses: []string{"lost"}}} {
		_, err := db.Queue(ctx, bad)
		wantCode(t, err, okcare.EINVALID)
	}
}

// testHostileSubjects: a subject is one line of text; markup and control
// characters in it are refused and nothing is stored. Bodies keep what the
// customer wrote (pages show it as text).
func testHostileSubjects(t *testing.T, db *sqldb.DB, _ *Clock) {
	for _, subject := range []string{"<script>alert(1)</script>", "hi <img src=x onerror=alert(1)>", "<!-- x -->", "a\r\nBcc: everyone@example.com", "tab\there"} {
		_, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "hax@example.com", Channel: okcare.ChannelAPI, Lang: "en", Subject: subject, Intake: okcare.Intake{Description: "x"}})
		wantCode(t, err, okcare.EINVALID)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets`); n != 0 {
		t.Fatalf("%d tickets stored", n)
	}
	for _, ok := range []string{"a < b and c > d", "版本 <5.2 闪退", "2 <3"} {
		if _, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "fine@example.com", Channel: okcare.ChannelAPI, Lang: "en", Subject: ok, Intake: okcare.Intake{Description: "x"}}); err != nil {
			t.Fatalf("%q refused: %v", ok, err)
		}
	}
	// A subject taken from the description loses its control characters.
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "fine@example.com", Channel: okcare.ChannelAPI, Lang: "en", Intake: okcare.Intake{Description: "line\rone\x07two\nline two"}})
	if err != nil || tk.Subject != "line one two" {
		t.Fatalf("derived subject %q, %v", tk.Subject, err)
	}
	// NUL characters, which PostgreSQL cannot store, are refused by both
	// stores alike, and a lookup with one simply finds nothing.
	before := count(t, db, `SELECT COUNT(*) FROM tickets`)
	_, err = db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "fine@example.com", Channel: okcare.ChannelAPI, Lang: "en", Intake: okcare.Intake{Description: "nul\x00here"}})
	wantCode(t, err, okcare.EINVALID)
	wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "a\x00b"}), okcare.EINVALID)
	if count(t, db, `SELECT COUNT(*) FROM tickets`) != before {
		t.Fatal("a refused ticket was stored")
	}
	_, err = db.FindUserByLogin(ctx, "x\x00@example.com")
	wantCode(t, err, okcare.ENOTFOUND)
	_, err = db.FindTicket(ctx, "tkt_\x00")
	wantCode(t, err, okcare.ENOTFOUND)
}
