package smtp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
)

// TicketStore is what the inbound channel needs of the store.
type TicketStore interface {
	CreateTicket(ctx context.Context, req okcare.NewTicket) (*okcare.Ticket, error)
	AssignTicket(ctx context.Context, ticketID string) (string, error)
	FindTicket(ctx context.Context, id string) (*okcare.Ticket, error)
	FindTicketByNumber(ctx context.Context, number int64) (*okcare.Ticket, error)
	AddTicketMessage(ctx context.Context, m *okcare.TicketMessage) error
	FindUserByID(ctx context.Context, id string) (*okcare.User, error)
}

// Receiver turns received mail into tickets and replies.
type Receiver struct {
	Store   TicketStore
	Logger  *slog.Logger
	Address string // the support mailbox, e.g. support@okwallet.example
}

// Outcome says what Receive did with a message.
type Outcome struct {
	TicketID string
	Created  bool
	Ignored  string // why nothing was stored, for automatic mail
}

// Receive files a parsed message: a reply to a ticket of the same sender
// joins it; anything else opens a ticket (once per Message-ID), which the
// store acknowledges with the number and the promised response time.
func (rc *Receiver) Receive(ctx context.Context, m *InboundMail) (*Outcome, error) {
	if m.Automatic {
		return &Outcome{Ignored: m.Why}, nil
	}
	if t := rc.threadTicket(ctx, m); t != nil {
		author := "contact"
		if t.UserID != "" {
			author = "user:" + t.UserID
		}
		err := rc.Store.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: t.ID, Author: author, Public: true, Body: nonEmpty(m.Text, m.Subject), Attachments: m.Attachments})
		if err == nil || okcare.ErrorCode(err) != okcare.ECONFLICT || t.Status != okcare.TicketClosed {
			return &Outcome{TicketID: t.ID}, err
		}
		// A closed ticket: the reply starts a new one below.
	}
	lang := okcare.LangEN
	for _, r := range m.Subject + m.Text {
		if r >= 0x4e00 && r <= 0x9fff {
			lang = okcare.LangZH
			break
		}
	}
	t, err := rc.Store.CreateTicket(ctx, okcare.NewTicket{
		ContactEmail: m.From, Channel: okcare.ChannelMail, Lang: lang, Subject: m.Subject,
		Intake:         okcare.Intake{Description: nonEmpty(m.Text, m.Subject)},
		IdempotencyKey: m.MessageID, RequestHash: m.MessageID, Attachments: m.Attachments,
		Ack: &okcare.TicketAck{Subject: m.Subject, InReplyTo: "<" + m.MessageID + ">"},
	})
	if err != nil {
		return nil, err
	}
	if _, err := rc.Store.AssignTicket(ctx, t.ID); err != nil { // best effort
		rc.Logger.Warn("ticket not assigned", "ticket", t.ID, "error", err)
	}
	return &Outcome{TicketID: t.ID, Created: true}, nil
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	if strings.TrimSpace(fallback) != "" {
		return fallback
	}
	return "(empty message)"
}

// threadTicket finds the ticket a message answers, by header or by subject,
// and only if the sender is that ticket's customer: nobody can write into
// someone else's ticket by quoting its number.
func (rc *Receiver) threadTicket(ctx context.Context, m *InboundMail) *okcare.Ticket {
	var t *okcare.Ticket
	if id := m.ThreadTicketID(); id != "" {
		t, _ = rc.Store.FindTicket(ctx, id)
	}
	if t == nil {
		if n, err := strconv.ParseInt(m.SubjectTicketNumber(), 10, 64); err == nil {
			t, _ = rc.Store.FindTicketByNumber(ctx, n)
		}
	}
	if t == nil {
		return nil
	}
	if strings.EqualFold(t.ContactEmail, m.From) {
		return t
	}
	if t.UserID != "" {
		if u, err := rc.Store.FindUserByID(ctx, t.UserID); err == nil && strings.EqualFold(u.Email, m.From) {
			return t
		}
	}
	return nil
}

// Server is the inbound SMTP listener.
type Server struct {
	*gosmtp.Server
}

// NewServer returns a listener on addr that hands each message to rc.
// Messages over maxBytes are refused with 552; malformed ones with 554;
// either way nothing is stored.
func NewServer(addr, domain string, maxBytes int64, rc *Receiver) *Server {
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
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(string, *gosmtp.RcptOptions) error        { return nil }
func (s *session) Reset()                                        { s.from = "" }
func (s *session) Logout() error                                 { return nil }

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
	m, err := ParseInbound(strings.NewReader(string(raw)), s.from, s.rc.Address)
	if err != nil {
		s.rc.Logger.Warn("inbound mail rejected", "error", err, "bytes", len(raw))
		return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "Malformed message"}
	}
	out, err := s.rc.Receive(context.Background(), m)
	if err != nil {
		s.rc.Logger.Error("inbound mail not filed", "error", err)
		switch okcare.ErrorCode(err) {
		case okcare.EINVALID, okcare.EUNSUPPORTEDMEDIA:
			return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: okcare.ErrorMessage(err)}
		case okcare.EBODYTOOLARGE:
			return &gosmtp.SMTPError{Code: 552, EnhancedCode: gosmtp.EnhancedCode{5, 3, 4}, Message: okcare.ErrorMessage(err)}
		case okcare.ECONFLICT:
			return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 7, 0}, Message: okcare.ErrorMessage(err)}
		}
		return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	if out.Ignored != "" {
		s.rc.Logger.Info("inbound mail ignored", "why", out.Ignored)
	} else {
		s.rc.Logger.Info("inbound mail filed", "ticket", out.TicketID, "created", out.Created)
	}
	return nil
}
