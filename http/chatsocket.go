package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
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

// statusNews is why a customer's status line is worked out again.
type statusNews int

const (
	firstLine statusNews = iota // the socket has just opened
	refresh                     // every ChatRefresh, or the relay is back
	ownNews                     // the hub told of this chat: answered, joined, ended
)

// chatStatus works out a chat's status line in lang.
func (s *Server) chatStatus(ctx context.Context, t *okcare.Ticket, lang string) (chatStatus, error) {
	q, err := s.Store.ChatQueue(ctx, t.ID)
	if err != nil {
		return chatStatus{}, err
	}
	return s.statusLine(t, lang, q), nil
}

// statusLine is the status line in lang of chat t standing at q.
func (s *Server) statusLine(t *okcare.Ticket, lang string, q okcare.ChatQueue) chatStatus {
	switch {
	case q.Ended:
		return chatStatus{Kind: chat.KindEnd, Text: tr(lang, "chat_ended")}
	case q.Answered || s.Chat.Agents(t.ID) > 0:
		return chatStatus{Kind: chat.KindJoin, Text: tr(lang, "chat_joined")}
	case q.AgentsOnline == 0:
		return chatStatus{Kind: "nobody", Text: tr(lang, "chat_queue_nobody")}
	}
	w := contact.EstimateWait(q.Ahead, q.AgentsOnline, contact.PerChat)
	minutes := int((w.Estimate + time.Minute - 1) / time.Minute)
	key := "chat_queue"
	if w.Position == 1 {
		key = "chat_queue_next"
	}
	return chatStatus{Kind: "queue", Position: w.Position, WaitMinutes: minutes,
		Text: fill(tr(lang, key), "position", strconv.Itoa(w.Position), "minutes", strconv.Itoa(minutes))}
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
	s.chatSocket(w, r, t, sideCustomer, lang, func(ctx context.Context, in []chatIn) ([]*okcare.TicketMessage, []error) {
		return s.customerSay(ctx, t, in)
	})
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
	s.chatSocket(w, r.WithContext(ctx), t, sideAgent, lang, func(ctx context.Context, in []chatIn) ([]*okcare.TicketMessage, []error) {
		return s.agentSay(ctx, t, a.ID, in)
	})
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

// chatOut is what a chat socket sends besides messages: a typing signal
// with its words, a status line, an acknowledgement (kind "ack", the
// stored message), a refusal (Error, for the message ClientID, Retry when
// sending it again later may work) or a pong.
type chatOut struct {
	chat.Event
	Text  string `json:"text,omitempty"`
	Error string `json:"error,omitempty"`
	// Code is the stable error code of a refused frame or message.
	Code  string `json:"code,omitempty"`
	Retry bool   `json:"retry,omitempty"`
}

// Kinds of what only a chat socket sends.
const (
	kindAck  = "ack"  // a message of the browser's is stored (committed)
	kindPong = "pong" // the answer to the browser's heartbeat
)

// sayFunc stores, in order, what one side of a chat sent, under the
// browser's ids, and tells the watchers; a resend returns the stored
// message. It returns each message as stored, or why it was not.
type sayFunc func(ctx context.Context, in []chatIn) ([]*okcare.TicketMessage, []error)

// chatSocket runs one browser's live chat: it sends the messages after
// ?since_seq= (all without it), then every new one, in conversation
// order, each once; what the browser sends is stored through say and
// acknowledged once committed; typing signals only pass to the other
// side. A customer's socket also sends the chat's status line whenever it
// changes; an agent's socket joins the agent to the chat for as long as
// it is open. See chatConn for how nothing is lost when the relay is. The
// library refuses cross-origin upgrades, which with the SameSite cookies
// keeps other sites out.
func (s *Server) chatSocket(w http.ResponseWriter, r *http.Request, t *okcare.Ticket, side, lang string, say sayFunc) {
	var since int64
	if q := r.URL.Query().Get("since_seq"); q != "" {
		var err error
		if since, err = strconv.ParseInt(q, 10, 64); err != nil || since < 0 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "since_seq must be a message's seq."))
			return
		}
	}
	if s.isDraining() { // this node is stopping: the page reconnects to another
		s.Error(w, r, okcare.Errorf(okcare.EUNAVAILABLE, "This server is restarting; reconnect."))
		return
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{}) // a chat outlives the server's request timeouts
	rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(smallSocketBuffers{w}, r, nil)
	if err != nil {
		return // Accept has answered
	}
	// What ends the socket runs when its work ends it (chatLoop.do), or
	// here if it fails before that.
	var cleanups []func()
	atEnd := func(f func()) { cleanups = append(cleanups, f) }
	var finishing sync.Once
	finish := func() {
		finishing.Do(func() {
			for i := len(cleanups) - 1; i >= 0; i-- {
				cleanups[i]()
			}
		})
	}
	handedOff := false
	defer func() {
		if !handedOff {
			finish()
		}
	}()
	ended := make(chan struct{})
	atEnd(func() { close(ended) }) // last: an agent's handler waits for it
	atEnd(func() { conn.CloseNow() })
	conn.SetReadLimit(64 << 10)
	base := r.Context()
	if side == sideCustomer {
		base = context.WithoutCancel(base) // the socket outlives this handler
	}
	ctx, cancel := context.WithCancel(base)
	atEnd(cancel)
	c := &chatConn{s: s, conn: conn, ctx: ctx, ticket: t, side: side, last: since}
	l := &chatLoop{s: s, c: c, side: side, lang: lang, finish: finish, watch: queueWatch{started: s.queueShare.seq()}}
	l.work = newSocketWork(l.do) // held until its release below
	// Subscribed before catching up, so nothing falls between the two.
	l.sub = s.Chat.SubscribeFunc(t.ID, func() { l.work.kick(workEvents) })
	atEnd(l.sub.Cancel)
	if side == sideAgent {
		s.signalChat(chat.Event{Kind: chat.KindJoin, TicketID: t.ID, From: sideAgent, At: s.Now()})
		atEnd(func() { s.signalChat(chat.Event{Kind: chat.KindLeave, TicketID: t.ID, From: sideAgent, At: s.Now()}) })
	}
	if c.catchUp() != nil {
		conn.Close(websocket.StatusInternalError, "try again")
		return
	}
	// The customer's status line, now and whenever it changes: on news of
	// its own chat read for it alone, otherwise (the first line, the
	// periodic refresh, a resync every socket gets at once) from the
	// node's shared read of the queue, the first line from a read begun
	// after the chat was (a customer coming back after answers sees them,
	// not a place a refresh old; thousands coming back at once share a
	// few reads).
	if l.status(firstLine) != nil {
		return
	}

	go s.readChat(c, cancel, lang, say)
	atEnd(c.startPings(cancel, s.chatPing()))
	atEnd(l.startTimers())
	atEnd(afterDone(ctx, func() { l.work.kick(workClose) }))
	atEnd(afterDone(s.ready.drainCtx, func() { l.work.kick(workDrain) }))
	// From here the socket's work ends it (chatLoop.do runs finish). A
	// customer's socket needs no goroutine of its own while idle, and this
	// handler returns: an idle customer costs the reader alone, not also
	// the request's goroutine with the stack its store reads grew. An
	// agent's handler stays until the end, as the staff session checks
	// around it need.
	handedOff = true
	l.work.release()
	if side == sideAgent {
		<-ended
	}
}

