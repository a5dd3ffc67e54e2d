package http

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
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
	s.mux.HandleFunc("GET /support/chat/{id}/ws", s.customerChatSocket)
	s.mux.HandleFunc("GET /support/chat/{id}/transcript", s.chatTranscript)
	s.mux.HandleFunc("GET /console/tickets/{id}/ws", s.staff(okcare.RoleAgent, s.agentChatSocket))
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

func (s *Server) pageChatStart(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	s.render(w, r, http.StatusOK, "chat.html", lang, uiText[lang]["chat_title"], s.chatStartView(lang, nil))
}

// chatStartView is the chat start page's content: the chat team's real
// hours and promise.
func (s *Server) chatStartView(lang string, data map[string]any) map[string]any {
	if data == nil {
		data = map[string]any{}
	}
	a := s.desk().Available(okcare.ChannelChat, s.Now())
	data["Intro"] = fill(tr(lang, "chat_intro"), "open", clock(a.Open), "close", clock(a.Close), "promise", promiseText(lang, a.FirstResponse))
	return data
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
	t, tok, err := s.Store.OpenChat(r.Context(), okcare.NewTicket{ContactEmail: r.PostFormValue("contact_email"), Lang: lang,
		Intake: okcare.Intake{Description: r.PostFormValue("message")}})
	if err != nil {
		if okcare.ErrorCode(err) == okcare.EINTERNAL {
			s.pageError(w, r, lang, err)
			return
		}
		s.render(w, r, http.StatusBadRequest, "chat.html", lang, uiText[lang]["chat_title"], s.chatStartView(lang, map[string]any{"Error": uiText[lang]["bad_request"] + okcare.ErrorMessage(err),
			"Email": r.PostFormValue("contact_email"), "Message": r.PostFormValue("message")}))
		return
	}
	if _, err := s.Store.AssignTicket(r.Context(), t.ID); err != nil {
		s.Logger.Warn("chat not assigned", "ticket", t.ID, "error", err)
	}
	http.SetCookie(w, &http.Cookie{Name: chatCookie, Value: tok, Path: "/support/chat", MaxAge: 24 * 3600, HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/support/chat/"+url.PathEscape(t.ID)+"?lang="+lang, http.StatusSeeOther)
}

// chatLine is a message as the chat page shows it.
type chatLine struct {
	ID, From, Body string
	At             time.Time
}

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
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "chat.html", lang, uiText[lang]["chat_title"], map[string]any{"Ticket": t, "Lines": chatLines(msgs), "ChatJS": chatJSURL,
		"Socket": "/support/chat/" + t.ID + "/ws"})
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
	if err := s.Chat.Publish(chat.Event{TicketID: t.ID, MessageID: m.ID, From: chatFrom(m.Author), Body: m.Body, At: m.CreatedAt}); err != nil {
		s.Logger.Warn("chat relay", "ticket", t.ID, "error", err)
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

func (s *Server) customerChatSocket(w http.ResponseWriter, r *http.Request) {
	t, err := s.chatTicket(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.chatSocket(w, r, t, func(ctx context.Context, body string) error { return s.customerSays(ctx, t, body) })
}

func (s *Server) agentChatSocket(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	t, err := s.Store.FindTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.chatSocket(w, r, t, func(ctx context.Context, body string) error { return s.agentSays(ctx, t, a.ID, body) })
}

// chatSocket runs one browser's live chat: it sends what the browser
// missed since ?since= (a message id), then every new message; what the
// browser sends is stored through say. The library refuses cross-origin
// upgrades, which with the SameSite cookies keeps other sites out.
func (s *Server) chatSocket(w http.ResponseWriter, r *http.Request, t *okcare.Ticket, say func(context.Context, string) error) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{}) // a chat outlives the server's request timeouts
	rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered
	}
	defer conn.CloseNow()
	conn.SetReadLimit(64 << 10)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	events, stop := s.Chat.Subscribe(t.ID)
	defer stop()

	send := func(e chat.Event) error {
		raw, _ := json.Marshal(e)
		wctx, done := context.WithTimeout(ctx, 10*time.Second)
		defer done()
		return conn.Write(wctx, websocket.MessageText, raw)
	}
	// Catch up: subscribed first, so nothing falls between the two.
	since := r.URL.Query().Get("since")
	msgs, err := s.Store.TicketMessages(ctx, t.ID, false)
	if err != nil {
		conn.Close(websocket.StatusInternalError, "try again")
		return
	}
	seen := map[string]bool{}
	for _, l := range chatLines(msgs) {
		if since == "" || l.ID > since {
			seen[l.ID] = true
			if send(chat.Event{TicketID: t.ID, MessageID: l.ID, From: l.From, Body: l.Body, At: l.At}) != nil {
				return
			}
		}
	}

	go func() {
		defer cancel()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var in struct {
				Body string `json:"body"`
			}
			if json.Unmarshal(data, &in) != nil || strings.TrimSpace(in.Body) == "" {
				continue
			}
			if err := say(ctx, in.Body); err != nil {
				var problem struct {
					Error string `json:"error"`
				}
				problem.Error = okcare.ErrorMessage(err)
				raw, _ := json.Marshal(problem)
				conn.Write(ctx, websocket.MessageText, raw)
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return
		case e := <-events:
			if seen[e.MessageID] {
				continue
			}
			if err := send(e); err != nil && !errors.Is(err, context.Canceled) {
				return
			}
		}
	}
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
