package smtp_test

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/smtp"
)

// hangingRelay is an SMTP server that takes each message whole and then
// never answers the final dot: a relay that accepts and hangs.
type hangingRelay struct {
	mu   sync.Mutex
	ids  []string // Message-IDs received
	hang chan struct{}
}

func (h *hangingRelay) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return &hangingSession{h: h}, nil
}

type hangingSession struct{ h *hangingRelay }

func (s *hangingSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *hangingSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (s *hangingSession) Reset()                                 {}
func (s *hangingSession) Logout() error                          { return nil }
func (s *hangingSession) Data(r io.Reader) error {
	data, _ := io.ReadAll(r)
	for _, line := range strings.Split(string(data), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Message-Id: "); ok {
			s.h.mu.Lock()
			s.h.ids = append(s.h.ids, v)
			s.h.mu.Unlock()
		}
	}
	<-s.h.hang
	return nil
}

// TestSendToHangingRelayFailsByDeadline: a relay that never greets, or
// takes the message and never answers, fails the send by its deadline
// (the sender's Timeout or the context's, whichever comes first) instead
// of holding the delivery job for the library's 5 and 12 minutes. Each
// try carries the same Message-ID.
func TestSendToHangingRelayFailsByDeadline(t *testing.T) {
	// Accepts the connection, never says a word.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	relay := &hangingRelay{hang: make(chan struct{})}
	srv := gosmtp.NewServer(relay)
	srv.Domain, srv.AllowInsecureAuth = "relay.test", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer func() { close(relay.hang); srv.Close() }()

	n := &okcare.Notification{ID: "ntf_deadline", Channel: okcare.ChannelEmail, Event: okcare.EventAccountFrozen, To: "mei@example.com", Subject: "Frozen", Body: "Your account is frozen."}
	for _, c := range []struct {
		name    string
		addr    string
		timeout time.Duration // the sender's
		ctx     time.Duration // the context's; zero: none
		within  time.Duration
	}{
		{"silent relay, sender timeout", mute.Addr().String(), 300 * time.Millisecond, 0, 300 * time.Millisecond},
		{"hangs after the message, sender timeout", ln.Addr().String(), 300 * time.Millisecond, 0, 300 * time.Millisecond},
		{"hangs after the message, job deadline first", ln.Addr().String(), time.Minute, 200 * time.Millisecond, 200 * time.Millisecond},
		{"STARTTLS to a silent relay", mute.Addr().String(), 300 * time.Millisecond, 0, 300 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &smtp.Sender{Addr: c.addr, From: smtp.DefaultFrom, PlainText: !strings.HasPrefix(c.name, "STARTTLS"), Timeout: c.timeout}
			ctx := context.Background()
			if c.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, c.ctx)
				defer cancel()
			}
			start := time.Now()
			err := s.Send(ctx, n)
			took := time.Since(start)
			if err == nil {
				t.Fatal("a hanging relay took the message")
			}
			if took < c.within || took > c.within+time.Second {
				t.Fatalf("failed after %s, want about %s: %v", took, c.within, err)
			}
		})
	}
	relay.mu.Lock()
	defer relay.mu.Unlock()
	if len(relay.ids) != 2 || relay.ids[0] != relay.ids[1] || !strings.Contains(relay.ids[0], "ntf_deadline@") {
		t.Fatalf("Message-IDs of the two tries: %q", relay.ids)
	}
}
