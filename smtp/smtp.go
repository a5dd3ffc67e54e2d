// Package smtp is okcare's email: it sends notifications through an SMTP
// relay and receives support mail, both with github.com/emersion/go-smtp,
// composing and parsing messages with github.com/emersion/go-message.
package smtp

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
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
	// Timeout bounds a whole delivery, from dialling to QUIT (zero:
	// DefaultSendTimeout); the context's deadline, if sooner, wins. A relay
	// that accepts the connection and then hangs fails the send by then
	// instead of holding the job until River gives up on it.
	Timeout time.Duration
}

// DefaultSendTimeout is how long one delivery to the relay may take.
const DefaultSendTimeout = 30 * time.Second

// Send delivers n to n.To through the relay, within Timeout and ctx's
// deadline. The Message-ID comes from the notification's id, so a retried
// delivery (after a timeout, or a crash before it was recorded) is the
// same message to a receiver that deduplicates.
func (s *Sender) Send(ctx context.Context, n *okcare.Notification) error {
	if strings.ContainsAny(n.To, "\r\n") {
		return fmt.Errorf("recipient contains a line break")
	}
	msg, err := s.compose(n, time.Now())
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultSendTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	// go-smtp sets a deadline per command; closing the connection when the
	// context ends bounds the whole conversation.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	err = s.converse(conn, msg)
	if ctx.Err() != nil {
		return fmt.Errorf("smtp relay %s: %w", s.Addr, ctx.Err())
	}
	return err
}

// converse speaks SMTP on conn: STARTTLS unless PlainText, then the
// message, then QUIT.
func (s *Sender) converse(conn net.Conn, msg *composed) error {
	var c *gosmtp.Client
	if s.PlainText {
		c = gosmtp.NewClient(conn)
	} else {
		host, _, _ := net.SplitHostPort(s.Addr)
		var err error
		if c, err = gosmtp.NewClientStartTLS(conn, &tls.Config{ServerName: host}); err != nil {
			conn.Close()
			return err
		}
	}
	defer c.Close()
	if err := c.SendMail(msg.envelopeFrom, []string{msg.envelopeTo}, bytes.NewReader(msg.data)); err != nil {
		return err
	}
	return c.Quit()
}
