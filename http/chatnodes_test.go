package http_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare/faultproxy"
	okhttp "github.com/okcare/okcare/http"
	oknats "github.com/okcare/okcare/nats"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/storetest"
	"github.com/okcare/okcare/token"
)

// The two-node chat tests: two okcare servers on one PostgreSQL database,
// relaying through a real NATS, a customer on one and an agent on the
// other, each a pageClient (the page's protocol and timings). Each node is
// reached through a fault proxy (its front) and reaches NATS through
// another (its link), so a test can freeze a node's connections, kill a
// node, or take NATS away. Every trial counts what the other side got:
// nothing may be lost or doubled, and everything must arrive within 2 s
// of the recovery. The figures are in docs/benchmarks.md.

// testNATS is the NATS server the relay tests use (host:port).
func testNATS(t *testing.T) string {
	t.Helper()
	addr := "127.0.0.1:4222"
	if u := os.Getenv("OKCARE_TEST_NATS"); u != "" {
		addr = strings.TrimPrefix(u, "nats://")
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no NATS at %s: %v", addr, err)
		}
		t.Skipf("no NATS at %s: %v", addr, err)
	}
	c.Close()
	return addr
}

// chatNode is one okcare server of a cluster.
type chatNode struct {
	srv   *okhttp.Server
	db    *sqldb.DB
	http  *httptest.Server
	front *faultproxy.Proxy // where clients reach the node
	link  *faultproxy.Proxy // where the node reaches NATS
	relay *oknats.Relay
	logs  *bytes.Buffer
}

// chatCluster is two nodes on one database and one NATS.
type chatCluster struct {
	t       *testing.T
	dsn     string
	nats    string
	subject string
	ts      *testServer // node a's, with the demo data and staff
	agent   *consoleClient
	a, b    *chatNode
}

func newChatCluster(t *testing.T) *chatCluster {
	t.Helper()
	c := &chatCluster{t: t, nats: testNATS(t), dsn: storetest.PostgresSchemaDSN(t), subject: "okcare-test." + token.New("")}
	db, err := postgres.Open(context.Background(), c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	c.ts = serveStore(t, db)
	staffChat(t, c.ts, "agent@okcare.example")
	c.agent = newConsoleClient(t, c.ts)
	c.agent.signIn("agent@okcare.example", "staff-pass-123")
	c.a = c.node(c.ts.srv, db, c.ts.Server)
	c.b = c.startNode()
	return c
}

// startNode starts another server on the cluster's database.
func (c *chatCluster) startNode() *chatNode {
	c.t.Helper()
	db, err := postgres.Open(context.Background(), c.dsn)
	if err != nil {
		c.t.Fatal(err)
	}
	db.Secrets = c.ts.db.Secrets
	srv := okhttp.NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(srv)
	c.t.Cleanup(func() { hs.Close(); db.Close() })
	return c.node(srv, db, hs)
}

// node puts a server behind its proxies and on NATS.
func (c *chatCluster) node(srv *okhttp.Server, db *sqldb.DB, hs *httptest.Server) *chatNode {
	c.t.Helper()
	n := &chatNode{srv: srv, db: db, http: hs, logs: &bytes.Buffer{}}
	at := c.ts.srv.Now
	srv.Now = at // in the chat team's hours
	srv.ChatLimiter = okhttp.NewRateLimiter(1_000_000, time.Minute)
	var err error
	if n.front, err = faultproxy.Start(hs.Listener.Addr().String()); err != nil {
		c.t.Fatal(err)
	}
	if n.link, err = faultproxy.Start(c.nats); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { n.front.Close(); n.link.Close() })
	if n.relay, err = oknats.Connect("nats://"+n.link.Addr(), c.subject, srv.Chat, slog.New(slog.NewTextHandler(&syncWriter{w: n.logs}, nil))); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { n.relay.Close() })
	for end := time.Now().Add(3 * time.Second); !n.relay.Connected() && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	return n
}

// kill takes a node away at once: its connections cut, its port closed,
// its relay gone.
func (n *chatNode) kill() {
	n.front.Stop()
	n.link.Stop()
	n.relay.Close()
	n.http.CloseClientConnections()
}

