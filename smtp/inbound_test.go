package smtp_test

import (
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

// send delivers raw over a real SMTP conversation and returns the server's
// answer to the message.
func send(t *testing.T, addr, from, raw string) error {
	t.Helper()
	c, err := gosmtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(from, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("support@okwallet.example", nil); err != nil {
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

// startReceiver runs the inbound listener on a fresh store, refusing mail
// over maxBytes. It returns the store, the listener's address and a
// counter of rows ("tickets", "attachments WHERE ...").
func startReceiver(t *testing.T, maxBytes int64) (*sqldb.DB, string, func(string) int) {
	t.Helper()
	db := storetest.OpenSQLite(t)
	rc := &smtp.Receiver{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Address: "support@okwallet.example"}
	srv := smtp.NewServer("127.0.0.1:0", "okwallet.example", maxBytes, rc)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	count := func(q string) int {
		var n int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + q).Scan(&n)
		return n
	}
	return db, ln.Addr().String(), count
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
	var id, subject, lang string
	var number int64
	db.SQL().QueryRow(`SELECT id, number, subject, lang FROM tickets`).Scan(&id, &number, &subject, &lang)
	if subject != "钱包打不开" || lang != "zh-CN" {
		t.Fatalf("ticket subject %q lang %q", subject, lang)
	}
	var ackSubject, ackBody, inReplyTo string
	db.SQL().QueryRow(`SELECT subject, body, in_reply_to FROM notifications WHERE event = 'ticket_ack'`).Scan(&ackSubject, &ackBody, &inReplyTo)
	num := strings.TrimLeft(ackSubject, "[OK#")
	if !strings.HasPrefix(ackSubject, "[OK#1") || !strings.Contains(ackBody, "1-3 个工作日") || strings.Contains(ackBody, "business days") || !strings.Contains(ackBody, "/support/t/okt_") || inReplyTo != "<m1@example.com>" || num == "" {
		t.Fatalf("acknowledgement: %q %q %q", ackSubject, ackBody, inReplyTo)
	}

	reply := func(headers, body string) string {
		return "From: liwei@example.com\nTo: support@okwallet.example\nMessage-ID: <r" + time.Now().Format("150405.000000") + "@example.com>\n" + headers + "\n\n" + body + "\n"
	}
	// Threaded by In-Reply-To (our Message-ID carries the ticket id).
	if err := send(t, addr, "liwei@example.com", reply("Subject: Re: hi\nIn-Reply-To: <"+id+".ntf_X@okwallet.example>", "still broken")); err != nil {
		t.Fatal(err)
	}
	// A client that rewrote References: the subject's ticket number threads it.
	if err := send(t, addr, "liwei@example.com", reply("Subject: Re: [OK#"+strings.Split(num, "]")[0]+"] 钱包打不开\nReferences: <something@else>", "更新了也不行")); err != nil {
		t.Fatal(err)
	}
	if n := count("ticket_messages WHERE ticket_id = '" + id + "'"); n != 3 {
		t.Fatalf("ticket has %d messages, want 3", n)
	}
	// A stranger quoting the number does not get into the ticket.
	if err := send(t, addr, "mallory@example.com", strings.Replace(reply("Subject: [OK#"+strings.Split(num, "]")[0]+"] hi", "let me in"), "From: liwei@example.com", "From: mallory@example.com", 1)); err != nil {
		t.Fatal(err)
	}
	if n := count("ticket_messages WHERE ticket_id = '" + id + "'"); n != 3 {
		t.Fatal("a stranger's mail joined the ticket")
	}

	before := count("tickets")
	for name, raw := range map[string]string{
		"auto-reply": reply("Subject: Out of office\nAuto-Submitted: auto-replied", "away"),
		"list":       reply("Subject: news\nPrecedence: bulk", "newsletter"),
		"loop":       reply("Subject: [OK#1] again\nX-Loop: support@okwallet.example", "our own mail"),
	} {
		if err := send(t, addr, "bot@example.com", raw); err != nil {
			t.Fatalf("%s refused: %v", name, err)
		}
	}
	if err := send(t, addr, "", reply("Subject: Undelivered Mail", "bounce")); err != nil {
		t.Fatal(err)
	}
	if n := count("tickets"); n != before {
		t.Fatalf("automatic mail made %d tickets", n-before)
	}

	// Oversized and malformed mail are refused with an SMTP error and leave nothing.
	huge := reply("Subject: big", strings.Repeat("x", 70<<10))
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

func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		"From: a@b.c\r\nMessage-ID: <x@y>\r\nSubject: hi\r\n\r\nbody\r\n",
		"From: a@b.c\r\nContent-Type: multipart/alternative; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--zz--\r\n",
		"From: =?GBK?B?wO7Ouw==?= <a@b.c>\r\nSubject: =?gb2312?B?x67w/Q==?=\r\n\r\n\xc7\xae\r\n",
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
	})
}
