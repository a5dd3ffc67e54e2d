package storetest

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

var ticketLink = regexp.MustCompile(`/support/t/(okt_[A-Za-z0-9]+)`)

// lastAck reads a ticket's acknowledgement from the outbox.
func lastAck(t *testing.T, db *sqldb.DB, ticketID string) (channel, to, subject, body string) {
	t.Helper()
	n := Notified(t, db, `WHERE event = 'ticket_ack' AND ticket_id = ?`, ticketID)
	return n.Channel, n.To, n.Subject, n.Body
}

// Every new ticket, whatever its channel, is acknowledged in the
// customer's language with its number, the promised first-response time
// for that channel and a private link that opens that ticket alone.
func testAcknowledgements(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.PublicURL = "https://help.okwallet.example/"
	web, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "ying@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "一直转圈"}})
	if err != nil {
		t.Fatal(err)
	}
	channel, to, subject, body := lastAck(t, db, web.ID)
	due := web.FirstResponseDue.In(time.FixedZone("", 8*3600)).Format("2006-01-02 15:04")
	if channel != okcare.ChannelEmail || to != "ying@example.com" || !strings.Contains(subject, "#") || !hasHan(subject) {
		t.Fatalf("web ack by %s to %q: %q", channel, to, subject)
	}
	if !strings.Contains(body, "#"+itoa(web.Number)) || !strings.Contains(body, due) || strings.Contains(body, "ticket") {
		t.Fatalf("web ack body (want #%d, %s, Chinese only): %q", web.Number, due, body)
	}
	m := ticketLink.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "https://help.okwallet.example/support/t/okt_") {
		t.Fatalf("no private link on the public URL: %q", body)
	}
	if got, err := db.TicketByLink(ctx, m[1]); err != nil || got.ID != web.ID {
		t.Fatalf("TicketByLink = %+v, %v", got, err)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM ticket_access WHERE token_hash = '`+m[1]+`'`); n != 0 {
		t.Fatal("the link's token is stored in clear")
	}
	for _, bad := range []string{"", "okt_", m[1] + "x", "okt_" + strings.Repeat("A", 200), "tkt_" + web.ID} {
		_, err := db.TicketByLink(ctx, bad)
		wantCode(t, err, okcare.EUNAUTHORIZED)
	}
	outbox, _ := db.Outbox(ctx, 10)
	for _, n := range outbox {
		if strings.Contains(n.Body, m[1]) {
			t.Fatal("the staff outbox shows the private link")
		}
	}

	// A callback with a phone only: an SMS, in English for an English ticket.
	call, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactPhone: "+8613700137000", Channel: okcare.ChannelPhone, Lang: "en", Intake: okcare.Intake{Description: "call me", CallbackWindow: "asap"}})
	channel, to, _, body = lastAck(t, db, call.ID)
	if channel != okcare.ChannelSMS || to != "+8613700137000" || hasHan(body) || !strings.Contains(body, itoa(call.Number)) || !ticketLink.MatchString(body) {
		t.Fatalf("callback ack by %s to %q: %q", channel, to, body)
	}

	// Signed in, no contact typed: the registered address.
	u := mustRegister(t, db, "hua@example.com")
	api, _ := db.CreateTicket(ctx, okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelAPI, Lang: "en", Intake: okcare.Intake{Description: "white screen"}})
	if channel, to, _, body := lastAck(t, db, api.ID); channel != okcare.ChannelEmail || to != "hua@example.com" || !strings.Contains(body, "Beijing time") {
		t.Fatalf("signed-in ack by %s to %q: %q", channel, to, body)
	}

	// Chat promises differ from mail: each channel's own target.
	chat, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "ying@example.com", Channel: okcare.ChannelChat, Lang: "zh-CN", Intake: okcare.Intake{Description: "在吗"}})
	if !chat.FirstResponseDue.Before(*web.FirstResponseDue) {
		t.Fatalf("chat due %v not sooner than web due %v", chat.FirstResponseDue, web.FirstResponseDue)
	}
	_, _, _, body = lastAck(t, db, chat.ID)
	if !strings.Contains(body, chat.FirstResponseDue.In(time.FixedZone("", 8*3600)).Format("2006-01-02 15:04")) {
		t.Fatalf("chat ack does not promise the chat target: %q", body)
	}

	// Links expire.
	clock.Advance(61 * 24 * time.Hour)
	_, err = db.TicketByLink(ctx, m[1])
	wantCode(t, err, okcare.EUNAUTHORIZED)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// countRows runs a COUNT query.
func countRows(t *testing.T, db *sqldb.DB, q string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// lastBody reads the newest outbox message of an event.
func lastBody(t *testing.T, db *sqldb.DB, event string) (subject, body string) {
	t.Helper()
	n := Notified(t, db, `WHERE event = ? ORDER BY created_at DESC, id DESC LIMIT 1`, event)
	return n.Subject, n.Body
}

// Customers get mail in one language: theirs (chosen at registration,
// then what they last used on the help center), never both glued together.
func testCustomerLanguage(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.PublicURL = "https://help.okwallet.example"
	en, err := db.Register(ctx, okcare.RegisterRequest{Email: "sam@example.com", Password: "blue-kettle-42", Lang: "en"})
	if err != nil || en.Lang != "en" {
		t.Fatalf("register en: %+v %v", en, err)
	}
	_, err = db.Register(ctx, okcare.RegisterRequest{Email: "x@example.com", Password: "blue-kettle-42", Lang: "fr"})
	wantCode(t, err, okcare.EINVALID)
	if _, _, err := login(db, "sam@example.com", "blue-kettle-42", "phone-1", ""); err != nil {
		t.Fatal(err)
	}
	if subject, body := lastBody(t, db, okcare.EventNewDeviceLogin); hasHan(subject+body) || !strings.Contains(body, "new device") {
		t.Fatalf("English user's alert: %q %q", subject, body)
	}
	zh := mustRegister(t, db, "wu@example.com")
	if zh.Lang != "zh-CN" {
		t.Fatalf("default language %q", zh.Lang)
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: zh.ID, To: okcare.AccountFrozen, Reason: "risk_review", Actor: "agent:a"}); err != nil {
		t.Fatal(err)
	}
	if subject, body := lastBody(t, db, okcare.EventAccountFrozen); !hasHan(subject) || strings.Contains(body, "frozen") {
		t.Fatalf("Chinese user's alert: %q %q", subject, body)
	}
	if err := db.SetUserLang(ctx, zh.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, zh.ID); got.Lang != "en" {
		t.Fatalf("language %q after SetUserLang", got.Lang)
	}
	wantCode(t, db.SetUserLang(ctx, zh.ID, "de"), okcare.EINVALID)
	wantCode(t, db.SetUserLang(ctx, "usr_missing", "en"), okcare.ENOTFOUND)

	// Ticket mail follows the ticket's language, links the public URL.
	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "sam@example.com", Channel: okcare.ChannelWeb, Lang: "en", Subject: "App won't open", Intake: okcare.Intake{Description: "white screen"}})
	if _, err := db.ReplyAsAgent(ctx, tk.ID, "agt_1", "Please update the app.", true); err != nil {
		t.Fatal(err)
	}
	if subject, body := lastBody(t, db, "ticket_reply"); subject != "[OK#"+itoa(tk.Number)+"] Re: App won't open" || hasHan(body) {
		t.Fatalf("reply mail: %q %q", subject, body)
	}
	if _, err := db.SetTicketStatus(ctx, tk.ID, "agent:agt_1", okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	if subject, body := lastBody(t, db, "csat_survey"); hasHan(subject+body) || !strings.Contains(body, "https://help.okwallet.example/csat?lang=en&token=okcsat_") {
		t.Fatalf("survey mail: %q %q", subject, body)
	}
}
