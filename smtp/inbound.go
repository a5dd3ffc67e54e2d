package smtp

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
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
	// Own are the other addresses okcare sends from (--smtp-from, display
	// name and all):
	// mail from them, or from Address, is our own and is never answered.
	Own []string
	// ReplyKey checks reply tokens; it must be the Sender's. Without it no
	// mail joins an existing ticket.
	ReplyKey []byte
	// LookupTXT answers the DNS queries of DKIM and DMARC checks
	// (DNSLookupTXT in production); nil: mail is not authenticated.
	LookupTXT LookupTXT
	// Limits holds the per-sender limits; NewServer sets defaults.
	Limits *SenderLimits
}

// Outcome says what Receive did with a message.
type Outcome struct {
	TicketID string
	Created  bool
	Ignored  string // why nothing was stored, for automatic mail
	Acked    bool   // whether an acknowledgement was queued
	LeftOut  []string
}

// Receive files a parsed message. A reply that proves it answers a ticket
// (its token, see ReplyToken) joins it; anything else opens a ticket (once
// per Message-ID), acknowledged with the number and the promised response
// time unless the sender is one of ours or has had enough
// acknowledgements this hour. Files the attachment check refuses are left
// out and named in a public note, and the mail's authentication results
// and any removed quoted history are kept for the agent.
func (rc *Receiver) Receive(ctx context.Context, m *InboundMail, auth *Auth) (*Outcome, error) {
	if m.Automatic {
		return &Outcome{Ignored: m.Why}, nil
	}
	if rc.own(m.From) {
		return &Outcome{Ignored: "from our own address"}, nil
	}
	lang := okcare.LangEN
	for _, r := range m.Subject + m.Text {
		if r >= 0x4e00 && r <= 0x9fff {
			lang = okcare.LangZH
			break
		}
	}
	if t := rc.threadTicket(ctx, m); t != nil {
		out, err := rc.addReply(ctx, t, m, auth)
		if err == nil || okcare.ErrorCode(err) != okcare.ECONFLICT || t.Status != okcare.TicketClosed {
			return out, err
		}
		// A closed ticket: the reply starts a new one below.
	}
	files, refused := checkFiles(m, lang)
	// The store acknowledges the ticket in its language, with the mail
	// channel's promise; a sender past this hour's acknowledgements gets
	// none (a forged sender must not become a spam stream to the victim).
	acked := rc.Limits.ack(m.From, time.Now())
	req := okcare.NewTicket{
		ContactEmail: m.From, Channel: okcare.ChannelMail, Lang: lang, Subject: m.Subject,
		Intake:         okcare.Intake{Description: nonEmpty(m.Text, m.Subject)},
		IdempotencyKey: m.MessageID, RequestHash: m.MessageID, Attachments: files,
		Ack: &okcare.TicketAck{Subject: m.Subject, InReplyTo: "<" + m.MessageID + ">"}, NoAck: !acked,
	}
	start := time.Now().Add(-time.Millisecond)
	t, err := rc.Store.CreateTicket(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &Outcome{TicketID: t.ID, Created: true, Acked: acked, LeftOut: names(refused)}
	if t.CreatedAt.Before(start) {
		return out, nil // the same mail delivered again: already filed, notes and all
	}
	if _, err := rc.Store.AssignTicket(ctx, t.ID); err != nil { // best effort
		rc.Logger.Warn("ticket not assigned", "ticket", t.ID, "error", err)
	}
	rc.notes(ctx, t, m, auth, refused)
	return out, nil
}

// addReply adds m to t as the customer's message. Should the ticket have
// no room for the files, the text is kept without them.
func (rc *Receiver) addReply(ctx context.Context, t *okcare.Ticket, m *InboundMail, auth *Auth) (*Outcome, error) {
	author := "contact"
	if t.UserID != "" {
		author = "user:" + t.UserID
	}
	files, refused := checkFiles(m, t.Lang)
	msg := &okcare.TicketMessage{TicketID: t.ID, Author: author, Public: true, Body: nonEmpty(m.Text, m.Subject), Attachments: files}
	err := rc.Store.AddTicketMessage(ctx, msg)
	if err != nil && len(files) > 0 && okcare.ErrorCode(err) == okcare.ECONFLICT && t.Status != okcare.TicketClosed {
		for _, f := range files {
			refused = append(refused, refusal{f.Filename, leftOutText(t.Lang, "full")})
		}
		msg.Attachments = nil
		err = rc.Store.AddTicketMessage(ctx, msg)
	}
	if err != nil {
		return &Outcome{TicketID: t.ID}, err
	}
	rc.notes(ctx, t, m, auth, refused)
	if !strings.EqualFold(t.ContactEmail, m.From) {
		rc.note(ctx, t.ID, false, "Sent from "+m.From+", not the ticket's address; it carried the ticket's reply token.",
			&okcare.Note{Key: NoteMailOtherSender, Args: map[string]string{"from": m.From}})
	}
	return &Outcome{TicketID: t.ID, LeftOut: names(refused)}, nil
}

// notes records, after the customer's message, the files left out
// (public, in the ticket's language) and the authentication results
// (internal).
func (rc *Receiver) notes(ctx context.Context, t *okcare.Ticket, m *InboundMail, auth *Auth, refused []refusal) {
	for _, r := range refused {
		rc.note(ctx, t.ID, true, leftOutNote(t.Lang, r), nil)
	}
	if auth != nil {
		rc.note(ctx, t.ID, false, auth.Note(), auth.KeyedNote())
	}
}

// note adds a message by the system; an internal one carries its key
// and arguments too, so that staff read it in their language.
func (rc *Receiver) note(ctx context.Context, ticketID string, public bool, body string, keyed *okcare.Note) {
	if err := rc.Store.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: ticketID, Author: "system", Public: public, Body: body, Note: keyed}); err != nil {
		rc.Logger.Warn("note not added", "ticket", ticketID, "error", err)
	}
}

