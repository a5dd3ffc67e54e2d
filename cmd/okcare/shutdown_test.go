package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sent is one request of the load and what became of it.
type sent struct {
	at     time.Time // when the client began sending it
	status int
	err    error
}

// TestSigtermUnderLoad sends SIGTERM to the real binary while clients
// keep requests coming over keep-alive connections and one slow upload
// is in flight. Every request sent before the signal is answered, and so
// is every request sent during the drain delay; /readyz answers 503
// "draining" from the signal until the listener closes; the slow upload
// completes; the process exits 0. These clients ignore /readyz and keep
// connecting: the few whose connection the kernel completed just as the
// listener closed (still in its accept queue, never seen by okcare) are
// reset, at the close, which no server can prevent; a load balancer
// heeding /readyz has stopped sending by then.
func TestSigtermUnderLoad(t *testing.T) {
	const drain = 1500 * time.Millisecond
	p := startProcess(t, nil, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir(t), "--shutdown-drain-delay", drain.String())
	base := "http://" + p.addr(60*time.Second)

	var mu sync.Mutex
	var log []sent
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// POSTs: Go's client silently retries idempotent requests
				// on a reused connection, which would hide a dropped one.
				var req *http.Request
				if i%2 == 0 {
					req, _ = http.NewRequest("POST", base+"/api/v1/diagnose", strings.NewReader(`{"lang":"en","symptom":"crash","description":"it crashes on launch","app":{"platform":"android","version":"5.1.2"}}`))
					req.Header.Set("Content-Type", "application/json")
				} else {
					req, _ = http.NewRequest("GET", base+"/api/v1/kb/search?lang=en&q=crash", nil)
				}
				s := sent{at: time.Now()}
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					s.status = resp.StatusCode
				}
				s.err = err
				mu.Lock()
				log = append(log, s)
				mu.Unlock()
				if err != nil {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}()
	}
	// /readyz as a load balancer polls it.
	var readyMu sync.Mutex
	var readySeen []string
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(base + "/readyz")
			state := "refused"
			if err == nil {
				var body struct{ Status string }
				json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				state = fmt.Sprintf("%d %s", resp.StatusCode, body.Status)
			}
			readyMu.Lock()
			if len(readySeen) == 0 || readySeen[len(readySeen)-1] != state {
				readySeen = append(readySeen, state)
			}
			readyMu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	// A slow upload: its body is still arriving when the signal comes,
	// and after the listener has closed.
	slow := make(chan sent, 1)
	body := `{"email":"slow@example.com","password":"blue-kettle-42"}`
	pr, pw := io.Pipe()
	go func() {
		req, _ := http.NewRequest("POST", base+"/api/v1/users", pr)
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = int64(len(body))
		s := sent{at: time.Now()}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			s.status = resp.StatusCode
		}
		s.err = err
		slow <- s
	}()
	pw.Write([]byte(body[:10]))

	time.Sleep(time.Second)
	signalled := time.Now()
	p.signal(syscall.SIGTERM)
	time.Sleep(drain + 500*time.Millisecond) // past the listener's close
	pw.Write([]byte(body[10:]))
	pw.Close()
	code := p.wait(30 * time.Second)
	exited := time.Now()
	close(stop)
	wg.Wait()

	if code != 0 {
		t.Fatalf("exit status %d:\n%s", code, p.stderr.String())
	}
	if s := <-slow; s.err != nil || s.status != 201 {
		t.Fatalf("the upload in flight at the signal: %d %v", s.status, s.err)
	}
	var before, after, refused, reset int
	// The listener closes at about signalled+drain. A request the client
	// started just before that may reach the server after it, on a loaded
	// machine by a few hundred milliseconds: the margin keeps the check to
	// requests that certainly arrived during the drain delay.
	closing := signalled.Add(drain - 250*time.Millisecond)
	for _, s := range log {
		switch {
		case s.err == nil:
			if s.at.Before(signalled) {
				before++
			} else {
				after++
			}
		case s.at.Before(signalled):
			t.Errorf("a request sent %s before the signal went unanswered: %v", signalled.Sub(s.at), s.err)
		case s.at.Before(closing):
			t.Errorf("a request sent %s after the signal, during the drain delay, went unanswered: %v", s.at.Sub(signalled), s.err)
		case errors.Is(s.err, syscall.ECONNREFUSED):
			refused++
		default:
			reset++
		}
	}
	t.Logf("answered %d requests sent before the signal and %d during the drain; at the listener's close %d were reset from the accept queue, then %d refused at connect; exit %s after the signal",
		before, after, reset, refused, exited.Sub(signalled).Round(10*time.Millisecond))
	readyMu.Lock()
	defer readyMu.Unlock()
	t.Logf("/readyz went: %s", strings.Join(readySeen, " -> "))
	if len(readySeen) < 3 || readySeen[0] != "200 ready" || readySeen[1] != "503 draining" || readySeen[2] != "refused" {
		t.Fatalf("/readyz went %v; want 200 ready, then 503 draining, then refused", readySeen)
	}
	if after == 0 {
		t.Fatal("no request was served during the drain delay")
	}
}
