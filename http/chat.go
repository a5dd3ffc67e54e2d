package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
)

// chatCookie holds the customer's chat token; it only travels to the chat
// pages and cannot be read by scripts.
const chatCookie = "okchat"

func (s *Server) registerChat() {
	s.mux.HandleFunc("GET /support/chat", s.pageChatStart)
	s.mux.HandleFunc("POST /support/chat", s.pageChatOpen)
	s.mux.HandleFunc("GET /support/chat/{id}", s.pageChat)
	s.mux.HandleFunc("POST /support/chat/{id}/messages", s.pageChatSend)
	s.mux.HandleFunc("POST /support/chat/{id}/end", s.pageChatEnd)
	s.mux.HandleFunc("POST /support/chat/{id}/rating", s.pageChatRate)
	s.mux.HandleFunc("GET /support/chat/{id}/ws", s.customerChatSocket)
	s.mux.HandleFunc("GET /support/chat/{id}/transcript", s.chatTranscript)
	s.mux.HandleFunc("GET /console/tickets/{id}/ws", s.staff(okcare.RoleAgent, s.agentChatSocket))
	s.mux.HandleFunc("GET /console/unread", s.staff(okcare.RoleAgent, s.consoleUnread))
	s.mux.HandleFunc("GET "+chatJSURL, asset("text/javascript; charset=utf-8", chatJS))
}

// chatTicket is the chat ticket the request's cookie opens, if it is {id}.
func (s *Server) chatTicket(r *http.Request) (*okcare.Ticket, error) {
	notFound := okcare.Errorf(okcare.ENOTFOUND, "No such chat; start a new one.")
	c, err := r.Cookie(chatCookie)
	if err != nil {
		return nil, notFound
	}
	t, err := s.Store.ChatTicket(r.Context(), c.Value)
	if okcare.ErrorCode(err) == okcare.EUNAUTHORIZED || (err == nil && t.ID != r.PathValue("id")) {
		return nil, notFound
	}
	return t, err
}

// chatAvailable tells whether a chat started now would reach someone: the
// chat team is within its hours and an agent speaking lang is online. When
// not, why is the page's explanation and an offer to leave a message.
func (s *Server) chatAvailable(ctx context.Context, lang string) (ok bool, why map[string]string, err error) {
	now := s.Now()
	a := s.desk().Available(okcare.ChannelChat, now)
	mail := s.promise(lang, okcare.ChannelMail, now)
	if !a.OpenNow {
		return false, map[string]string{"Title": tr(lang, "chat_closed_title"), "Text": fill(tr(lang, "chat_closed_text"),
			"open", clock(a.Open), "close", clock(a.Close), "when", whenText(lang, a.NextOpen, now), "promise", mail)}, nil
	}
	online, err := s.Store.ChatAgentsOnline(ctx, lang)
	if err != nil || online > 0 {
		return err == nil, nil, err
	}
	return false, map[string]string{"Title": tr(lang, "chat_nobody_title"), "Text": fill(tr(lang, "chat_nobody_text"), "promise", mail)}, nil
}

func (s *Server) pageChatStart(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	var data map[string]any
	if u := s.customer(r); u != nil {
		data = map[string]any{"Email": u.Email} // the replies can reach them by mail too
	}
	data, err := s.chatStartView(r.Context(), lang, data)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "chat.html", lang, tr(lang, "chat_title"), data)
}

// chatStartView is the chat start page's content: the chat team's real
// hours and promise, whether anyone can answer now and any incident under
// way.
func (s *Server) chatStartView(ctx context.Context, lang string, data map[string]any) (map[string]any, error) {
	if data == nil {
		data = map[string]any{}
	}
	var err error
	if data["Outage"], err = s.outageNotice(ctx, lang); err != nil {
		return nil, err
	}
	a := s.desk().Available(okcare.ChannelChat, s.Now())
	data["Intro"] = fill(tr(lang, "chat_intro"), "open", clock(a.Open), "close", clock(a.Close), "promise", s.promise(lang, okcare.ChannelChat, s.Now()))
	ok, why, err := s.chatAvailable(ctx, lang)
	if !ok {
		data["Away"] = why
	}
	return data, err
}

// outageNotice tells chat customers of the incidents under way, as the
// help center's banner does, so nobody waits in the queue to learn what
// the status page already says; nil while none is.
func (s *Server) outageNotice(ctx context.Context, lang string) (map[string]any, error) {
	active, err := s.launch.activeIncidents(ctx, s.Store, s.Now())
	if err != nil || len(active) == 0 {
		return nil, err
	}
	rep := &statusReport{status: overallStatus(active)}
	return map[string]any{"Status": rep.status, "Label": rep.label(lang), "Incidents": localizeIncidents(active, lang)}, nil
}

