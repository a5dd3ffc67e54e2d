package http_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// queueCountingStore counts the reads of the chat queue.
type queueCountingStore struct {
	okhttp.Store
	reads atomic.Int64
}

func (s *queueCountingStore) ChatQueue(ctx context.Context, id string) (okcare.ChatQueue, error) {
	s.reads.Add(1)
	return s.Store.ChatQueue(ctx, id)
}

func (s *queueCountingStore) ChatWaitingQueue(ctx context.Context) (okcare.ChatWaitingQueue, error) {
	s.reads.Add(1)
	return s.Store.ChatWaitingQueue(ctx)
}

// TestWaitingCustomersShareQueueReads: with many customers waiting, the
// node reads the queue about once a refresh, not once a customer, and
// each still learns their own place: moving up when chats ahead are
// answered or end, joined or ended when their own is, though no hub news
// told any socket so.
func TestWaitingCustomersShareQueueReads(t *testing.T) {
	const n = 60
	const every = 500 * time.Millisecond
	ts := newTestServer(t)
	ts.srv.ChatRefresh = every
	agentID := staffChat(t, ts, "agent@okcare.example")
	ctx := context.Background()
	var tickets []*okcare.Ticket
	var tokens []string
	for i := 0; i < n; i++ {
		tk, tok, err := ts.db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "wait@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "钱包打不开"}})
		if err != nil {
			t.Fatal(err)
		}
		tickets, tokens = append(tickets, tk), append(tokens, tok)
	}
	counted := &queueCountingStore{Store: ts.srv.Store}
	ts.srv.Store = counted

	sockets := make([]*chatSocket, n)
	first := make([]int, n)
	for i := range sockets {
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, _, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/support/chat/"+tickets[i].ID+"/ws?lang=zh-CN",
			&websocket.DialOptions{HTTPHeader: http.Header{"Cookie": {"okchat=" + tokens[i]}}})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.CloseNow() })
		s := &chatSocket{t: t, conn: conn, frames: make(chan []byte, 1024), closed: make(chan struct{})}
		go func() {
			defer close(s.closed)
			for {
				_, raw, err := conn.Read(ctx)
				if err != nil {
					s.err = err
					return
				}
				s.frames <- raw
			}
		}()
		sockets[i] = s
		first[i] = s.until("place", func(e chatEvent) bool { return e.Kind == "queue" }).Position
		if i > 0 && first[i] != first[i-1]+1 {
			t.Fatalf("chat %d is %d in the queue, after %d", i, first[i], first[i-1])
		}
	}
	// Each socket's first line needed a read begun after it opened (one
	// each here, opened one by one); from here only refreshes read. Straight in the store, so that only they
	// can tell: the first chat answered, the second ended.
	counted.reads.Store(0)
	t0 := time.Now()
	if _, err := ts.db.ReplyAsAgent(ctx, tickets[0].ID, agentID, "您好", true); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.SetTicketStatus(ctx, tickets[1].ID, "agent:"+agentID, okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	if e := sockets[0].until("joined", func(e chatEvent) bool { return e.Kind != "queue" }); e.Kind != "join" || e.Text != "客服已加入对话。" {
		t.Fatalf("answered chat: %+v", e)
	}
	if e := sockets[1].until("ended", func(e chatEvent) bool { return e.Kind != "queue" }); e.Kind != "end" || !strings.HasPrefix(e.Text, "对话已结束。") {
		t.Fatalf("ended chat: %+v", e)
	}
	for i := 2; i < n; i++ {
		want := first[i] - 2
		e := sockets[i].until("moving up", func(e chatEvent) bool { return e.Kind != "queue" || e.Position == want })
		if e.Kind != "queue" || (want == 1) != strings.Contains(e.Text, "下一位") {
			t.Fatalf("chat %d after two ahead went: %+v", i, e)
		}
	}
	// A new read begins only once the last is a refresh old, so meanwhile
	// there were at most elapsed/every of them, and one in flight; one
	// read each would be at least n.
	elapsed := time.Since(t0)
	if reads, most := counted.reads.Load(), int64(elapsed/every)+2; reads > most {
		t.Fatalf("%d customers read the queue %d times in %s (%d refreshes): more than %d", n, reads, elapsed.Round(time.Millisecond), elapsed/every, most)
	}
	t.Logf("%d customers, %s: %d reads of the queue", n, elapsed.Round(time.Millisecond), counted.reads.Load())
}
