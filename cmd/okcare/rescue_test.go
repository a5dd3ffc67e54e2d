package main

import (
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// receiver records each delivery's id (Message-ID or Idempotency-Key) and
// when it arrived; the first delivery hangs until the test ends, like a
// relay or gateway that took the message and then lost its answer.
type receiver struct {
	mu   sync.Mutex
	ids  []string
	at   []time.Time
	hang chan struct{}
}

func (r *receiver) got(id string) (first bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids, r.at = append(r.ids, id), append(r.at, time.Now())
	return len(r.ids) == 1
}

func (r *receiver) deliveries() ([]string, []time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...), append([]time.Time(nil), r.at...)
}

// unique is how many different messages a receiver deduplicating on the
// id has seen.
func (r *receiver) unique() int {
	ids, _ := r.deliveries()
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	return len(seen)
}

func (r *receiver) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return &receiverSession{r: r}, nil
}

type receiverSession struct{ r *receiver }

func (s *receiverSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *receiverSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (s *receiverSession) Reset()                                 {}
func (s *receiverSession) Logout() error                          { return nil }
func (s *receiverSession) Data(body io.Reader) error {
	data, _ := io.ReadAll(body)
	id := ""
	for _, line := range strings.Split(string(data), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Message-Id: "); ok {
			id = v
		}
	}
	if s.r.got(id) {
		<-s.r.hang
	}
	return nil
}

// TestKilledMidSendIsRescued kills -9 a node while it is delivering a
// new-device alert by mail and SMS, both receivers holding the message
// without answering. The restarted node rescues the stuck jobs after
// --job-rescue-after (River's default was an hour) and delivers again;
// the relay sees the same Message-ID and the gateway the same
// Idempotency-Key, so a receiver that deduplicates delivers each once.
func TestKilledMidSendIsRescued(t *testing.T) {
	mail := &receiver{hang: make(chan struct{})}
	srv := gosmtp.NewServer(mail)
	srv.Domain, srv.AllowInsecureAuth = "relay.test", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	sms := &receiver{hang: make(chan struct{})}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sms.got(r.Header.Get("Idempotency-Key")) {
			select {
			case <-sms.hang:
			case <-r.Context().Done():
			}
		}
	}))
	defer func() { close(mail.hang); close(sms.hang); srv.Close(); gw.Close() }()

	const rescueAfter = 5 * time.Second
	dir := dataDir(t)
	args := []string{"serve", "--listen", "127.0.0.1:0", "--data-dir", dir, "--smtp-relay", ln.Addr().String(), "--smtp-plaintext",
		"--sms-webhook", gw.URL, "--send-timeout", "3s", "--job-timeout", "4s", "--job-rescue-after", rescueAfter.String()}
	first := startProcess(t, nil, args...)
	base := "http://" + first.addr(60*time.Second)
	post(t, base+"/api/v1/users", `{"email":"mei@example.com","phone":"+8613700000000","password":"blue-kettle-42"}`, 201)
	post(t, base+"/api/v1/sessions", `{"login":"mei@example.com","password":"blue-kettle-42","device":{"id":"p1","platform":"android","os_version":"14","app_version":"5.3.0"}}`, 201)
	waitFor(t, 20*time.Second, "both first deliveries", func() bool {
		m, _ := mail.deliveries()
		s, _ := sms.deliveries()
		return len(m) == 1 && len(s) == 1
	})
	first.signal(syscall.SIGKILL)
	first.wait(10 * time.Second)
	killed := time.Now()

	second := startProcess(t, nil, args...)
	second.addr(60 * time.Second)
	bound := rescueAfter + 30*time.Second + 15*time.Second // + River's rescue pass interval and leader election
	waitFor(t, bound, "the rescued deliveries", func() bool {
		m, _ := mail.deliveries()
		s, _ := sms.deliveries()
		return len(m) >= 2 && len(s) >= 2
	})
	for name, r := range map[string]*receiver{"mail": mail, "sms": sms} {
		ids, at := r.deliveries()
		t.Logf("%s delivered again %s after the kill (id %s)", name, at[1].Sub(killed).Round(100*time.Millisecond), ids[1])
		if ids[0] == "" || r.unique() != 1 {
			t.Errorf("%s: ids %q, want one id repeated", name, ids)
		}
	}
	// The restarted node recorded both as sent.
	db, err := sql.Open("sqlite", "file:"+dir+"/okcare.db?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitFor(t, 10*time.Second, "the deliveries recorded", func() bool {
		var sent int
		db.QueryRow(`SELECT COUNT(*) FROM notifications WHERE event = 'new_device_login' AND status = 'sent'`).Scan(&sent)
		return sent == 2
	})
}

// post posts a JSON body and fails unless the answer has the status.
func post(t *testing.T, url, body string, status int) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != status {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s: %d %s, want %d", url, resp.StatusCode, b, status)
	}
}

// waitFor polls cond until it holds, failing after within.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
