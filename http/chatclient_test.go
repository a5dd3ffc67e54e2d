package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare/token"
)

// pageClient speaks the chat socket's protocol as chat.js does, with its
// timings: every message gets a client id and waits in an outbox until
// its ack; after every reconnect (to the next node of its list, with
// backoff from 500 ms to 5 s) it asks for what came after the last seq it
// saw and sends the outbox again; a heartbeat every 2 s, and a connection
// silent for 6 s (or not open within 5 s) is given up. It records when
// each message first arrived and how often, to measure the guarantees.
type pageClient struct {
	t     *testing.T
	http  *http.Client
	path  string // the socket's path and query
	nodes []string

	mu       sync.Mutex
	next     int
	conn     *websocket.Conn
	outbox   []pendingMessage
	lastSeq  int64
	seen     map[string]int       // message id: deliveries
	got      map[string]time.Time // body: first delivery
	sent     map[string]time.Time // body: when the user sent it
	disorder int                  // messages that came after a later one
	connects int
	stop     chan struct{}
	done     chan struct{}
}

type pendingMessage struct{ cid, body string }

// The page's timings (chat.js).
const (
	pagePingEvery  = 2 * time.Second
	pageDeadAfter  = 6 * time.Second
	pageOpenWithin = 5 * time.Second
	pageMaxDelay   = 5 * time.Second
)

func newPageClient(t *testing.T, c *http.Client, path string, nodes ...string) *pageClient {
	p := &pageClient{t: t, http: c, path: path, nodes: nodes, seen: map[string]int{}, got: map[string]time.Time{}, sent: map[string]time.Time{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	t.Cleanup(p.close)
	return p
}

func (p *pageClient) close() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.mu.Lock()
	if p.conn != nil {
		p.conn.CloseNow()
	}
	p.mu.Unlock()
	<-p.done
}

// send is the user pressing Send: the message goes into the outbox and,
// if a connection is open, out.
func (p *pageClient) send(body string) {
	m := pendingMessage{cid: token.New("c-"), body: body}
	p.mu.Lock()
	p.outbox = append(p.outbox, m)
	p.sent[body] = time.Now()
	conn := p.conn
	p.mu.Unlock()
	if conn != nil {
		p.transmit(conn, m)
	}
}

func (p *pageClient) transmit(conn *websocket.Conn, m pendingMessage) {
	raw, _ := json.Marshal(map[string]string{"client_id": m.cid, "body": m.body})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn.Write(ctx, websocket.MessageText, raw) // a failure shows as a dead connection
}

func (p *pageClient) stopped() bool {
	select {
	case <-p.stop:
		return true
	default:
		return false
	}
}

func (p *pageClient) run() {
	defer close(p.done)
	delay := 500 * time.Millisecond
	for !p.stopped() {
		p.mu.Lock()
		node := p.nodes[p.next%len(p.nodes)]
		p.next++
		since := p.lastSeq
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), pageOpenWithin)
		conn, _, err := websocket.Dial(ctx, "ws://"+node+p.path+"&since_seq="+strconv.FormatInt(since, 10), &websocket.DialOptions{HTTPClient: p.http})
		cancel()
		if err == nil {
			if p.session(conn) {
				delay = 500 * time.Millisecond
			}
		}
		select {
		case <-p.stop:
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, pageMaxDelay)
	}
}

// session runs one connection until it dies or the client stops; it
// tells whether the server answered at all.
func (p *pageClient) session(conn *websocket.Conn) (answered bool) {
	defer conn.CloseNow()
	p.mu.Lock()
	p.conn = conn
	p.connects++
	pending := append([]pendingMessage(nil), p.outbox...)
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.conn = nil
		p.mu.Unlock()
	}()
	for _, m := range pending {
		p.transmit(conn, m)
	}
	frames := make(chan []byte, 256)
	go func() {
		defer close(frames)
		for {
			_, raw, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			frames <- raw
		}
	}()
	heard, pinged := time.Now(), time.Time{}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return answered
		case raw, ok := <-frames:
			if !ok {
				return answered
			}
			heard, answered = time.Now(), true
			p.handle(conn, raw)
		case now := <-tick.C:
			if now.Sub(heard) > pageDeadAfter {
				return answered
			}
			if now.Sub(pinged) >= pagePingEvery {
				pinged = now
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				conn.Write(ctx, websocket.MessageText, []byte(`{"ping":true}`))
				cancel()
			}
		}
	}
}

func (p *pageClient) handle(conn *websocket.Conn, raw []byte) {
	var e chatEvent
	if json.Unmarshal(raw, &e) != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case e.Error != "" && e.ClientID != "":
		if e.Retry {
			for _, m := range p.outbox {
				if m.cid == e.ClientID {
					go func() { time.Sleep(3 * time.Second); p.transmit(conn, m) }()
				}
			}
		} else {
			p.t.Errorf("message %s refused: %s", e.ClientID, e.Error)
		}
	case e.Kind == "ack":
		p.unqueue(e.ClientID)
	case e.Kind == "" && e.ID != "":
		p.seen[e.ID]++
		if p.seen[e.ID] == 1 {
			p.got[e.Body] = time.Now()
			if e.Seq <= p.lastSeq {
				p.disorder++
			}
		}
		if e.Seq > p.lastSeq {
			p.lastSeq = e.Seq
		}
		if e.ClientID != "" {
			p.unqueue(e.ClientID)
		}
	}
}

func (p *pageClient) unqueue(cid string) {
	for i, m := range p.outbox {
		if m.cid == cid {
			p.outbox = append(p.outbox[:i], p.outbox[i+1:]...)
			return
		}
	}
}

// connected waits until the client has an open connection.
func (p *pageClient) connected(within time.Duration) error {
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		p.mu.Lock()
		ok := p.conn != nil && len(p.seen) > 0
		p.mu.Unlock()
		if ok {
			return nil
		}
	}
	return fmt.Errorf("not connected within %v", within)
}
