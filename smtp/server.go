package smtp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
)

// Server is the inbound SMTP listener.
type Server struct {
	*gosmtp.Server
}

// NewServer returns a listener on addr that hands each message to rc.
// Messages over maxBytes are refused with 552; malformed ones with 554;
// either way nothing is stored. A file the attachment check refuses does
// not refuse the message (see Receiver.Receive).
func NewServer(addr, domain string, maxBytes int64, rc *Receiver) *Server {
	if rc.Limits == nil {
		rc.Limits = DefaultSenderLimits()
	}
	s := gosmtp.NewServer(&backend{rc: rc})
	s.Addr, s.Domain = addr, domain
	s.MaxMessageBytes, s.MaxRecipients = maxBytes, 10
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.AllowInsecureAuth = false
	return &Server{Server: s}
}

type backend struct{ rc *Receiver }

func (b *backend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{rc: b.rc}, nil }

type session struct {
	rc   *Receiver
	from string
	rcpt []string
}

// Mail takes the envelope sender; one that is not text is refused (without
// SMTPUTF8, which this listener does not offer, it must be ASCII anyway).
func (s *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if !utf8.ValidString(from) || strings.ContainsFunc(from, unicode.IsControl) {
		return &gosmtp.SMTPError{Code: 553, EnhancedCode: gosmtp.EnhancedCode{5, 1, 7}, Message: "Bad sender address"}
	}
	s.from = from
	return nil
}

// Rcpt records the recipient: a reply's token may be in its plus part.
// Only the support mailbox (with or without a plus part) receives here;
// mail for anyone else is refused, not filed as a ticket.
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if !s.rc.forUs(to) {
		return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here; support mail goes to " + s.rc.Address}
	}
	s.rcpt = append(s.rcpt, to)
	return nil
}
func (s *session) Reset()        { s.from, s.rcpt = "", nil }
func (s *session) Logout() error { return nil }

// Data parses and files one message. The body is read completely before
// anything is stored, so a message cut short by the size limit or a broken
// connection leaves nothing behind.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		var tooBig *gosmtp.SMTPError
		if errors.As(err, &tooBig) {
			return err
		}
		return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "Message could not be read"}
	}
	m, err := ParseInbound(bytes.NewReader(raw), s.from, s.rc.Address)
	if err != nil {
		s.rc.Logger.Warn("inbound mail rejected", "error", err, "bytes", len(raw))
		return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "Malformed message"}
	}
	m.Recipients = append([]string(nil), s.rcpt...)
	if !m.Automatic && !s.rc.Limits.message(m.From, time.Now()) {
		s.rc.Logger.Warn("inbound mail deferred: too many from one sender", "from", m.From)
		return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 7, 1}, Message: "Too many messages from this sender; try again later"}
	}
	var auth *Auth
	if s.rc.LookupTXT != nil && !m.Automatic {
		auth = authenticate(raw, m.From, s.rc.LookupTXT)
	}
	out, err := s.rc.Receive(context.Background(), m, auth)
	if err != nil {
		// The sender's mistakes are answered and noted; only our own
		// failures are errors (a client must not be able to page anyone).
		switch okcare.ErrorCode(err) {
		case okcare.EINVALID:
			s.rc.Logger.Warn("inbound mail refused", "error", err)
			return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: okcare.ErrorMessage(err)}
		case okcare.ECONFLICT:
			s.rc.Logger.Warn("inbound mail refused", "error", err)
			return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 7, 0}, Message: okcare.ErrorMessage(err)}
		}
		s.rc.Logger.Error("inbound mail not filed", "error", err)
		return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	switch {
	case out.Ignored != "":
		s.rc.Logger.Info("inbound mail ignored", "why", out.Ignored, "from", m.From)
	case len(out.LeftOut) > 0:
		s.rc.Logger.Info("inbound mail filed without some files", "ticket", out.TicketID, "created", out.Created, "left_out", strings.Join(out.LeftOut, ", "))
	default:
		s.rc.Logger.Info("inbound mail filed", "ticket", out.TicketID, "created", out.Created, "acked", out.Acked)
	}
	return nil
}