// chatIn is what a browser sends: a message (Body, under its ClientID), a
// typing signal, or a heartbeat (Ping), answered with a pong.
type chatIn struct {
	Body     string `json:"body"`
	ClientID string `json:"client_id"`
	Typing   bool   `json:"typing"`
	Ping     bool   `json:"ping"`
}

// maxSaying is how many of a socket's messages may wait to be stored and
// acknowledged; past that the socket stops reading until some are.
const maxSaying = 64

// readChat reads what a browser sends until it goes. A message is queued
// for storing (storeQueue), which stores and acknowledges it, while the
// next frames are read: a page's backlog after a reconnect reaches the
// store together. Heartbeats and typing are answered at once, even while
// a commit is slow. A frame that is not one strict JSON text message is
// answered with the problem and its code, as a request would be, and
// stores nothing.
func (s *Server) readChat(c *chatConn, cancel func(), lang string, say sayFunc) {
	defer cancel()
	q := &storeQueue{c: c, cancel: cancel, lang: lang, say: say, slots: make(chan struct{}, maxSaying)}
	var lastTyping time.Time
	for {
		typ, data, err := c.conn.Read(c.ctx)
		if err != nil {
			return
		}
		var in chatIn
		var bad error
		if typ != websocket.MessageText {
			bad = okcare.Errorf(okcare.EUNSUPPORTEDMEDIA, "Send chat messages as text.")
		} else {
			bad = unmarshalStrict(data, &in)
		}
		switch {
		case bad != nil:
			err = c.send(chatOut{Event: chat.Event{TicketID: c.ticket.ID}, Error: chatProblem(lang, bad), Code: okcare.ErrorCode(bad)})
		case in.Ping:
			err = c.send(chatOut{Event: chat.Event{Kind: kindPong, TicketID: c.ticket.ID}})
		case in.Typing:
			if now := time.Now(); now.Sub(lastTyping) >= typingEvery {
				lastTyping = now
				s.signalChat(chat.Event{Kind: chat.KindTyping, TicketID: c.ticket.ID, From: c.side, At: s.Now()})
			}
		case strings.TrimSpace(in.Body) == "":
		default:
			if !q.push(in) {
				return
			}
		}
		if err != nil {
			return
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
