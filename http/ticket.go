package http

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// replyWorkdays is the promise for web and API tickets, as for email: an
// answer within 1-3 business days; the deadline is the far end of it.
const replyWorkdays = 3

// replyBy is the promise shown to the customer: the ticket's stored
// first-response target, computed once at creation.
func (s *Server) replyBy(t *okcare.Ticket) time.Time {
	if t.FirstResponseDue != nil {
		return *t.FirstResponseDue
	}
	return s.Calendar.AddWorkdays(t.CreatedAt, replyWorkdays) // tickets made without a target
}

// ticketRequest is the body of POST /api/v1/tickets.
type ticketRequest struct {
	ContactEmail string        `json:"contact_email,omitempty"`
	ContactPhone string        `json:"contact_phone,omitempty"`
	Lang         string        `json:"lang"`
	Subject      string        `json:"subject,omitempty"`
	Category     string        `json:"category,omitempty"`
	Intake       okcare.Intake `json:"intake"`
}

// ticketJSON is a ticket as its customer sees it, with the promise made.
type ticketJSON struct {
	*okcare.Ticket
	ReplyBy time.Time `json:"reply_by"`
	// ReplyByProvisional is set when the promise crosses days without
	// holiday data (counted weekends only): it may be later.
	ReplyByProvisional bool                    `json:"reply_by_provisional"`
	Messages           []*okcare.TicketMessage `json:"messages,omitempty"`
	Attachments        []*okcare.Attachment    `json:"attachments,omitempty"`
}

// forCustomer is a ticket as its customer may see it: no internal tags,
// no staff ids.
func forCustomer(t *okcare.Ticket) *okcare.Ticket {
	c := *t
	c.Tags, c.AssigneeID = nil, ""
	return &c
}

// messagesForCustomer names staff as "support", never by their id.
func messagesForCustomer(msgs []*okcare.TicketMessage) []*okcare.TicketMessage {
	out := make([]*okcare.TicketMessage, len(msgs))
	for i, m := range msgs {
		c := *m
		if strings.HasPrefix(c.Author, "agent:") {
			c.Author = "support"
		}
		out[i] = &c
	}
	return out
}

// attachDiagnosis copies what a diagnosis found into the intake, so the
// customer never repeats it; only the diagnosis's owner (or, for an
// anonymous one, whoever holds its key) may attach it. What a client wrote in intake.diagnosis
// itself is dropped: findings come from the stored diagnosis only.
func (s *Server) attachDiagnosis(ctx context.Context, userID string, req *okcare.NewTicket) error {
	req.Intake.Diagnosis = nil
	key := req.Intake.DiagnosisKey
	req.Intake.DiagnosisKey = ""
	if req.Intake.DiagnosisID == "" {
		return nil
	}
	d, err := s.Store.OpenDiagnosis(ctx, req.Intake.DiagnosisID, userID, key)
	if err != nil {
		return okcare.Errorf(okcare.EINVALID, "intake.diagnosis_id: %s", okcare.ErrorMessage(err))
	}
	req.Intake.Diagnosis = d.Result
	if req.Category == "" {
		req.Category = d.TopCause
	}
	return nil
}

// createTicket is shared by the API and the web form.
func (s *Server) createTicket(ctx context.Context, u *okcare.User, req okcare.NewTicket) (*ticketJSON, error) {
	if u != nil {
		req.UserID = u.ID
	}
	if err := s.attachDiagnosis(ctx, req.UserID, &req); err != nil {
		return nil, err
	}
	t, err := s.Store.CreateTicket(ctx, req)
	if err != nil {
		return nil, err
	}
	// Best effort: a ticket nobody can take now waits in the queue.
	if _, err := s.Store.AssignTicket(ctx, t.ID); err != nil {
		s.Logger.Warn("ticket not assigned", "ticket", t.ID, "error", err)
	}
	return &ticketJSON{Ticket: forCustomer(t), ReplyBy: s.replyBy(t), ReplyByProvisional: s.replyByProvisional(t)}, nil
}

