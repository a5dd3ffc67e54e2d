// Package smtp is okcare's email: it sends notifications through an SMTP
// relay and receives support mail, both with github.com/emersion/go-smtp,
// composing and parsing messages with github.com/emersion/go-message.
package smtp

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
)

// DefaultFrom is --smtp-from's default.
const DefaultFrom = "OK Wallet <no-reply@okwallet.example>"

// Sender delivers notifications by email.
type Sender struct {
	// Addr is the relay's host:port.
	Addr string
	// From is the header sender, display name included
	// ("OK Wallet <no-reply@okwallet.example>"); the envelope sender is its
	// bare address.
	From string
	// Domain names the Message-ID's right-hand side; empty: From's domain.
	Domain string
	// PlainText skips STARTTLS. Use it only for a relay on the same host or
	// a private link; by default the connection must upgrade to TLS.
	PlainText bool
	// SupportAddress is the support mailbox; mail to a ticket's customer
	// replies to it with the ticket's token as plus part.
	SupportAddress string
	// ReplyKey makes the reply tokens (see ReplyToken); the Receiver needs
	// the same key. Without it mail carries no reply address.
	ReplyKey []byte
}

// Send delivers n to n.To through the relay.
func (s *Sender) Send(ctx context.Context, n *okcare.Notification) error {
	if strings.ContainsAny(n.To, "\r\n") {
		return fmt.Errorf("recipient contains a line break")
	}
	msg, err := s.compose(n, time.Now())
	if err != nil {
		return err
	}
	to := []string{msg.envelopeTo}
	if !s.PlainText {
		return gosmtp.SendMail(s.Addr, nil, msg.envelopeFrom, to, bytes.NewReader(msg.data))
	}
	c, err := gosmtp.Dial(s.Addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail(msg.envelopeFrom, to, bytes.NewReader(msg.data)); err != nil {
		return err
	}
	return c.Quit()
}
