package smtp_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/smtp"
)

// TestSendThroughPostfix sends with the default --smtp-from through a real
// Postfix (scripts/postfix-test-relay.sh sets one up) and reads what it
// delivered to its Maildir. It is skipped without OKCARE_TEST_RELAY and
// OKCARE_TEST_MAILDIR, except on CI, where it must run.
func TestSendThroughPostfix(t *testing.T) {
	relay, maildir := os.Getenv("OKCARE_TEST_RELAY"), os.Getenv("OKCARE_TEST_MAILDIR")
	if relay == "" || maildir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("OKCARE_TEST_RELAY and OKCARE_TEST_MAILDIR are unset on CI; run scripts/test")
		}
		t.Skip("no test relay: set OKCARE_TEST_RELAY and OKCARE_TEST_MAILDIR (scripts/test does)")
	}
	domain := os.Getenv("OKCARE_TEST_MAIL_DOMAIN")
	if domain == "" {
		domain = "okcare.test"
	}
	sender := &smtp.Sender{Addr: relay, From: smtp.DefaultFrom, PlainText: true, SupportAddress: "support@okwallet.example", ReplyKey: testKey}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	ticket := "tkt_01JABCDEFGHJKMNPQRSTV01234"
	tok := smtp.ReplyToken(testKey, ticket)
	for _, c := range []struct {
		event, auto string
	}{
		{"ticket_reply", ""},
		{"ticket_ack", "auto-replied"},
	} {
		n := &okcare.Notification{ID: "ntf_" + run + c.event, Channel: okcare.ChannelEmail, Event: c.event, TicketID: ticket,
			To: "李伟 <liwei@" + domain + ">", Subject: "[OK#100001] 回复：钱包打不开 / Wallet will not open",
			Body: "您好，请更新到 5.3.0 后再试。\n\nHello, please update to 5.3.0.\n— OK 钱包客服"}
		if err := sender.Send(context.Background(), n); err != nil {
			t.Fatalf("%s: the relay refused: %v", c.event, err)
		}
		data := delivered(t, maildir, n.ID)
		h, plain, html := readMail(t, data)
		from, _ := h.AddressList("From")
		replyTo, _ := h.AddressList("Reply-To")
		subject, _ := h.Subject()
		if len(from) != 1 || from[0].Name != "OK Wallet" || from[0].Address != "no-reply@okwallet.example" {
			t.Errorf("%s: From %v", c.event, from)
		}
		if rp := h.Get("Return-Path"); rp != "<no-reply@okwallet.example>" {
			t.Errorf("%s: Return-Path (the envelope sender) %q", c.event, rp)
		}
		if len(replyTo) != 1 || replyTo[0].Address != "support+"+tok+"@okwallet.example" {
			t.Errorf("%s: Reply-To %v", c.event, replyTo)
		}
		if h.Get("Auto-Submitted") != c.auto {
			t.Errorf("%s: Auto-Submitted %q, want %q", c.event, h.Get("Auto-Submitted"), c.auto)
		}
		if subject != n.Subject || plain != n.Body || !strings.Contains(html, "<p>您好，请更新到 5.3.0 后再试。</p>") {
			t.Errorf("%s: subject %q, text %q, html %q", c.event, subject, plain, html)
		}
	}
}

// delivered waits for the message whose Message-ID starts with id to
// arrive in maildir/new, returns it and removes it.
func delivered(t *testing.T, maildir, id string) []byte {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(maildir, "new", "*"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err == nil && strings.Contains(strings.ToLower(string(data)), "message-id: <"+strings.ToLower(id)+".") {
				os.Remove(f)
				return data
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never arrived in %s", id, maildir)
	return nil
}
