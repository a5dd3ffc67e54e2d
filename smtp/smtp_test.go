package smtp_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

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

func TestSendThroughRealSMTPConversation(t *testing.T) {
	backend := &capture{}
	srv := gosmtp.NewServer(backend)
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	sender := &smtp.Sender{Addr: ln.Addr().String(), From: "no-reply@okwallet.example", Domain: "okwallet.example", PlainText: true}
	n := &okcare.Notification{ID: "ntf_1", Channel: okcare.ChannelEmail, To: "alice@example.com", Event: okcare.EventAccountFrozen,
		Subject: "账户已冻结 / Account frozen", Body: "您的账户已冻结。\nYour account is frozen."}
	if err := sender.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if len(backend.msgs) != 1 {
		t.Fatalf("relay received %d messages", len(backend.msgs))
	}
	got := backend.msgs[0]
	if got.from != "no-reply@okwallet.example" || len(got.to) != 1 || got.to[0] != "alice@example.com" {
		t.Fatalf("envelope %q -> %v", got.from, got.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got.data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if subject != n.Subject || string(body) != n.Body || msg.Header.Get("Message-ID") != "<ntf_1@okwallet.example>" || msg.Header.Get("Auto-Submitted") != "auto-replied" {
		t.Fatalf("message: subject %q body %q headers %v", subject, body, msg.Header)
	}

	strict := &smtp.Sender{Addr: ln.Addr().String(), From: "no-reply@okwallet.example", Domain: "okwallet.example"}
	if err := strict.Send(context.Background(), n); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("sent without TLS although not allowed to: %v", err)
	}
	n.To = "evil@example.com\r\nBcc: everyone@example.com"
	if err := sender.Send(context.Background(), n); err == nil {
		t.Fatal("header injection through the recipient was sent")
	}
}
