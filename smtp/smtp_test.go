package smtp_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-message/mail"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/smtp"
)

// capture is an SMTP server backend that keeps every message it receives.
type capture struct {
	mu   sync.Mutex
	msgs []received
}

type received struct {
	from string
	to   []string
	data []byte
}

func (c *capture) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{c: c}, nil }

type session struct {
	c   *capture
	msg received
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error { s.msg.from = from; return nil }
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = data
	s.c.mu.Lock()
	s.c.msgs = append(s.c.msgs, s.msg)
	s.c.mu.Unlock()
	return nil
}
func (s *session) Reset()        { s.msg = received{} }
func (s *session) Logout() error { return nil }

// listen runs a capturing SMTP server and returns its address.
func listen(t *testing.T) (string, *capture) {
	t.Helper()
	backend := &capture{}
	srv := gosmtp.NewServer(backend)
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), backend
}

// readMail parses a delivered message with go-message and returns its
// header and its text/plain and text/html parts.
func readMail(t *testing.T, data []byte) (mail.Header, string, string) {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var plain, html string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := p.Header.(*mail.InlineHeader).ContentType()
		b, _ := io.ReadAll(p.Body)
		switch ct {
		case "text/plain":
			plain = strings.ReplaceAll(string(b), "\r\n", "\n") // text travels with CRLF line ends
		case "text/html":
			html = string(b)
		}
	}
	return mr.Header, plain, html
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestSendThroughRealSMTPConversation(t *testing.T) {
	addr, backend := listen(t)
	sender := &smtp.Sender{Addr: addr, From: "OK 钱包 Wallet <no-reply@okwallet.example>", PlainText: true,
		SupportAddress: "support@okwallet.example", ReplyKey: testKey}
	n := &okcare.Notification{ID: "ntf_1", Channel: okcare.ChannelEmail, To: "Li Wei <alice@example.com>", Event: okcare.EventAccountFrozen,
		Subject: "账户已冻结 / Account frozen", Body: "您的账户已冻结。\nYour account is frozen.\n\n<b>不是标记</b> & more"}
	if err := sender.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(context.Background(), n); err != nil { // a retry
		t.Fatal(err)
	}
	if len(backend.msgs) != 2 {
		t.Fatalf("relay received %d messages", len(backend.msgs))
	}
	got := backend.msgs[0]
	if got.from != "no-reply@okwallet.example" || len(got.to) != 1 || got.to[0] != "alice@example.com" {
		t.Fatalf("envelope %q -> %v, want bare addresses", got.from, got.to)
	}
	h, plain, html := readMail(t, got.data)
	h2, _, _ := readMail(t, backend.msgs[1].data)
	from, _ := h.AddressList("From")
	subject, _ := h.Subject()
	id, _ := h.MessageID()
	id2, _ := h2.MessageID()
	if len(from) != 1 || from[0].Name != "OK 钱包 Wallet" || from[0].Address != "no-reply@okwallet.example" {
		t.Fatalf("From %v", from)
	}
	if raw := h.Get("From"); !strings.Contains(raw, "=?utf-8?") {
		t.Fatalf("From display name not encoded: %q", raw)
	}
	if subject != n.Subject || plain != n.Body || id != "ntf_1@okwallet.example" || id2 != id || h.Get("Auto-Submitted") != "auto-replied" {
		t.Fatalf("subject %q body %q id %q (retry %q) headers %v", subject, plain, id, id2, h)
	}
	if h.Get("Reply-To") != "" {
		t.Fatalf("a security alert has a reply address: %q", h.Get("Reply-To"))
	}
	if !strings.Contains(html, "<p>您的账户已冻结。<br>") || !strings.Contains(html, "&lt;b&gt;不是标记&lt;/b&gt; &amp; more</p>") {
		t.Fatalf("html part %q", html)
	}

	strict := &smtp.Sender{Addr: addr, From: "no-reply@okwallet.example", Domain: "okwallet.example"}
	if err := strict.Send(context.Background(), n); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("sent without TLS although not allowed to: %v", err)
	}
	n.To = "evil@example.com\r\nBcc: everyone@example.com"
	if err := sender.Send(context.Background(), n); err == nil {
		t.Fatal("header injection through the recipient was sent")
	}
	n.To, n.InReplyTo = "alice@example.com", "<x@y>\r\nBcc: everyone@example.com"
	if err := sender.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if last := backend.msgs[len(backend.msgs)-1].data; bytes.Contains(last, []byte("Bcc")) {
		t.Fatalf("header injection through In-Reply-To:\n%s", last)
	}
}