// own says whether addr is one of okcare's own: the support mailbox (with
// or without a plus part) or a sending address.
func (rc *Receiver) own(addr string) bool {
	addr = strings.ToLower(addr)
	local, domain, _ := strings.Cut(addr, "@")
	base, _, _ := strings.Cut(local, "+")
	for _, o := range append([]string{rc.Address}, rc.Own...) {
		if a, err := mail.ParseAddress(o); err == nil {
			o = a.Address // "OK Wallet <no-reply@…>" names no-reply@…
		}
		if o = strings.ToLower(o); o != "" && (o == addr || o == base+"@"+domain) {
			return true
		}
	}
	return false
}

// forUs says whether addr is the support mailbox, with or without a plus
// part (a reply's token), in any case. Without a configured mailbox every
// address is.
func (rc *Receiver) forUs(addr string) bool {
	if rc.Address == "" {
		return true
	}
	local, domain, _ := strings.Cut(strings.ToLower(addr), "@")
	base, _, _ := strings.Cut(local, "+")
	ourLocal, ourDomain, _ := strings.Cut(strings.ToLower(rc.Address), "@")
	return base == ourLocal && domain == ourDomain
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

// threadTicket finds the ticket a message answers, and only one it proves
// it answers: the ticket's token (see ReplyToken) in the plus part of an
// envelope recipient or in a Message-ID it refers to. The ticket id in our
// Message-IDs and the number in the subject say which ticket is meant; the
// From header and the number prove nothing, since anyone can write them.
func (rc *Receiver) threadTicket(ctx context.Context, m *InboundMail) *okcare.Ticket {
	var tokens []string
	for _, r := range m.Recipients {
		if tok := plusToken(r, rc.Address); tok != "" {
			tokens = append(tokens, tok)
		}
	}
	var candidates []string
	for _, id := range append(append([]string{}, m.InReplyTo...), m.References...) {
		if tid, tok := parseThreadID(id); tid != "" {
			candidates, tokens = append(candidates, tid), append(tokens, tok)
		}
	}
	if n, err := strconv.ParseInt(m.SubjectTicketNumber(), 10, 64); err == nil {
		if t, err := rc.Store.FindTicketByNumber(ctx, n); err == nil {
			candidates = append(candidates, t.ID)
		}
	}
	for _, id := range candidates {
		for _, tok := range tokens {
			if validToken(rc.ReplyKey, id, tok) {
				if t, err := rc.Store.FindTicket(ctx, id); err == nil {
					return t
				}
			}
		}
	}
	return nil
}
