package http_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// batchingStore records how many messages each AddChatMessages call of
// the server brings.
type batchingStore struct {
	okhttp.Store
	mu    sync.Mutex
	sizes []int
}

func (s *batchingStore) AddChatMessages(ctx context.Context, ms []*okcare.TicketMessage) ([]error, error) {
	s.mu.Lock()
	s.sizes = append(s.sizes, len(ms))
	s.mu.Unlock()
	return s.Store.AddChatMessages(ctx, ms)
}

// TestChatSocketPipelines: while a message's commit waits (here on the
// ticket's lock), the socket still answers the page's heartbeat and reads
// what the page sends next; those messages are stored together, in one
// call and one transaction, once the first is committed, and every
// message is acknowledged after its commit, in the order sent. On both
// stores.
func TestChatSocketPipelines(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ts := newTestServerOn(t, store)
			staffChat(t, ts, "agent@okcare.example")
			bs := &batchingStore{Store: ts.srv.Store}
			ts.srv.Store = bs
			customer, path := openChat(t, ts, "zh-CN", "pipe@example.com", "在吗")
			id := strings.TrimPrefix(path, "/support/chat/")
			socket := dialChat(t, ts, customer, path+"/ws?lang=zh-CN")
			socket.until("the opening message", func(e chatEvent) bool { return e.Body == "在吗" })

			release := holdTicket(t, ts, id)
			t.Cleanup(release) // should the test fail before releasing
			socket.send(`{"client_id":"c-pipe-0","body":"第 0 条"}`)
			time.Sleep(300 * time.Millisecond) // on its way to the store, waiting on the lock
			socket.send(`{"ping":true}`)
			socket.until("the pong while a commit waits", func(e chatEvent) bool {
				if e.Kind == "ack" {
					t.Fatalf("an ack before the commit: %+v", e)
				}
				return e.Kind == "pong"
			})
			const n = 6
			for i := 1; i < n; i++ {
				socket.send(fmt.Sprintf(`{"client_id":"c-pipe-%d","body":"第 %d 条"}`, i, i))
			}
			time.Sleep(300 * time.Millisecond) // read and queued behind the first
			release()

			var acks []chatEvent
			for i := range n {
				ack := socket.until(fmt.Sprintf("ack %d", i), func(e chatEvent) bool { return e.Kind == "ack" || e.Error != "" })
				if ack.Kind != "ack" || ack.ClientID != fmt.Sprintf("c-pipe-%d", i) || (i > 0 && ack.Seq != acks[i-1].Seq+1) {
					t.Fatalf("frame %d after the release: %+v (acks so far %+v)", i, ack, acks)
				}
				acks = append(acks, ack)
			}
			bs.mu.Lock()
			sizes := fmt.Sprint(bs.sizes)
			bs.mu.Unlock()
			if sizes != fmt.Sprint([]int{1, n - 1}) {
				t.Fatalf("messages per store call: %s, want [1 %d]", sizes, n-1)
			}
			// One transaction: the messages stored together share its time.
			msgs, err := ts.db.TicketMessages(context.Background(), id, false)
			if err != nil {
				t.Fatal(err)
			}
			last := msgs[len(msgs)-n+1:]
			for i, m := range last {
				if m.ClientID != acks[i+1].ClientID || m.ID != acks[i+1].ID || !m.CreatedAt.Equal(last[0].CreatedAt) {
					t.Fatalf("stored %d: %+v, want %s at %v", i+1, m, acks[i+1].ClientID, last[0].CreatedAt)
				}
			}
		})
	}
}
