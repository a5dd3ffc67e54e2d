package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/okcare/okcare/storetest"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/smtp"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// dataDir is a data directory for one test. Its removal tolerates a file
// that appears while it is being removed (seen once, after Close returned;
// the writer is not yet identified), which t.TempDir reports as a failure.
func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "okcare-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			var late []string
			filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { late = append(late, p); return nil })
			t.Logf("late file in the data directory: %v", late)
			time.Sleep(200 * time.Millisecond)
			os.RemoveAll(dir)
		}
	})
	return dir
}

// startMain runs okcare serve as the binary would, on a free port.
func startMain(t *testing.T, args ...string) (*Main, *syncBuffer, *syncBuffer) {
	t.Helper()
	m := NewMain()
	out, logs := &syncBuffer{}, &syncBuffer{}
	m.Out, m.Logs = out, logs
	if err := m.ParseFlags(append([]string{"--listen", "127.0.0.1:0"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m, out, logs
}

func TestServeDemoEndToEnd(t *testing.T) {
	dir := dataDir(t)
	m, out, logs := startMain(t, "--demo", "--data-dir", dir, "--log-format", "json")
	base := "http://" + m.Listener.Addr().String()
	if !strings.Contains(out.String(), "admin agent: admin@okcare.example  password: demo-") {
		t.Fatalf("demo credentials not printed:\n%s", out.String())
	}
	resp, err := http.Get(base + "/app/v1/bootstrap?platform=android&app_version=4.9.0&os_version=14")
	if err != nil {
		t.Fatal(err)
	}
	var boot map[string]any
	json.NewDecoder(resp.Body).Decode(&boot)
	resp.Body.Close()
	if boot["can_open"] != false || boot["update"].(map[string]any)["status"] != "required" {
		t.Fatalf("bootstrap: %v", boot)
	}
	// A login from a new device is alerted, and in --demo the River job
	// delivers it into the outbox an admin reads.
	loginBody := `{"login":"alice@demo.okwallet.example","password":"demo-wallet-2026","device":{"id":"e2e","platform":"ios","os_version":"17","app_version":"5.3.0"}}`
	if resp, err := http.Post(base+"/api/v1/sessions", "application/json", strings.NewReader(loginBody)); err != nil || resp.StatusCode != 201 {
		t.Fatalf("login: %v %v", resp, err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var sent int
		m.DB.SQL().QueryRow(`SELECT COUNT(*) FROM notifications WHERE event = 'new_device_login' AND status = 'sent'`).Scan(&sent)
		if sent == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("new-device alerts not delivered (%d of 2 sent)", sent)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The logs are JSON, one object a line.
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("log line is not JSON: %s", line)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "okcare.db")); err != nil {
		t.Fatal("database file not created in --data-dir")
	}

	// A second start on the same data is idempotent and prints a new password.
	m2, out2, _ := startMain(t, "--demo", "--data-dir", dir)
	defer m2.Close()
	if out2.String() == out.String() {
		t.Fatal("the demo admin password did not change on restart")
	}
	var users, tickets, macros int
	m2.DB.SQL().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users)
	m2.DB.SQL().QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&tickets)
	m2.DB.SQL().QueryRow(`SELECT COUNT(*) FROM macros`).Scan(&macros)
	if users != 4 || tickets != 4 || macros != 5 {
		t.Fatalf("demo reload: %d users, %d tickets, %d macros; want 4, 4, 5", users, tickets, macros)
	}
	// The demo staff share the printed password and reach the console.
	if !strings.Contains(out2.String(), "agent@okcare.example") || !strings.Contains(out2.String(), "/console") {
		t.Fatalf("staff or console not printed:\n%s", out2.String())
	}
	pw := regexp.MustCompile(`password: (demo-\S+)`).FindStringSubmatch(out2.String())[1]
	if _, _, err := m2.DB.AgentLogin(context.Background(), "supervisor@okcare.example", pw, "", ""); err != nil {
		t.Fatalf("the demo supervisor cannot sign in with the printed password: %v", err)
	}
}

// TestShutdownFinishesInFlight checks that Close waits for a request that
// is being served.
func TestShutdownFinishesInFlight(t *testing.T) {
	m, _, _ := startMain(t, "--data-dir", dataDir(t))
	base := "http://" + m.Listener.Addr().String()
	// A slow client: send headers and half a body, so the request is in flight.
	body := `{"email":"slow@example.com","password":"blue-kettle-42"}`
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/api/v1/users", pr)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = int64(len(body))
	done := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	pw.Write([]byte(body[:10]))
	time.Sleep(200 * time.Millisecond) // let the server start reading
	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()
	time.Sleep(200 * time.Millisecond)
	select {
	case <-closed:
		t.Fatal("Close returned while a request was in flight")
	default:
	}
	pw.Write([]byte(body[10:]))
	pw.Close()
	if status := <-done; status != 201 {
		t.Fatalf("in-flight request got %d, want 201", status)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := dataDir(t)
	file := filepath.Join(dir, "okcare.toml")
	os.WriteFile(file, []byte("listen = \"127.0.0.1:7000\"\nlog_format = \"json\"\nlogin_max_failures = 9\n"), 0o600)
	t.Setenv("OKCARE_LOG_FORMAT", "text")
	m := NewMain()
	if err := m.ParseFlags([]string{"--config", file, "--listen", "127.0.0.1:7001"}); err != nil {
		t.Fatal(err)
	}
	c := m.Config
	if c.Listen != "127.0.0.1:7001" || c.LogFormat != "text" || c.LoginMax != 9 {
		t.Fatalf("config = %+v; want flag > env > file", c)
	}
	if err := NewMain().ParseFlags([]string{"--no-such-flag"}); err == nil {
		t.Fatal("unknown flag accepted")
	}
	if err := run(context.Background(), []string{"frobnicate"}); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestCreateAgentCommand(t *testing.T) {
	dir := dataDir(t)
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("lead-agent-pass-7\n"), 0o600)
	args := []string{"create-agent", "--data-dir", dir, "--email", "lead@okcare.example", "--password-file", pwFile, "--role", "supervisor"}
	if err := run(context.Background(), append([]string{"admin"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), append([]string{"admin"}, args...)); err == nil {
		t.Fatal("duplicate agent accepted")
	}
	if err := run(context.Background(), []string{"migrate", "--data-dir", dir}); err != nil {
		t.Fatal(err)
	}
	m, _, _ := startMain(t, "--data-dir", dir)
	defer m.Close()
	_, tok, err := m.DB.AgentLogin(context.Background(), "lead@okcare.example", "lead-agent-pass-7", "", "")
	if err != nil || tok == "" {
		t.Fatalf("created agent cannot log in: %v", err)
	}
}

func TestSecretKey(t *testing.T) {
	dir := dataDir(t)
	m, _, _ := startMain(t, "--data-dir", dir)
	m.Close()
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key not created private: %v %v", info, err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "secret.key"))
	m, _, _ = startMain(t, "--data-dir", dir)
	m.Close()
	if again, _ := os.ReadFile(filepath.Join(dir, "secret.key")); string(again) != string(first) {
		t.Fatal("the key changed on restart: sealed TOTP seeds would be lost")
	}
	if _, err := loadSecrets(&Config{}, "postgres"); err == nil {
		t.Fatal("PostgreSQL started without a shared key")
	}
	t.Setenv("OKCARE_SECRET_KEY", "not-a-key")
	if _, err := loadSecrets(&Config{DataDir: dir}, "sqlite"); err == nil {
		t.Fatal("a malformed key was accepted")
	}
}

func TestKBReindexAndIndexSurvivesRestart(t *testing.T) {
	dir := dataDir(t)
	m, _, _ := startMain(t, "--data-dir", dir)
	base := "http://" + m.Listener.Addr().String()
	get := func(base string) int {
		resp, err := http.Get(base + "/api/v1/kb/search?lang=zh-CN&q=%E9%97%AA%E9%80%80") // 闪退
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct{ Results []any }
		json.NewDecoder(resp.Body).Decode(&body)
		return len(body.Results)
	}
	if get(base) == 0 {
		t.Fatal("no results on first start")
	}
	m.Close()
	if err := run(context.Background(), []string{"kb", "reindex", "--data-dir", dir}); err != nil {
		t.Fatal(err)
	}
	m2, _, logs := startMain(t, "--data-dir", dir)
	defer m2.Close()
	if !strings.Contains(logs.String(), "articles_added=0 reindexed=0 indexed=44") {
		t.Fatalf("restart rebuilt or lost the index:\n%s", logs.String())
	}
	if get("http://"+m2.Listener.Addr().String()) == 0 {
		t.Fatal("no results after restart")
	}
	if err := run(context.Background(), []string{"kb", "frobnicate"}); err == nil {
		t.Fatal("unknown kb command accepted")
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	progressBar(&b, 22, 44)
	if b.String() != "\r[###############---------------] 22/44" {
		t.Fatalf("%q", b.String())
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	dir := dataDir(t)
	m, _, _ := startMain(t, "--data-dir", dir)
	u, err := m.DB.Register(context.Background(), okcare.RegisterRequest{Email: "sam@example.com", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB.ChangeState(context.Background(), okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "review", Actor: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	m.DB.SQL().Exec(`DROP TRIGGER audit_immutable_update`)
	m.Close()
	if err := run(context.Background(), []string{"admin", "audit", "verify", "--data-dir", dir}); err != nil {
		t.Fatalf("intact log reported broken: %v", err)
	}
	db, _, err := openStore(context.Background(), &Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec(`UPDATE audit_log SET actor = 'agent:nobody' WHERE seq = 1`)
	db.Close()
	if err := run(context.Background(), []string{"admin", "audit", "verify", "--data-dir", dir}); err == nil || !strings.Contains(err.Error(), "NOT intact") {
		t.Fatalf("tampered log: %v", err)
	}
	// serve anchored the head outside the database as it stopped: a wiped
	// log is caught by the anchor, and named.
	anchors, err := readAnchors(filepath.Join(dir, "audit-anchors.jsonl"))
	if err != nil || len(anchors) == 0 || anchors[len(anchors)-1].Seq < 1 {
		t.Fatalf("anchors %+v, %v", anchors, err)
	}
	db, _, _ = openStore(context.Background(), &Config{DataDir: dir})
	db.SQL().Exec(`DROP TRIGGER audit_immutable_delete`)
	db.SQL().Exec(`DELETE FROM audit_log`)
	db.SQL().Exec(`UPDATE audit_head SET seq = 0, hash = '' WHERE id = 1`)
	db.Close()
	if err := run(context.Background(), []string{"admin", "audit", "verify", "--data-dir", dir}); err == nil || !strings.Contains(err.Error(), "wiped") {
		t.Fatalf("wiped log: %v", err)
	}
}

// TestServeReceivesMail: mail to --smtp-listen opens a ticket, with the
// sender's authentication as an internal note, and a reply carrying the
// ticket's token (made with the key serve derives for the sender) joins it.
func TestServeReceivesMail(t *testing.T) {
	m := NewMain()
	m.Out, m.Logs = &syncBuffer{}, &syncBuffer{}
	if err := m.ParseFlags([]string{"--listen", "127.0.0.1:0", "--data-dir", dataDir(t), "--smtp-listen", "127.0.0.1:0", "--public-url", "https://help.okwallet.test/"}); err != nil {
		t.Fatal(err)
	}
	m.MailDNS = func(name string) ([]string, error) {
		return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	deliver := func(rcpt, raw string) {
		t.Helper()
		c, err := gosmtp.Dial(m.MailListener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.SendMail("ming@example.com", []string{rcpt}, strings.NewReader(raw)); err != nil {
			t.Fatal(err)
		}
	}
	deliver("support@okwallet.example", "From: ming@example.com\r\nTo: support@okwallet.example\r\nSubject: app crashes\r\nMessage-ID: <e2e@example.com>\r\n\r\nIt crashes on launch.\r\n")
	var id string
	var number int64
	m.DB.SQL().QueryRow(`SELECT id, number FROM tickets WHERE channel = 'email' AND contact_email = 'ming@example.com'`).Scan(&id, &number)
	if id == "" {
		t.Fatal("no email ticket")
	}
	tok := smtp.ReplyToken(m.DB.Secrets.Derive("okcare mail reply token v1"), id)
	deliver("support+"+tok+"@okwallet.example", fmt.Sprintf("From: ming@example.com\r\nTo: support+%s@okwallet.example\r\nSubject: Re: [OK#%d] app crashes\r\nMessage-ID: <e2e-2@example.com>\r\n\r\nStill crashing.\r\n", tok, number))
	var tickets, messages, notes int
	m.DB.SQL().QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&tickets)
	m.DB.SQL().QueryRow(`SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ? AND author = 'contact'`, id).Scan(&messages)
	m.DB.SQL().QueryRow(`SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ? AND author = 'system' AND public = false AND body LIKE 'DKIM: none%'`, id).Scan(&notes)
	if tickets != 1 || messages != 2 || notes != 2 {
		t.Fatalf("%d tickets, %d customer messages, %d authentication notes; want 1, 2, 2", tickets, messages, notes)
	}
	// The acknowledgement's private link is on the configured public URL.
	var body string
	func() error {
		nt := storetest.Notified(t, m.DB, `WHERE event = 'ticket_ack'`)
		body = nt.Body
		return nil
	}()
	if !strings.Contains(body, "https://help.okwallet.test/support/t/okt_") {
		t.Fatalf("acknowledgement link not on --public-url: %q", body)
	}
}

func TestPublicURLIsChecked(t *testing.T) {
	for _, bad := range []string{"help.example.com", "ftp://help.example.com", "https://", "https://help.example.com/?x=1"} {
		c := Config{PublicURL: bad}
		if _, err := c.publicURL("127.0.0.1:8080"); err == nil {
			t.Errorf("--public-url %q accepted", bad)
		}
	}
	c := Config{Listen: "127.0.0.1:0"}
	if got, _ := c.publicURL("127.0.0.1:43210"); got != "http://127.0.0.1:43210" {
		t.Fatalf("default public URL %q", got)
	}
}
