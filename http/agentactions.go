package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// agentTicketView is a ticket as staff see it: internal notes included,
// and whether its first-response target was missed.
type agentTicketView struct {
	*okcare.Ticket
	FirstResponseBreached bool                    `json:"first_response_breached"`
	ResolutionBreached    bool                    `json:"resolution_breached"`
	Messages              []*okcare.TicketMessage `json:"messages"`
	Attachments           []*okcare.Attachment    `json:"attachments"`
}

func (s *Server) handleAgentTicket(w http.ResponseWriter, r *http.Request) {
	t, err := s.Store.FindTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	msgs, err := s.Store.TicketMessages(r.Context(), t.ID, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	files, err := s.Store.Attachments(r.Context(), t.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, agentTicketView{Ticket: t, FirstResponseBreached: t.FirstResponseBreached(s.Now()), ResolutionBreached: t.ResolutionBreached(s.Now()), Messages: msgs, Attachments: files})
}

func (s *Server) handleAgentReply(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Body   string `json:"body"`
		Public bool   `json:"public"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	m, err := s.Store.ReplyAsAgent(r.Context(), r.PathValue("id"), agentFrom(r).ID, req.Body, req.Public)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if t, err := s.Store.FindTicket(r.Context(), m.TicketID); err == nil {
		s.publishChat(t, m) // an open chat shows it at once, as from the console
	}
	writeJSON(w, http.StatusCreated, m)
}

// handleStartVerification sends an identity code for a ticket. The body is
// optional: {"login": "..."} names the account when the customer wrote from
// an address that is not their registered one.
func (s *Server) handleStartVerification(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Login string `json:"login"`
	}
	if r.ContentLength != 0 {
		if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	v, err := s.Store.StartVerification(r.Context(), r.PathValue("id"), agentFrom(r).ID, req.Login)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handleConfirmVerification(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	v, err := s.Store.ConfirmVerification(r.Context(), r.PathValue("id"), agentFrom(r).ID, req.Code)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleTakeAction(w http.ResponseWriter, r *http.Request) {
	a, err := s.Store.TakeAction(r.Context(), r.PathValue("id"), agentFrom(r).ID, r.PathValue("action"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if a != nil {
		writeJSON(w, http.StatusAccepted, a) // waiting for a second staff member
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	a, err := s.Store.ApproveAction(r.Context(), r.PathValue("id"), agentFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) handlePasswordReset(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token       string `json:"token"`
		NewPassword string `json:"new_password"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if !s.LoginLimiter.Allow("reset:"+s.clientIP(r), s.Now()) {
		s.Error(w, r, okcare.Errorf(okcare.ERATELIMITED, "Too many attempts; wait a minute."))
		return
	}
	if err := s.Store.ResetPassword(r.Context(), req.Token, req.NewPassword); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleSetTicketStatus(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Status string `json:"status"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Store.SetTicketStatus(r.Context(), r.PathValue("id"), "agent:"+agentFrom(r).ID, req.Status)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleAnswerSurvey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token   string `json:"token"`
		Rating  int    `json:"rating"`
		Comment string `json:"comment"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.AnswerSurvey(r.Context(), req.Token, req.Rating, req.Comment); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := okcare.QueueFilter{Category: q.Get("category"), Lang: q.Get("lang"), Tag: q.Get("tag"), Limit: 100}
	if v := q.Get("status"); v != "" {
		f.Statuses = strings.Split(v, ",")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "limit must be 1-500."))
			return
		}
		f.Limit = n
	}
	list, err := s.Store.Queue(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]agentTicketView, 0, len(list))
	for _, t := range list {
		out = append(out, agentTicketView{Ticket: t, FirstResponseBreached: t.FirstResponseBreached(s.Now())})
	}
	writeJSON(w, http.StatusOK, map[string]any{"tickets": out})
}

func (s *Server) handlePresence(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Presence string   `json:"presence"`
		Capacity int      `json:"capacity,omitempty"`
		Langs    []string `json:"langs,omitempty"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.SetAgentPresence(r.Context(), agentFrom(r).ID, req.Presence, req.Capacity, req.Langs); err != nil {
		s.Error(w, r, err)
		return
	}
	s.assignWaiting(r.Context(), req.Presence)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleReassign(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AgentID string `json:"agent_id"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.ReassignTicket(r.Context(), r.PathValue("id"), req.AgentID, agentFrom(r).ID); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// assignWaiting hands queued tickets to whoever just came online. It is
// best effort: the SLA watch retries every minute.
func (s *Server) assignWaiting(ctx context.Context, presence string) {
	if presence != "online" {
		return
	}
	if n, err := s.Store.AssignWaiting(ctx); err != nil {
		s.Logger.Warn("assigning waiting tickets", "error", err)
	} else if n > 0 {
		s.Logger.Info("assigned waiting tickets", "count", n)
	}
}

func (s *Server) handleScheduleFollowUp(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Body  string    `json:"body"`
		DueAt time.Time `json:"due_at"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	f, err := s.Store.ScheduleFollowUp(r.Context(), r.PathValue("id"), agentFrom(r).ID, req.Body, req.DueAt)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, f)
}

func (s *Server) handleLogCall(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Outcome string `json:"outcome"`
		Notes   string `json:"notes,omitempty"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.LogCall(r.Context(), r.PathValue("id"), agentFrom(r).ID, req.Outcome, req.Notes); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