// TestTicketMailCarriesReplyToken: mail to a ticket's customer replies to
// support+<token>@ and embeds the token in its Message-ID; an agent's
// answer is not marked automatic, an acknowledgement is; mail to staff
// about the ticket has no reply address.
func TestTicketMailCarriesReplyToken(t *testing.T) {
	addr, backend := listen(t)
	sender := &smtp.Sender{Addr: addr, From: "OK Wallet <no-reply@okwallet.example>", PlainText: true,
		SupportAddress: "support@okwallet.example", ReplyKey: testKey}
	tok := smtp.ReplyToken(testKey, "tkt_01JABCDEFGHJKMNPQRSTV01234")
	if len(tok) != 32 || strings.ToLower(tok) != tok || tok == smtp.ReplyToken(testKey, "tkt_01JABCDEFGHJKMNPQRSTV01235") || tok == smtp.ReplyToken([]byte("other key"), "tkt_01JABCDEFGHJKMNPQRSTV01234") {
		t.Fatalf("token %q", tok)
	}
	for _, c := range []struct {
		event     string
		auto      string
		replyAddr string
	}{
		{"ticket_reply", "", "support+" + tok + "@okwallet.example"},
		{"ticket_ack", "auto-replied", "support+" + tok + "@okwallet.example"},
		{"sla_breach", "auto-replied", ""},
	} {
		backend.msgs = nil
		n := &okcare.Notification{ID: "ntf_" + c.event, To: "liwei@example.com", Event: c.event, TicketID: "tkt_01JABCDEFGHJKMNPQRSTV01234",
			Subject: "[OK#100001] Re: 钱包打不开", Body: "请更新。", InReplyTo: "<m1@example.com>"}
		if err := sender.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		h, _, _ := readMail(t, backend.msgs[0].data)
		replyTo, _ := h.AddressList("Reply-To")
		id, _ := h.MessageID()
		irt, _ := h.MsgIDList("In-Reply-To")
		var gotReply string
		if len(replyTo) == 1 {
			gotReply = replyTo[0].Address
		}
		if (h.Get("X-Auto-Response-Suppress") == "All") != (c.auto != "") {
			t.Errorf("%s: X-Auto-Response-Suppress %q", c.event, h.Get("X-Auto-Response-Suppress"))
		}
		if gotReply != c.replyAddr || h.Get("Auto-Submitted") != c.auto || len(irt) != 1 || irt[0] != "m1@example.com" {
			t.Errorf("%s: Reply-To %q Auto-Submitted %q In-Reply-To %v", c.event, gotReply, h.Get("Auto-Submitted"), irt)
		}
		if strings.Contains(id, tok) != (c.replyAddr != "") {
			t.Errorf("%s: Message-ID %q", c.event, id)
		}
	}
}

// TestOwnMailLoopsBack: an agent's answer has no Auto-Submitted, so should
// it come back to the support mailbox (a customer address forwarding to
// it), the X-Loop header we send is what the inbound side stops it by.
func TestOwnMailLoopsBack(t *testing.T) {
	addr, backend := listen(t)
	sender := &smtp.Sender{Addr: addr, From: smtp.DefaultFrom, PlainText: true, SupportAddress: "support@okwallet.example", ReplyKey: testKey}
	n := &okcare.Notification{ID: "ntf_loop", To: "forwarder@example.com", Event: "ticket_reply", TicketID: "tkt_01JABCDEFGHJKMNPQRSTV01234", Subject: "Re: x", Body: "answer"}
	if err := sender.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	m, err := smtp.ParseInbound(bytes.NewReader(backend.msgs[0].data), "forwarder@example.com", "support@okwallet.example")
	if err != nil {
		t.Fatal(err)
	}
	if !m.Automatic || !strings.Contains(m.Why, "X-Loop") {
		t.Fatalf("our own answer coming back: automatic %v (%s)", m.Automatic, m.Why)
	}
}

func TestAutoSubmittedByEvent(t *testing.T) {
	for event, want := range map[string]string{
		"ticket_reply":                 "",
		"ticket_followup":              "",
		"ticket_ack":                   "auto-replied",
		"csat_survey":                  "auto-replied",
		"pending_reminder":             "auto-replied",
		"sla_warning":                  "auto-replied",
		"sla_breach":                   "auto-replied",
		okcare.EventNewDeviceLogin:     "auto-replied",
		okcare.EventAccountFrozen:      "auto-replied",
		"identity_verification_code":   "auto-replied",
		"password_reset_link":          "auto-replied",
		"an_event_nobody_listed_there": "auto-replied",
	} {
		if got := smtp.AutoSubmitted(event); got != want {
			t.Errorf("AutoSubmitted(%q) = %q, want %q", event, got, want)
		}
	}
}