func (s *Server) handleCreateTicket(w http.ResponseWriter, r *http.Request) {
	var body ticketRequest
	if _, err := decodeJSON(w, r, &body, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.contactAllowed(r); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.optionalUser(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	canonical, _ := json.Marshal(body)
	sum := sha256.Sum256(canonical)
	t, err := s.createTicket(r.Context(), u, okcare.NewTicket{ContactEmail: body.ContactEmail, ContactPhone: body.ContactPhone, Channel: okcare.ChannelAPI,
		Lang: body.Lang, Subject: body.Subject, Category: body.Category, Intake: body.Intake,
		IdempotencyKey: r.Header.Get("Idempotency-Key"), RequestHash: hex.EncodeToString(sum[:])})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// ownTicket returns the signed-in user's ticket; anyone else's is "not found".
func (s *Server) ownTicket(r *http.Request) (*okcare.Ticket, error) {
	t, err := s.Store.FindTicket(r.Context(), r.PathValue("id"))
	if err == nil && t.UserID != userFrom(r).ID {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
	}
	return t, err
}

func (s *Server) handleMyTickets(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.UserTickets(r.Context(), userFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for i, t := range list {
		list[i] = forCustomer(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tickets": list})
}

// ownTicketMessages returns the signed-in user's ticket with its public
// messages (never internal notes).
func (s *Server) ownTicketMessages(r *http.Request) (*okcare.Ticket, []*okcare.TicketMessage, error) {
	t, err := s.ownTicket(r)
	if err != nil {
		return nil, nil, err
	}
	msgs, err := s.Store.TicketMessages(r.Context(), t.ID, false)
	return t, msgs, err
}

func (s *Server) handleMyTicket(w http.ResponseWriter, r *http.Request) {
	t, msgs, err := s.ownTicketMessages(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	files, err := s.Store.Attachments(r.Context(), t.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ticketJSON{Ticket: forCustomer(t), ReplyBy: s.replyBy(t), ReplyByProvisional: s.replyByProvisional(t), Messages: messagesForCustomer(msgs), Attachments: files})
}

func (s *Server) handleReplyToTicket(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Body string `json:"body"`
	}
	if _, err := decodeJSON(w, r, &body, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.ownTicket(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	m := &okcare.TicketMessage{TicketID: t.ID, Author: "user:" + userFrom(r).ID, Public: true, Body: body.Body}
	if err := s.Store.AddTicketMessage(r.Context(), m); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

// handleTranscript serves the customer's own conversation as a plain-text
// file: their messages and public replies, never internal notes. It is an
// attachment, so a browser saves it rather than rendering anything in it.
func (s *Server) handleTranscript(w http.ResponseWriter, r *http.Request) {
	t, msgs, err := s.ownTicketMessages(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeTranscript(w, t, msgs)
}

// writeTranscript writes a conversation as a plain-text download, in the
// ticket's language (the one its public messages are written in).
func writeTranscript(w http.ResponseWriter, t *okcare.Ticket, msgs []*okcare.TicketMessage) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="okwallet-ticket-%d.txt"`, t.Number))
	lang := t.Lang
	if !okcare.ValidLang(lang) {
		lang = okcare.LangZH
	}
	fmt.Fprintf(w, "%s\n%s\n\n", fill(tr(lang, "transcript_title"), "number", strconv.FormatInt(t.Number, 10), "subject", t.Subject),
		fill(tr(lang, "transcript_opened"), "when", t.CreatedAt.In(chinaCalendar.Location).Format("2006-01-02 15:04 (UTC+8)"), "channel", labelOf(uiText[lang], "ch_", t.Channel)))
	for _, m := range msgs {
		who := tr(lang, "who_you")
		switch {
		case strings.HasPrefix(m.Author, "agent:"):
			who = tr(lang, "who_support")
		case m.Author == "system":
			who = tr(lang, "who_system")
		}
		fmt.Fprintf(w, "--- %s, %s\n%s\n\n", who, m.CreatedAt.In(chinaCalendar.Location).Format("2006-01-02 15:04"), m.Body)
	}
}
