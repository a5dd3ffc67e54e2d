package smtp_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare/smtp"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/storetest"
)

// send delivers raw to the support mailbox over a real SMTP conversation
// and returns the server's answer to the message.
func send(t *testing.T, addr, from, raw string) error {
	t.Helper()
	return sendTo(t, addr, from, "support@okwallet.example", raw)
}

// sendTo is send with another envelope recipient.
func sendTo(t *testing.T, addr, from, rcpt, raw string) error {
	t.Helper()
	c, err := gosmtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(from, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(rcpt, nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, strings.ReplaceAll(raw, "\n", "\r\n")); err != nil {
		return err
	}
	return w.Close()
}

// noDNS answers every DNS query "not found", without the network.
func noDNS(name string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

// startReceiver runs the inbound listener on a fresh store, refusing mail
// over maxBytes. It returns the store, the listener's address and a
// counter of rows ("tickets", "attachments WHERE ...").
func startReceiver(t *testing.T, maxBytes int64, configure ...func(*smtp.Receiver)) (*sqldb.DB, string, func(string) int) {
	t.Helper()
	db := storetest.OpenSQLite(t)
	rc := &smtp.Receiver{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Address: "support@okwallet.example",
		Own: []string{"OK Wallet <no-reply@okwallet.example>"}, ReplyKey: testKey, LookupTXT: noDNS}
	for _, f := range configure {
		f(rc)
	}
	srv := smtp.NewServer("127.0.0.1:0", "okwallet.example", maxBytes, rc)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	count := func(q string) int {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return db, ln.Addr().String(), count
}

// mailFrom is a plain message from sender.
func mailFrom(sender, headers, body string) string {
	return "From: " + sender + "\nTo: support@okwallet.example\nMessage-ID: <r" + time.Now().Format("150405.000000000") + "@example.com>\n" + headers + "\n\n" + body + "\n"
}

func TestInboundMailToTickets(t *testing.T) {
	db, addr, count := startReceiver(t, 64<<10)

	first := `From: Li Wei <LiWei@example.com>
To: support@okwallet.example
Subject: =?UTF-8?B?6ZKx5YyF5omT5LiN5byA?=
Message-ID: <m1@example.com>
Content-Type: text/plain; charset=utf-8

一打开就闪退，已经重装过了。<script>alert(1)</script>
`
	if err := send(t, addr, "liwei@example.com", first); err != nil {
		t.Fatal(err)
	}
	if err := send(t, addr, "liwei@example.com", first); err != nil { // delivered twice
		t.Fatal(err)
	}
	if n := count("tickets"); n != 1 {
		t.Fatalf("%d tickets after a duplicate delivery, want 1", n)
	}
	var id, subject, lang, number, category, source string
	db.SQL().QueryRow(`SELECT id, number, subject, lang, category, category_source FROM tickets`).Scan(&id, &number, &subject, &lang, &category, &source)
	if subject != "钱包打不开" || lang != "zh-CN" {
		t.Fatalf("ticket subject %q lang %q", subject, lang)
	}
	// Mail carries no category: the diagnosis model reads one in it.
	if category != "app_malfunction" || source != "model" {
		t.Fatalf("mailed ticket category %q from %q", category, source)
	}
	var ackSubject, ackBody, inReplyTo string
	func() error {
		nt := storetest.Notified(t, db, `WHERE event = 'ticket_ack'`)
		ackSubject, ackBody, inReplyTo = nt.Subject, nt.Body, nt.InReplyTo
		return nil
	}()
	// In the customer's language only, with the mail promise and the private link.
	if ackSubject != "[OK#"+number+"] 回复：钱包打不开" || !strings.Contains(ackBody, "1-3 个工作日") || strings.Contains(ackBody, "business days") || !strings.Contains(ackBody, "/support/t/okt_") || inReplyTo != "<m1@example.com>" {
		t.Fatalf("acknowledgement: %q %q %q", ackSubject, ackBody, inReplyTo)
	}
	if n := count("ticket_messages WHERE author = 'system' AND public = false AND body LIKE 'DKIM: none%'"); n != 1 {
		t.Fatalf("%d authentication notes on the new ticket, want 1", n)
	}
	messages := func() int { return count("ticket_messages WHERE ticket_id = '" + id + "' AND author != 'system'") }
	tok := smtp.ReplyToken(testKey, id)

	// A genuine reply threaded by In-Reply-To: our Message-ID carries the ticket id and its token.
	if err := send(t, addr, "liwei@example.com", mailFrom("liwei@example.com", "Subject: Re: hi\nIn-Reply-To: <ntf_X."+id+"."+tok+"@okwallet.example>", "still broken")); err != nil {
		t.Fatal(err)
	}
	// A client that rewrote References: the number in the subject names
	// the ticket, the reply address's plus part proves it.
	if err := sendTo(t, addr, "liwei@example.com", "support+"+tok+"@okwallet.example", mailFrom("liwei@example.com", "Subject: Re: [OK#"+number+"] 钱包打不开\nReferences: <something@else>", "更新了也不行")); err != nil {
		t.Fatal(err)
	}
	if n := messages(); n != 3 {
		t.Fatalf("ticket has %d customer messages, want 3", n)
	}

	// Forgeries: the right From and the ticket's number, but no token, a
	// made-up one or another ticket's. Each opens a ticket of its own.
	tickets := count("tickets")
	for name, c := range map[string]struct{ rcpt, headers string }{
		"subject only":         {"support@okwallet.example", "Subject: Re: [OK#" + number + "] 钱包打不开"},
		"wrong token":          {"support+" + strings.Repeat("a", 32) + "@okwallet.example", "Subject: Re: [OK#" + number + "] 钱包打不开"},
		"wrong id token":       {"support@okwallet.example", "Subject: Re: hi\nIn-Reply-To: <ntf_X." + id + "." + strings.Repeat("b", 32) + "@okwallet.example>"},
		"other ticket token":   {"support+" + smtp.ReplyToken(testKey, "tkt_01JABCDEFGHJKMNPQRSTV01234") + "@okwallet.example", "Subject: Re: [OK#" + number + "] x"},
		"token of another key": {"support+" + smtp.ReplyToken([]byte("another key"), id) + "@okwallet.example", "Subject: Re: [OK#" + number + "] x"},
	} {
		if err := sendTo(t, addr, "liwei@example.com", c.rcpt, mailFrom("Li Wei <liwei@example.com>", c.headers, "let me in: "+name)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if n := messages(); n != 3 {
		t.Fatal("a forged mail joined the ticket")
	}
	if n := count("tickets"); n != tickets+5 {
		t.Fatalf("forged mail opened %d tickets, want 5 new ones", n-tickets)
	}

	before := count("tickets")
	for name, raw := range map[string]string{
		"auto-reply":         mailFrom("bot@example.com", "Subject: Out of office\nAuto-Submitted: auto-replied", "away"),
		"auto-reply subject": mailFrom("bot@example.com", "Subject: 自动回复：[OK#"+number+"] 钱包打不开\nIn-Reply-To: <ntf_X."+id+"."+tok+"@okwallet.example>", "我正在休假"),
		"automatic reply":    mailFrom("bot@example.com", "Subject: Automatic reply: Wallet", "I am away"),
		"list":               mailFrom("bot@example.com", "Subject: news\nPrecedence: bulk", "newsletter"),
		"loop":               mailFrom("bot@example.com", "Subject: [OK#1] again\nX-Loop: support@okwallet.example", "our own mail"),
		"from us":            mailFrom("OK Wallet <no-reply@okwallet.example>", "Subject: hello", "our own mail without its headers"),
		"from support":       mailFrom("support+"+tok+"@okwallet.example", "Subject: hello", "our own mail"),
	} {
		if err := send(t, addr, "bot@example.com", raw); err != nil {
			t.Fatalf("%s refused: %v", name, err)
		}
	}
	if err := send(t, addr, "", mailFrom("mailer-daemon@example.com", "Subject: Undelivered Mail", "bounce")); err != nil {
		t.Fatal(err)
	}
	if n := count("tickets"); n != before {
		t.Fatalf("automatic mail made %d tickets", n-before)
	}
	if n := messages(); n != 3 {
		t.Fatal("an auto-reply joined the ticket")
	}

	// Oversized and malformed mail are refused with an SMTP error and leave nothing.
	huge := mailFrom("liwei@example.com", "Subject: big", strings.Repeat("x", 70<<10))
	// The server answers 552 and may close the connection while the client
	// is still writing; either way the message is refused.
	if err := send(t, addr, "liwei@example.com", huge); err == nil {
		t.Fatal("oversized mail accepted")
	}
	if err := send(t, addr, "liwei@example.com", "Subject: no sender\nMessage-ID: <x@y>\n\nbody\n"); err == nil || !strings.Contains(err.Error(), "554") {
		t.Fatalf("malformed mail: %v", err)
	}
	if n := count("tickets"); n != before {
		t.Fatal("a refused message was stored")
	}
}

// TestInboundKeepsOriginal: a reply's quoted history is removed from the
// message and the whole text is kept as original-message.txt.
func TestInboundKeepsOriginal(t *testing.T) {
	db, addr, count := startReceiver(t, 1<<20)
	raw := mailFrom("liwei@example.com", "Subject: still broken", "Still broken.\n\nOn Mon, Nov 30, 2026 at 10:00 AM OK Wallet <no-reply@okwallet.example> wrote:\n> Please update the app.\n")
	if err := send(t, addr, "liwei@example.com", raw); err != nil {
		t.Fatal(err)
	}
	var body, name string
	var data []byte
	db.SQL().QueryRow(`SELECT body FROM ticket_messages WHERE author = 'contact'`).Scan(&body)
	db.SQL().QueryRow(`SELECT filename, data FROM attachments`).Scan(&name, &data)
	if body != "Still broken." || name != "original-message.txt" || !strings.Contains(string(data), "> Please update the app.") || count("attachments") != 1 {
		t.Fatalf("message %q, attachment %q %q", body, name, data)
	}
}

// TestInboundLimitsPerSender: a flood from one address gets a few
// acknowledgements, then none, then is deferred.
func TestInboundLimitsPerSender(t *testing.T) {
	_, addr, count := startReceiver(t, 1<<20, func(rc *smtp.Receiver) {
		rc.Limits = &smtp.SenderLimits{Acks: 3, Messages: 6, Window: time.Hour}
	})
	var deferred error
	for i := 0; i < 8; i++ {
		err := send(t, addr, "victim@example.com", mailFrom("victim@example.com", "Subject: flood", "message"))
		var se *gosmtp.SMTPError
		if i < 6 && err != nil {
			t.Fatalf("message %d refused: %v", i, err)
		}
		if i >= 6 && (!errors.As(err, &se) || se.Code != 451) {
			t.Fatalf("message %d: %v, want 451", i, err)
		}
		deferred = err
	}
	if n := count("notifications WHERE event = 'ticket_ack' AND to_addr = 'victim@example.com'"); n != 3 {
		t.Fatalf("%d acknowledgements to one sender, want 3", n)
	}
	if count("tickets") != 6 || deferred == nil {
		t.Fatalf("%d tickets", count("tickets"))
	}
	if err := send(t, addr, "other@example.com", mailFrom("other@example.com", "Subject: hi", "another sender")); err != nil {
		t.Fatalf("another sender was limited too: %v", err)
	}
	if n := count("notifications WHERE event = 'ticket_ack' AND to_addr = 'other@example.com'"); n != 1 {
		t.Fatalf("%d acknowledgements to another sender, want 1", n)
	}
}

func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		"From: a@b.c\r\nMessage-ID: <x@y>\r\nSubject: hi\r\n\r\nbody\r\n",
		"From: a@b.c\r\nContent-Type: multipart/alternative; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>hi</p><blockquote>old</blockquote>\r\n--zz--\r\n",
		"From: =?GBK?B?wO7Ouw==?= <a@b.c>\r\nSubject: =?gb2312?B?x67w/Q==?=\r\n\r\n\xc7\xae\r\n",
		"From: a@b.c\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y\r\nSubject: in\r\n\r\ninner\r\n--o--\r\n",
		"From: a@b.c\r\n\r\nhi\r\n\r\n在 2026-11-30 10:00:00，\"x\" <a@b> 写道：\r\n> old\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := smtp.ParseInbound(strings.NewReader(string(raw)), "a@b.c", "support@okwallet.example")
		if err != nil {
			return
		}
		if !strings.Contains(m.From, "@") || len([]rune(m.Text)) > 10_000 {
			t.Fatalf("accepted %+v", m)
		}
		if m.Original != "" && len(m.Original) < len(m.Text) {
			t.Fatalf("original %q shorter than the text %q", m.Original, m.Text)
		}
	})
}

// A sender's mistake is refused with a 5xx and logged as a warning, never
// as an error: a stranger's mail must not page anyone.
func TestClientMistakesAreNotErrors(t *testing.T) {
	var logs bytes.Buffer
	_, addr, count := startReceiver(t, 1<<20, func(rc *smtp.Receiver) {
		rc.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	err := send(t, addr, "mallory@example.com", mailFrom("mallory@example.com", "Subject: <script>alert(1)</script>", "hello"))
	if err == nil || !strings.Contains(err.Error(), "554") {
		t.Fatalf("a subject with markup: %v", err)
	}
	if n := count("tickets"); n != 0 {
		t.Fatalf("%d tickets from a refused mail", n)
	}
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "level=WARN") {
		t.Fatalf("logs:\n%s", logs.String())
	}
}
