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
	"github.com/okcare/okcare/token"
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
	Seq            int64
	// ClientID lets the page drop its pending copy of a message it sent
	// whose ack was lost.
	ClientID string
}

// When is the message's Beijing date and time, as the page shows it.
func (l chatLine) When() string { return l.At.In(chinaCalendar.Location).Format("01-02 15:04") }

func chatLines(msgs []*okcare.TicketMessage) []chatLine {
	out := make([]chatLine, 0, len(msgs))
	for _, m := range msgs {
		if m.Public {
			out = append(out, chatLine{ID: m.ID, From: chatFrom(m.Author), Body: m.Body, At: m.CreatedAt, Seq: m.Seq, ClientID: m.ClientID})
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
	data := map[string]any{"Ticket": t, "Lines": chatLines(msgs), "ChatJS": chatJSURL, "Socket": "/support/chat/" + t.ID + "/ws",
		"ClientID": newClientID(), "LastSeq": lastSeq(msgs)}
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
// It is the one way a customer's chat words reach the store (the socket,
// the plain form, the API), through customerSay, so whatever must be done
// to them before they are kept is done there. A resend under the same
// client id returns the stored message and tells nobody again.
func (s *Server) customerSays(ctx context.Context, t *okcare.Ticket, clientID, body string) (*okcare.TicketMessage, error) {
	ms, errs := s.customerSay(ctx, t, []chatIn{{ClientID: clientID, Body: body}})
	return ms[0], errs[0]
}

// customerSay stores a customer's chat messages, in order, in as few
// commits as the store manages (see okcare.ChatService.AddChatMessages),
// and tells the watchers of each stored one; it returns each message or
// why it was refused.
func (s *Server) customerSay(ctx context.Context, t *okcare.Ticket, in []chatIn) ([]*okcare.TicketMessage, []error) {
	author := "contact"
	if t.UserID != "" {
		author = "user:" + t.UserID
	}
	return s.storeChat(ctx, t, author, in, func() error {
		if !s.ChatLimiter.Allow("chat:"+t.ID, s.Now()) {
			return okcare.Errorf(okcare.ERATELIMITED, "You are sending messages too fast; wait a moment.")
		}
		return nil
	})
}

// agentSays stores an agent's public chat reply and tells the watchers;
// a resend under the same client id tells nobody again.
func (s *Server) agentSays(ctx context.Context, t *okcare.Ticket, agentID, clientID, body string) (*okcare.TicketMessage, error) {
	ms, errs := s.agentSay(ctx, t, agentID, []chatIn{{ClientID: clientID, Body: body}})
	return ms[0], errs[0]
}

// agentSay is customerSay for an agent's public replies.
func (s *Server) agentSay(ctx context.Context, t *okcare.Ticket, agentID string, in []chatIn) ([]*okcare.TicketMessage, []error) {
	return s.storeChat(ctx, t, "agent:"+agentID, in, func() error { return nil })
}

// storeChat stores by author the messages in that allow lets through,
// and publishes each one stored, in order (and the notice of a hidden
// secret right after its message).
func (s *Server) storeChat(ctx context.Context, t *okcare.Ticket, author string, in []chatIn, allow func() error) ([]*okcare.TicketMessage, []error) {
	ms, errs := make([]*okcare.TicketMessage, len(in)), make([]error, len(in))
	var batch []*okcare.TicketMessage
	var at []int
	for i, c := range in {
		if errs[i] = allow(); errs[i] == nil {
			ms[i] = &okcare.TicketMessage{TicketID: t.ID, Author: author, Public: true, Body: c.Body, ClientID: c.ClientID}
			batch, at = append(batch, ms[i]), append(at, i)
		}
	}
	if len(batch) == 0 {
		return ms, errs
	}
	berrs, err := s.Store.AddChatMessages(ctx, batch)
	for k, i := range at {
		if err != nil {
			ms[i], errs[i] = nil, err
			continue
		}
		if errs[i] = berrs[k]; errs[i] != nil {
			ms[i] = nil
			continue
		}
		m := ms[i]
		s.publishChat(t, m)
		if w := m.SecretWarning; w != nil && w.Message != nil {
			s.publishChat(t, w.Message) // the store hid a secret: say why, at once
		}
	}
	return ms, errs
}

// publishChat tells the chat's watchers of a new public message, once: a
// replayed message was told of when it was first stored.
func (s *Server) publishChat(t *okcare.Ticket, m *okcare.TicketMessage) {
	if t.Channel != okcare.ChannelChat || !m.Public || m.Replayed {
		return
	}
	s.signalChat(chatEvent(t, m))
}

// newClientID is a client id for a page's plain form, so that a form sent
// twice (a reload, a double click) stores one message.
func newClientID() string { return token.New("f-") }

// lastSeq is the seq of the last message of msgs, 0 for none.
func lastSeq(msgs []*okcare.TicketMessage) int64 {
	if len(msgs) == 0 {
		return 0
	}
	return msgs[len(msgs)-1].Seq
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
		_, err = s.customerSays(r.Context(), t, r.PostFormValue("client_id"), r.PostFormValue("body"))
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
