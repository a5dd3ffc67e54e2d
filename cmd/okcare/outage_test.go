package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/storetest"
)

// cutProxy forwards TCP connections on loopback to a server (PostgreSQL)
// until it is cut. Cut, it behaves like a network partition: open
// connections stay open and go silent (what the client sends is read and
// dropped, nothing comes back), and new connections are accepted and held
// the same way. Healed, it drops the silent connections (as the kernel
// would once they time out) and forwards again.
type cutProxy struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	cut      bool
	conns    map[net.Conn]bool // client sides
}

func newCutProxy(t *testing.T, upstream string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, upstream: upstream, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.closeAll() })
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[c] = true
		cut := p.cut
		p.mu.Unlock()
		if cut {
			go io.Copy(io.Discard, c)
			continue
		}
		go p.forward(c)
	}
}

func (p *cutProxy) forward(c net.Conn) {
	up, err := net.Dial("tcp", p.upstream)
	if err != nil {
		c.Close()
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 && !p.isCut() {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	if !p.isCut() {
		c.Close()
	}
}

func (p *cutProxy) isCut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// partition cuts the link.
func (p *cutProxy) partition() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
}

// heal drops the connections the partition silenced and forwards again.
func (p *cutProxy) heal() {
	p.closeAll()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
}

func (p *cutProxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// answer is one HTTP answer as the outage test sees it.
type answer struct {
	status     int
	code       string
	retryAfter string
	took       time.Duration
	err        error
}

func ask(method, url, body string) answer {
	start := time.Now()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	a := answer{took: time.Since(start), err: err}
	if err != nil {
		return a
	}
	defer resp.Body.Close()
	var env struct{ Error struct{ Code string } }
	json.NewDecoder(resp.Body).Decode(&env)
	a.status, a.code, a.retryAfter = resp.StatusCode, env.Error.Code, resp.Header.Get("Retry-After")
	return a
}

// TestPostgresCutAnswers503: with the link to PostgreSQL cut (a proxy on
// loopback that goes silent), reads and writes are answered 503
// unavailable with Retry-After within the request deadline, /readyz
// fails within its own, and everything recovers once the link heals.
// Before, requests hung as long as the cut lasted and were then answered
// 500 internal, or closed unanswered by the write timeout.
func TestPostgresCutAnswers503(t *testing.T) {
	dsn, err := url.Parse(storetest.PostgresSchemaDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, dsn.Host)
	dsn.Host = proxy.ln.Addr().String()
	t.Setenv("OKCARE_SECRET_KEY", secretbox.NewKey())
	const deadline = 2 * time.Second
	m, _, _ := startMain(t, "--db", dsn.String(), "--data-dir", dataDir(t), "--request-timeout", deadline.String(), "--shutdown-timeout", "5s")
	defer m.Close()
	base := "http://" + m.Listener.Addr().String()
	requests := []struct{ method, path, body string }{
		{"GET", "/api/v1/kb/articles/account-frozen?lang=en", ""},
		{"POST", "/api/v1/users", `{"email":"cut-%d@example.com","password":"blue-kettle-42"}`},
		{"GET", "/help/account-frozen?lang=en", ""},
	}
	run := func(round int) []answer {
		out := make([]answer, len(requests))
		var wg sync.WaitGroup
		for i, r := range requests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := r.body
				if strings.Contains(body, "%d") {
					body = strings.Replace(body, "%d", time.Now().Format("150405.000000000"), 1)
				}
				out[i] = ask(r.method, base+r.path, body)
			}()
		}
		wg.Wait()
		return out
	}
	for i, a := range run(0) {
		if a.err != nil || a.status/100 != 2 {
			t.Fatalf("before the cut, %s %s: %+v", requests[i].method, requests[i].path, a)
		}
	}

	proxy.partition()
	for round := 1; round <= 2; round++ {
		for i, a := range run(round) {
			r := requests[i]
			if a.err != nil || a.status != 503 || a.retryAfter == "" || (r.method == "POST" || strings.HasPrefix(r.path, "/api/")) && a.code != "unavailable" {
				t.Errorf("cut, round %d, %s %s: %+v; want 503 unavailable with Retry-After", round, r.method, r.path, a)
			}
			if a.took > deadline+time.Second {
				t.Errorf("cut, round %d, %s %s: answered after %s, the deadline is %s", round, r.method, r.path, a.took, deadline)
			}
		}
	}
	if a := ask("GET", base+"/readyz", ""); a.status != 503 || a.took > 3*time.Second {
		t.Errorf("readyz during the cut: %+v", a)
	}

	proxy.heal()
	healed := time.Now()
	waitFor(t, 20*time.Second, "recovery", func() bool {
		for _, a := range run(9) {
			if a.err != nil || a.status/100 != 2 {
				return false
			}
		}
		return ask("GET", base+"/readyz", "").status == 200
	})
	t.Logf("serving again %s after the link healed", time.Since(healed).Round(10*time.Millisecond))
}