// syncWriter serialises writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// chatTrial is what one trial measured.
type chatTrial struct {
	sent, lost, doubled, stored int
	disorder                    int
	timeDisorder                int           // stored messages whose seq and time disagree
	maxAfterRecovery            time.Duration // the worst delay past max(sent, recovered)
	p50Normal                   time.Duration // delivery delay of messages sent outside the fault
	reconnects                  int
}

func (r chatTrial) String() string {
	return fmt.Sprintf("sent %d, lost %d, doubled %d (stored twice %d), out of order %d (seq/time %d), worst delivery after recovery %v, p50 outside the fault %v, reconnects %d",
		r.sent, r.lost, r.doubled, r.stored, r.disorder, r.timeDisorder, r.maxAfterRecovery.Round(10*time.Millisecond), r.p50Normal.Round(time.Millisecond), r.reconnects)
}

// envDuration is the duration in the environment variable name, else def.
func envDuration(t *testing.T, name string, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a duration such as 30s", name, v)
	}
	return d
}

// envCount is the count in the environment variable name, else def.
func envCount(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive count", name, v)
	}
	return n
}

// trial opens a chat (customer on a, agent on b), has both sides send a
// message every OKCARE_CHAT_INTERVAL (250 ms: a busy chat, both sides
// typing fast) for a second, through the fault (fault returns when the
// system has recovered, and when), and 1.5 s after; then waits up to 5 s
// for every message to be acknowledged and to arrive.
func (c *chatCluster) trial(name string, fault func() (began, recovered time.Time)) chatTrial {
	t := c.t
	t.Helper()
	customerHTTP, path := openChat(t, c.ts, "zh-CN", "nodes@example.com", "开始 "+name)
	id := strings.TrimPrefix(path, "/support/chat/")
	customer := newPageClient(t, customerHTTP.http, path+"/ws?lang=zh-CN", c.a.front.Addr(), c.b.front.Addr())
	agent := newPageClient(t, c.agent.http, "/console/tickets/"+id+"/ws?lang=zh-CN", c.b.front.Addr(), c.a.front.Addr())
	for _, p := range []*pageClient{customer, agent} {
		if err := p.connected(5 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
	every := envDuration(t, "OKCARE_CHAT_INTERVAL", 250*time.Millisecond)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for side, p := range map[string]*pageClient{"c": customer, "a": agent} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(every)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-tick.C:
					p.send(fmt.Sprintf("%s %s %d", name, side, i))
				}
			}
		}()
	}
	time.Sleep(time.Second)
	began, recovered := fault()
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()

	// Everything acknowledged, everything arrived on the other side.
	arrived := func() bool {
		for _, pair := range [][2]*pageClient{{customer, agent}, {agent, customer}} {
			from, to := pair[0], pair[1]
			from.mu.Lock()
			to.mu.Lock()
			ok := len(from.outbox) == 0
			for body := range from.sent {
				if _, in := to.got[body]; !in {
					ok = false
				}
			}
			to.mu.Unlock()
			from.mu.Unlock()
			if !ok {
				return false
			}
		}
		return true
	}
	for end := time.Now().Add(5 * time.Second); !arrived() && time.Now().Before(end); {
		time.Sleep(50 * time.Millisecond)
	}
	customer.close()
	agent.close()

	var r chatTrial
	var normal []time.Duration
	for _, pair := range [][2]*pageClient{{customer, agent}, {agent, customer}} {
		from, to := pair[0], pair[1]
		for body, at := range from.sent {
			r.sent++
			got, in := to.got[body]
			if !in {
				r.lost++
				continue
			}
			if at.Before(began) || at.After(recovered) {
				normal = append(normal, got.Sub(at))
			}
			if d := got.Sub(maxTime(at, recovered)); d > r.maxAfterRecovery {
				r.maxAfterRecovery = d
			}
		}
		for _, n := range to.seen {
			if n > 1 {
				r.doubled++
			}
		}
		r.disorder += to.disorder
		r.reconnects += to.connects - 1
	}
	sort.Slice(normal, func(i, j int) bool { return normal[i] < normal[j] })
	if len(normal) > 0 {
		r.p50Normal = normal[len(normal)/2]
	}
	msgs, err := c.ts.db.TicketMessages(context.Background(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]int{}
	for i, m := range msgs {
		if bodies[m.Body]++; bodies[m.Body] == 2 {
			r.stored++
		}
		if i > 0 && (m.Seq != msgs[i-1].Seq+1 || m.CreatedAt.Before(msgs[i-1].CreatedAt)) {
			r.timeDisorder++ // seq and time disagree, or seq has a gap
		}
	}
	t.Logf("%s: %s", name, r)
	if r.lost != 0 || r.doubled != 0 || r.stored != 0 || r.disorder != 0 || r.timeDisorder != 0 || r.maxAfterRecovery > 2*time.Second {
		t.Errorf("%s: the guarantee failed: %s", name, r)
	}
	return r
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// TestChatTwoNodesNodeFreeze: the customer's node stops passing bytes for
// 3 s (its clients' connections and its NATS connection held, as when the
// process is stopped), three times.
func TestChatTwoNodesNodeFreeze(t *testing.T) {
	c := newChatCluster(t)
	for i := range 3 {
		c.trial(fmt.Sprintf("freeze %d", i+1), func() (time.Time, time.Time) {
			began := time.Now()
			c.a.front.Freeze()
			c.a.link.Freeze()
			time.Sleep(3 * time.Second)
			c.a.front.Thaw()
			c.a.link.Thaw()
			return began, time.Now()
		})
	}
}

// TestChatTwoNodesNATSOutage: NATS goes away for 3 s (both nodes' links
// closed and refused), three times; then a trial with NATS away
// throughout.
func TestChatTwoNodesNATSOutage(t *testing.T) {
	c := newChatCluster(t)
	for i := range 3 {
		c.trial(fmt.Sprintf("nats outage %d", i+1), func() (time.Time, time.Time) {
			began := time.Now()
			c.a.link.Stop()
			c.b.link.Stop()
			time.Sleep(3 * time.Second)
			if err := c.a.link.Restart(); err != nil {
				t.Fatal(err)
			}
			if err := c.b.link.Restart(); err != nil {
				t.Fatal(err)
			}
			return began, time.Now()
		})
	}
	c.a.link.Stop()
	c.b.link.Stop()
	for !(c.a.srv.Chat.RelayState() == "disconnected" && c.b.srv.Chat.RelayState() == "disconnected") {
		time.Sleep(20 * time.Millisecond)
	}
	c.trial("no nats", func() (time.Time, time.Time) { now := time.Now(); return now, now })
}

// TestChatTwoNodesNodeKill: the customer's node is killed (connections
// cut, port closed, relay gone), three times, a fresh node taking its
// place for the next trial; the customer's page moves to the other node.
// Then a graceful stop: the node drains (its sockets told to reconnect)
// for half a second before it goes.
func TestChatTwoNodesNodeKill(t *testing.T) {
	c := newChatCluster(t)
	for i := range 3 {
		if i > 0 {
			c.a = c.startNode()
		}
		c.trial(fmt.Sprintf("kill %d", i+1), func() (time.Time, time.Time) {
			now := time.Now()
			c.a.kill()
			return now, now
		})
	}
	c.a = c.startNode()
	c.trial("drain and stop", func() (time.Time, time.Time) {
		now := time.Now()
		c.a.srv.StartDraining()
		time.Sleep(500 * time.Millisecond)
		c.a.kill()
		return now, now
	})
}

// TestChatTwoNodesLongFreeze: the customer's node freezes for 8 s, longer
// than the page waits on a silent connection (6 s): the page gives the
// frozen node up and moves to the other one, where everything sent meanwhile
// is delivered within 2 s of that, while the first node is still frozen.
// OKCARE_CHAT_FREEZE sets a longer freeze (the 30 s) and
// OKCARE_CHAT_TRIALS how many trials (1).
func TestChatTwoNodesLongFreeze(t *testing.T) {
	freeze := envDuration(t, "OKCARE_CHAT_FREEZE", 8*time.Second)
	c := newChatCluster(t)
	for i := range envCount(t, "OKCARE_CHAT_TRIALS", 1) {
		c.trial(fmt.Sprintf("freeze %v, trial %d", freeze, i+1), func() (time.Time, time.Time) {
			began := time.Now()
			c.a.front.Freeze()
			c.a.link.Freeze()
			time.Sleep(freeze)
			c.a.front.Thaw()
			c.a.link.Thaw()
			return began, began.Add(pageDeadAfter)
		})
	}
}
