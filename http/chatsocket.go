package http

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
	"github.com/okcare/okcare/contact"
)

// Sides of a chat.
const (
	sideCustomer = "customer"
	sideAgent    = "agent"
)

// chatRefresh is how often a waiting customer's place in the queue is
// recomputed and, when it changed, sent; Server.ChatRefresh overrides it.
const chatRefresh = 5 * time.Second

// typingEvery is the least time between two typing signals one browser
// passes on; the page sends them about this often while someone types.
const typingEvery = 2 * time.Second

// chatStatus is the line a chat page shows above the conversation: the
// customer's place in the queue and estimated wait, that nobody is online,
// that an agent has joined, or that the chat has ended.
type chatStatus struct {
	Kind        string `json:"kind"` // "queue", "nobody", "join" or "end"
	Text        string `json:"text"`
	Position    int    `json:"position,omitempty"`
	WaitMinutes int    `json:"wait_minutes,omitempty"`
}

// chatStatus works out a chat's status line in lang.
func (s *Server) chatStatus(ctx context.Context, t *okcare.Ticket, lang string) (chatStatus, error) {
	q, err := s.Store.ChatQueue(ctx, t.ID)
	if err != nil {
		return chatStatus{}, err
	}
	switch {
	case q.Ended:
		return chatStatus{Kind: chat.KindEnd, Text: tr(lang, "chat_ended")}, nil
	case q.Answered || s.Chat.Agents(t.ID) > 0:
		return chatStatus{Kind: chat.KindJoin, Text: tr(lang, "chat_joined")}, nil
	case q.AgentsOnline == 0:
		return chatStatus{Kind: "nobody", Text: tr(lang, "chat_queue_nobody")}, nil
	}
	w := contact.EstimateWait(q.Ahead, q.AgentsOnline, contact.PerChat)
	minutes := int((w.Estimate + time.Minute - 1) / time.Minute)
	key := "chat_queue"
	if w.Position == 1 {
		key = "chat_queue_next"
	}
	return chatStatus{Kind: "queue", Position: w.Position, WaitMinutes: minutes,
		Text: fill(tr(lang, key), "position", strconv.Itoa(w.Position), "minutes", strconv.Itoa(minutes))}, nil
}

func (s *Server) customerChatSocket(w http.ResponseWriter, r *http.Request) {
	t, err := s.chatTicket(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lang := r.URL.Query().Get("lang")
	if !okcare.ValidLang(lang) {
		lang = t.Lang
	}
	s.chatSocket(w, r, t, sideCustomer, lang, func(ctx context.Context, body string) error { return s.customerSays(ctx, t, body) })
}

func (s *Server) agentChatSocket(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	t, err := s.Store.FindTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// The socket lives only as long as the staff session: signing out
	// closes it at once on this node, and every node checks the session
	// again every staffSocketRecheck.
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	if c, err := r.Cookie(staffCookie); err == nil {
		defer s.staffSockets.add(c.Value, cancel)()
		go s.recheckStaffSession(ctx, c.Value, cancel)
	}
	s.chatSocket(w, r.WithContext(ctx), t, sideAgent, lang, func(ctx context.Context, body string) error { return s.agentSays(ctx, t, a.ID, body) })
}

// staffSocketRecheck is how often an open staff chat socket checks that
// its session still stands (signed out on another node, expired).
const staffSocketRecheck = 30 * time.Second

func (s *Server) recheckStaffSession(ctx context.Context, tok string, cancel func()) {
	tick := time.NewTicker(staffSocketRecheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if a, err := s.Store.AuthenticateAgent(ctx, tok); err != nil || a.MFAPending {
				cancel()
				return
			}
		}
	}
}

// chatOut is what a chat socket sends: a message (chat.Event), a typing
// signal with its words, or a status line.
type chatOut struct {
	chat.Event
	Text string `json:"text,omitempty"`
}