func (s *Server) pageChatOpen(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	if err := s.contactAllowed(r); err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	live, _, err := s.chatAvailable(r.Context(), lang)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	if !live || r.PostFormValue("leave") != "" {
		s.leaveMessage(w, r, lang)
		return
	}
	req := okcare.NewTicket{ContactEmail: r.PostFormValue("contact_email"), Lang: lang, Intake: okcare.Intake{Description: r.PostFormValue("message")}}
	if u := s.customer(r); u != nil { // signed in on the help center: the account comes along
		req.UserID = u.ID
	}
	t, tok, err := s.Store.OpenChat(r.Context(), req)
	if err != nil {
		s.chatFormError(w, r, lang, err)
		return
	}
	if _, err := s.Store.AssignTicket(r.Context(), t.ID); err != nil {
		s.Logger.Warn("chat not assigned", "ticket", t.ID, "error", err)
	}
	http.SetCookie(w, &http.Cookie{Name: chatCookie, Value: tok, Path: "/support/chat", MaxAge: 24 * 3600, HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/support/chat/"+url.PathEscape(t.ID)+"?lang="+lang, http.StatusSeeOther)
}

// chatFormError shows the start page again with what was typed and why it
// was refused.
func (s *Server) chatFormError(w http.ResponseWriter, r *http.Request, lang string, err error) {
	if okcare.ErrorCode(err) == okcare.EINTERNAL {
		s.pageError(w, r, lang, err)
		return
	}
	setErrorCode(w, err)
	s.chatFormRefused(w, r, lang, customerErrorText(lang, err))
}

// chatFormRefused shows the start page again with what was typed and why.
func (s *Server) chatFormRefused(w http.ResponseWriter, r *http.Request, lang, why string) {
	data, err := s.chatStartView(r.Context(), lang, map[string]any{"Error": why, "Email": r.PostFormValue("contact_email"), "Message": r.PostFormValue("message")})
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	s.render(w, r, http.StatusBadRequest, "chat.html", lang, tr(lang, "chat_title"), data)
}

// leaveMessage turns what a customer wrote while nobody could chat into an
// email ticket, answered by email: the address is required.
func (s *Server) leaveMessage(w http.ResponseWriter, r *http.Request, lang string) {
	email := strings.TrimSpace(r.PostFormValue("contact_email"))
	if email == "" {
		w.Header().Set(errorCodeHeader, okcare.EINVALID)
		s.chatFormRefused(w, r, lang, tr(lang, "chat_need_email"))
		return
	}
	t, err := s.createTicket(r.Context(), s.customer(r), okcare.NewTicket{ContactEmail: email, Channel: okcare.ChannelMail, Lang: lang,
		Intake: okcare.Intake{Description: r.PostFormValue("message")}})
	if err != nil {
		s.chatFormError(w, r, lang, err)
		return
	}
	lead, note := s.replyByWords(lang, "chat_left_text", t.Ticket)
	s.render(w, r, http.StatusCreated, "chat.html", lang, tr(lang, "chat_left_title"), map[string]any{"Left": t.Ticket,
		"LeftText": fill(lead, "email", email), "ReplyBy": whenText(lang, t.ReplyBy, s.Now()), "Provisional": note})
}

// chatLine is a message as the chat page shows it.
type chatLine struct {
	ID, From, Body string
	At             time.Time
}

// When is the message's Beijing date and time, as the page shows it.
func (l chatLine) When() string { return l.At.In(chinaCalendar.Location).Format("01-02 15:04") }

func chatLines(msgs []*okcare.TicketMessage) []chatLine {
	out := make([]chatLine, 0, len(msgs))
	for _, m := range msgs {
		if m.Public {
			out = append(out, chatLine{ID: m.ID, From: chatFrom(m.Author), Body: m.Body, At: m.CreatedAt})
		}
	}
	return out
}

// chatFrom names who wrote a message, for the customer: never staff ids.
func chatFrom(author string) string {
	switch {
	case strings.HasPrefix(author, "agent:"):
		return "agent"
	case author == "system":
		return "system"
	}
	return "customer"
}

func (s *Server) pageChat(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	t, err := s.chatTicket(r)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	msgs, err := s.Store.TicketMessages(r.Context(), t.ID, false)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	data := map[string]any{"Ticket": t, "Lines": chatLines(msgs), "ChatJS": chatJSURL, "Socket": "/support/chat/" + t.ID + "/ws"}
	if data["Outage"], err = s.outageNotice(r.Context(), lang); err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	if t.Status == okcare.TicketSolved || t.Status == okcare.TicketClosed {
		data["Ended"] = true
		sv, err := s.Store.TicketSurvey(r.Context(), t.ID)
		if err != nil {
			s.pageError(w, r, lang, err)
			return
		}
		data["Rated"] = sv != nil && sv.AnsweredAt != nil
		data["Ratings"] = []int{5, 4, 3, 2, 1}
	} else {
		st, err := s.chatStatus(r.Context(), t, lang)
		if err != nil {
			s.pageError(w, r, lang, err)
			return
		}
		data["Status"] = st
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "chat.html", lang, tr(lang, "chat_title"), data)
}

// customerSays stores a customer's chat message and tells the watchers.
func (s *Server) customerSays(ctx context.Context, t *okcare.Ticket, body string) error {
	if !s.ChatLimiter.Allow("chat:"+t.ID, s.Now()) {
		return okcare.Errorf(okcare.ERATELIMITED, "You are sending messages too fast; wait a moment.")
	}
	author := "contact"
	if t.UserID != "" {
		author = "user:" + t.UserID
	}
	m := &okcare.TicketMessage{TicketID: t.ID, Author: author, Public: true, Body: body}
	if err := s.Store.AddTicketMessage(ctx, m); err != nil {
		return err
	}
	s.publishChat(t, m)
	if w := m.SecretWarning; w != nil && w.Message != nil {
		s.publishChat(t, w.Message) // the store hid a secret: say why, at once
	}
	return nil
}

// agentSays stores an agent's public chat reply and tells the watchers.
func (s *Server) agentSays(ctx context.Context, t *okcare.Ticket, agentID, body string) error {
	m, err := s.Store.ReplyAsAgent(ctx, t.ID, agentID, body, true)
	if err != nil {
		return err
	}
	s.publishChat(t, m)
	return nil
}

func (s *Server) publishChat(t *okcare.Ticket, m *okcare.TicketMessage) {
	if t.Channel != okcare.ChannelChat || !m.Public {
		return
	}
	s.signalChat(chat.Event{TicketID: t.ID, MessageID: m.ID, From: chatFrom(m.Author), Body: m.Body, At: m.CreatedAt})
}

// signalChat publishes e to the chat's watchers, here and on other nodes.
func (s *Server) signalChat(e chat.Event) {
	if err := s.Chat.Publish(e); err != nil {
		s.Logger.Warn("chat relay", "ticket", e.TicketID, "error", err)
	}
}

// pageChatSend is the chat form without JavaScript.
func (s *Server) pageChatSend(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	t, err := s.chatTicket(r)
	if err == nil {
		err = s.customerSays(r.Context(), t, r.PostFormValue("body"))
	}
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	http.Redirect(w, r, "/support/chat/"+url.PathEscape(t.ID)+"?lang="+lang, http.StatusSeeOther)
}

// pageChatEnd lets the customer end the chat: the ticket is solved (its
// survey sent) and the agent's console is told.
func (s *Server) pageChatEnd(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	t, err := s.chatTicket(r)
	if err == nil && t.Status != okcare.TicketSolved && t.Status != okcare.TicketClosed {
		if _, err = s.Store.SetTicketStatus(r.Context(), t.ID, "contact", okcare.TicketSolved); err == nil {
			s.signalChat(chat.Event{Kind: chat.KindEnd, TicketID: t.ID, From: "customer", At: s.Now()})
		}
	}
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	http.Redirect(w, r, "/support/chat/"+url.PathEscape(t.ID)+"?lang="+lang, http.StatusSeeOther)
}

// pageChatRate records the customer's rating of an ended chat.
func (s *Server) pageChatRate(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	t, err := s.chatTicket(r)
	if err == nil {
		rating, _ := strconv.Atoi(r.PostFormValue("rating"))
		err = s.Store.RateChat(r.Context(), t.ID, rating, r.PostFormValue("comment"))
	}
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	http.Redirect(w, r, "/support/chat/"+url.PathEscape(t.ID)+"?lang="+lang, http.StatusSeeOther)
}

// chatTranscript lets the customer keep the conversation as a text file.
func (s *Server) chatTranscript(w http.ResponseWriter, r *http.Request) {
	t, err := s.chatTicket(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	msgs, err := s.Store.TicketMessages(r.Context(), t.ID, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeTranscript(w, t, msgs)
}

// consoleUnread tells the agents' queue which chats have customer messages
// since the last answer, and how many; the queue page marks them and asks
// again every few seconds.
func (s *Server) consoleUnread(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	unread, err := s.Store.ChatUnread(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"label": tr(lang, "chat_unread"), "unread": unread})
}
