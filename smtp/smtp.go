// Package smtp sends okcare's email through an SMTP relay with
// github.com/emersion/go-smtp.
package smtp

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
)

// Sender delivers notifications by email.
type Sender struct {
	// Addr is the relay's host:port; From the envelope and header sender.
	Addr string
	From string
	// Domain names the Message-ID's right-hand side.
	Domain string
	// PlainText skips STARTTLS. Use it only for a relay on the same host or
	// a private link; by default the connection must upgrade to TLS.
	PlainText bool
}

// Send delivers n to n.To through the relay.
func (s *Sender) Send(ctx context.Context, n *okcare.Notification) error {
	if strings.ContainsAny(n.To, "\r\n") {
		return fmt.Errorf("recipient contains a line break")
	}
	msg := s.compose(n, time.Now())
	if !s.PlainText {
		return gosmtp.SendMail(s.Addr, nil, s.From, []string{n.To}, bytes.NewReader(msg))
	}
	c, err := gosmtp.Dial(s.Addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail(s.From, []string{n.To}, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

// compose builds an RFC 5322 message: UTF-8 subject as an encoded word,
// base64 body, and a Message-ID derived from the notification id so that a
// retried message is recognisably the same one.
func (s *Sender) compose(n *okcare.Notification, now time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", s.From)
	fmt.Fprintf(&b, "To: %s\r\n", n.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.BEncoding.Encode("utf-8", n.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	if n.TicketID != "" {
		// The ticket id in the Message-ID threads replies back to the ticket.
		fmt.Fprintf(&b, "Message-ID: <%s.%s@%s>\r\n", n.TicketID, n.ID, s.Domain)
	} else {
		fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", n.ID, s.Domain)
	}
	if n.InReplyTo != "" && !strings.ContainsAny(n.InReplyTo, "\r\n") {
		fmt.Fprintf(&b, "In-Reply-To: %s\r\nReferences: %s\r\n", n.InReplyTo, n.InReplyTo)
	}
	b.WriteString("Auto-Submitted: auto-replied\r\n")
	fmt.Fprintf(&b, "X-Loop: %s\r\n", s.From)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(n.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