// chatSocket runs one browser's live chat: it sends what the browser
// missed since ?since= (a message id), then every new message; what the
// browser sends is stored through say, except typing signals, which only
// pass to the other side. A customer's socket also sends the chat's status
// line whenever it changes; an agent's socket joins the agent to the chat
// for as long as it is open. The library refuses cross-origin upgrades,
// which with the SameSite cookies keeps other sites out.
func (s *Server) chatSocket(w http.ResponseWriter, r *http.Request, t *okcare.Ticket, side, lang string, say func(context.Context, string) error) {
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
	if side == sideAgent {
		s.signalChat(chat.Event{Kind: chat.KindJoin, TicketID: t.ID, From: sideAgent, At: s.Now()})
		defer s.signalChat(chat.Event{Kind: chat.KindLeave, TicketID: t.ID, From: sideAgent, At: s.Now()})
	}

	send := func(v any) error {
		raw, _ := json.Marshal(v)
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
	// The customer's status line, now and whenever it changes.
	var last chatStatus
	status := func() error {
		if side != sideCustomer {
			return nil
		}
		st, err := s.chatStatus(ctx, t, lang)
		if err != nil || st == last {
			return err
		}
		last = st
		return send(st)
	}
	if status() != nil {
		return
	}

	go s.readChat(ctx, cancel, conn, t, side, lang, say)
	every := s.ChatRefresh
	if every <= 0 {
		every = chatRefresh
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return
		case <-tick.C:
			err = status()
		case e := <-events:
			switch {
			case e.Kind == "" && seen[e.MessageID]:
				continue
			case e.Kind == "":
				err = send(e)
				if err == nil && e.From == sideAgent {
					err = status() // an answer means an agent has joined
				}
			case e.Kind == chat.KindTyping && e.From != side:
				err = send(chatOut{Event: e, Text: tr(lang, "chat_typing_"+e.From)})
			case e.Kind == chat.KindJoin || e.Kind == chat.KindLeave:
				err = status()
			case e.Kind == chat.KindEnd:
				if side == sideCustomer {
					err = status()
				} else {
					err = send(chatOut{Event: e, Text: tr(lang, "chat_ended")})
				}
			}
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			return
		}
	}
}

// readChat reads what a browser sends until it goes: messages are stored
// through say; typing signals, throttled, go to the other side unstored.
// A frame that is not one strict JSON text message is answered with the
// problem and its code, as a request would be, and stores nothing.
func (s *Server) readChat(ctx context.Context, cancel func(), conn *websocket.Conn, t *okcare.Ticket, side, lang string, say func(context.Context, string) error) {
	defer cancel()
	var lastTyping time.Time
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var in struct {
			Body   string `json:"body"`
			Typing bool   `json:"typing"`
		}
		if typ != websocket.MessageText {
			err = okcare.Errorf(okcare.EUNSUPPORTEDMEDIA, "Send chat messages as text.")
		} else {
			err = unmarshalStrict(data, &in)
		}
		if err == nil && in.Typing {
			if now := time.Now(); now.Sub(lastTyping) >= typingEvery {
				lastTyping = now
				s.signalChat(chat.Event{Kind: chat.KindTyping, TicketID: t.ID, From: side, At: s.Now()})
			}
			continue
		}
		if err == nil && strings.TrimSpace(in.Body) == "" {
			continue
		}
		if err == nil {
			err = say(ctx, in.Body)
		}
		if err != nil {
			var problem struct {
				Error string `json:"error"`
				Code  string `json:"code"`
			}
			problem.Error, problem.Code = chatProblem(lang, err), okcare.ErrorCode(err)
			raw, _ := json.Marshal(problem)
			conn.Write(ctx, websocket.MessageText, raw)
		}
	}
}

// chatProblem says in lang why a message was not sent.
func chatProblem(lang string, err error) string {
	switch okcare.ErrorCode(err) {
	case okcare.ERATELIMITED:
		return tr(lang, "chat_too_fast")
	case okcare.ECONFLICT:
		return tr(lang, "chat_ended")
	case okcare.EINVALID:
		return tr(lang, "chat_too_long")
	}
	return tr(lang, "chat_not_sent")
}
