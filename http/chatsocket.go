package http

import (
	"context"
	"errors"
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
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered
	}
	// What ends the socket runs when its loop ends: on this goroutine for
	// an agent, on the loop's own for a customer (see below).
	var cleanups []func()
	atEnd := func(f func()) { cleanups = append(cleanups, f) }
	finish := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	handedOff := false
	defer func() {
		if !handedOff {
			finish()
		}
	}()
	atEnd(func() { conn.CloseNow() })
	conn.SetReadLimit(64 << 10)
	base := r.Context()
	if side == sideCustomer {
		base = context.WithoutCancel(base) // the socket outlives this handler
	}
	ctx, cancel := context.WithCancel(base)
	atEnd(cancel)
	c := &chatConn{s: s, conn: conn, ctx: ctx, ticket: t, side: side, last: since}
	// Subscribed before catching up, so nothing falls between the two.
	sub := s.Chat.Subscribe(t.ID)
	atEnd(sub.Cancel)
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
	var last chatStatus
	watch := queueWatch{started: s.queueShare.seq()}
	status := func(news statusNews) error {
		if side != sideCustomer {
			return nil
		}
		var st chatStatus
		var err error
		ok := true
		if news == ownNews {
			st, err = s.chatStatusDirect(ctx, t, lang, &watch)
		} else {
			st, ok, err = s.chatStatusShared(ctx, t, lang, &watch, news == firstLine)
		}
		if err != nil || !ok || st == last {
			return err
		}
		last = st
		return c.send(st)
	}
	if status(firstLine) != nil {
		return
	}

	go s.readChat(c, cancel, lang, say)
	atEnd(c.startPings(cancel, s.chatPing()))
	// A customer's socket runs on a goroutine of its own, started with a
	// small stack, and this handler returns: an idle customer costs the
	// reader and this loop, not also the request's goroutine with the
	// stack its store reads grew. An agent's stays, as the staff session
	// checks around it need.
	if side == sideCustomer {
		handedOff = true
		go func() {
			defer finish()
			s.chatLoop(c, sub, side, lang, status, &last)
		}()
		return
	}
	s.chatLoop(c, sub, side, lang, status, &last)
}

// chatLoop passes the hub's events, the status line's changes and what
// catch-ups find to one socket until it closes or the node drains.
func (s *Server) chatLoop(c *chatConn, sub *chat.Subscription, side, lang string, status func(statusNews) error, lastStatusLine *chatStatus) {
	ctx, conn := c.ctx, c.conn
	every := s.ChatRefresh
	if every <= 0 {
		every = chatRefresh
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	catchTick := time.NewTicker(chatCatchUpOutage)
	defer catchTick.Stop()
	lastCatchUp, lastStatus := time.Now(), time.Now()
	// handle passes one event of the hub on to the browser.
	handle := func(e chat.Event) (err error) {
		switch {
		case e.Kind == "":
			err = c.deliver(e)
			// An answer means an agent has joined; once the line says so,
			// only the end (an event of its own) or the refresh change it,
			// so an answer needs no read of the queue.
			if err == nil && e.From == sideAgent && lastStatusLine.Kind != chat.KindJoin {
				err = status(ownNews)
			}
		case e.Kind == chat.KindResync:
			lastCatchUp = time.Now()
			if err = c.catchUp(); err == nil {
				err = status(refresh)
			}
		case e.Kind == chat.KindTyping && e.From != side:
			err = c.send(chatOut{Event: e, Text: tr(lang, "chat_typing_"+e.From)})
		case e.Kind == chat.KindJoin || e.Kind == chat.KindLeave:
			err = status(ownNews)
		case e.Kind == chat.KindEnd:
			if side == sideCustomer {
				err = status(ownNews)
			} else {
				err = c.send(chatOut{Event: e, Text: tr(lang, "chat_ended")})
			}
		}
		return err
	}
	for {
		var err error
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return
		case <-s.Draining():
			// The node is stopping: tell the page to reconnect (to another
			// node, the load balancer having seen /readyz turn 503); what
			// it has not had acknowledged it sends again there.
			conn.Close(websocket.StatusServiceRestart, "reconnect")
			return
		case now := <-tick.C:
			// Once an agent has joined, the line changes only when the
			// chat ends, which the hub tells at once: while it is live,
			// the store is read again only as a slow safety net.
			if lastStatusLine.Kind != chat.KindJoin || !s.Chat.Live() || now.Sub(lastStatus) >= chatCatchUpAlways {
				lastStatus = now
				err = status(refresh)
			}
		case now := <-catchTick.C:
			// While the relay is down other nodes' messages reach this
			// node only through the store; when it is up, a slow safety
			// net for news lost on the way (a node that died between its
			// commit and its publish).
			if !s.Chat.Live() || now.Sub(lastCatchUp) >= chatCatchUpAlways {
				lastCatchUp = now
				err = c.catchUp()
			}
		case <-sub.Ready():
			for _, e := range sub.Take() {
				if err = handle(e); err != nil {
					break
				}
			}
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			return
		}
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

// storeQueue holds a socket's messages waiting to be stored. A goroutine
// stores them only while there are some (store), so an idle socket holds
// none; at most maxSaying wait, after which the socket stops reading until
// some are acknowledged.
type storeQueue struct {
	c      *chatConn
	cancel func()
	lang   string
	say    sayFunc
	slots  chan struct{} // one per message queued and not yet acknowledged

	mu      sync.Mutex
	waiting []chatIn
	running bool
}

// push queues a message, starting the storing goroutine if none runs; it
// reports false if the socket closed while it waited for room.
func (q *storeQueue) push(in chatIn) bool {
	select {
	case q.slots <- struct{}{}:
	case <-q.c.ctx.Done():
		return false
	}
	q.mu.Lock()
	q.waiting = append(q.waiting, in)
	start := !q.running
	q.running = true
	q.mu.Unlock()
	if start {
		go q.store()
	}
	return true
}

// store stores the waiting messages, all that are waiting at once, and
// acknowledges each after its commit (or says why it was refused), in the
// order they were sent, until none wait. Messages still queued when the
// socket closes are neither stored nor acknowledged: the page sends them
// again.
func (q *storeQueue) store() {
	c := q.c
	for {
		q.mu.Lock()
		batch := q.waiting
		q.waiting = nil
		if len(batch) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		if c.ctx.Err() != nil {
			return
		}
		ms, errs := q.say(c.ctx, batch)
		for i, in := range batch {
			var err error
			if serr := errs[i]; serr != nil {
				code := okcare.ErrorCode(serr)
				err = c.send(chatOut{Event: chat.Event{TicketID: c.ticket.ID, ClientID: in.ClientID}, Error: chatProblem(q.lang, serr), Code: code,
					Retry: code == okcare.EINTERNAL || code == okcare.ERATELIMITED || code == okcare.EUNAVAILABLE})
			} else {
				ack := chatEvent(c.ticket, ms[i])
				ack.Kind = kindAck
				err = c.send(ack)
			}
			if err != nil {
				q.cancel()
				return
			}
			<-q.slots
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
