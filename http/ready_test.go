package http_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// TestReadiness: /readyz proves the node reads and writes its database
// and writes its disk, reports the registered checks (the job queue,
// NATS) without failing on the non-critical ones, answers within its own
// deadline when a check hangs, and turns 503 "draining" first thing in a
// shutdown, when every answer also asks the client to close its
// keep-alive connection.
func TestReadiness(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.ProbeDir = t.TempDir()
	ts.srv.AddReadyCheck(okhttp.ReadyCheck{Name: "jobs", Check: func(context.Context) (any, error) {
		return map[string]int{"available": 3}, nil
	}})
	ts.srv.AddReadyCheck(okhttp.ReadyCheck{Name: "nats", Check: func(context.Context) (any, error) {
		return nil, okcare.Errorf(okcare.EUNAVAILABLE, "NATS is down.")
	}})
	status, body, _ := ts.call(t, "GET", "/readyz", "", nil)
	checks, _ := body["checks"].(map[string]any)
	check := func(name string) map[string]any { c, _ := checks[name].(map[string]any); return c }
	if status != 200 || body["status"] != "ready" {
		t.Fatalf("readyz: %d %v", status, body)
	}
	for _, name := range []string{"database", "database_write", "disk", "jobs"} {
		if check(name)["ok"] != true {
			t.Errorf("check %s: %v", name, check(name))
		}
	}
	if c := check("nats"); c["ok"] != false || c["error"] != "unavailable" || c["critical"] != false {
		t.Errorf("a failing non-critical check: %v", c)
	}
	if d, _ := check("jobs")["detail"].(map[string]any); d["available"] != 3.0 {
		t.Errorf("jobs detail: %v", check("jobs"))
	}
	var beats int
	ts.db.SQL().QueryRow(`SELECT COUNT(*) FROM node_heartbeats`).Scan(&beats)
	if beats != 1 {
		t.Fatalf("%d heartbeat rows after a readiness check, want 1", beats)
	}

	// A disk it cannot write to fails readiness.
	ts.srv.ProbeDir = filepath.Join(t.TempDir(), "gone")
	if status, body, _ := ts.call(t, "GET", "/readyz", "", nil); status != 503 || body["status"] != "unavailable" {
		t.Fatalf("readyz with an unwritable disk: %d %v", status, body)
	}
	ts.srv.ProbeDir = t.TempDir()

	// A critical check that hangs fails within the readiness deadline.
	hang := make(chan struct{})
	defer close(hang)
	ts.srv.AddReadyCheck(okhttp.ReadyCheck{Name: "stuck", Critical: true, Check: func(context.Context) (any, error) {
		<-hang
		return nil, nil
	}})
	start := time.Now()
	status, body, _ = ts.call(t, "GET", "/readyz", "", nil)
	if took := time.Since(start); status != 503 || took > okhttp.ReadyTimeout+time.Second {
		t.Fatalf("readyz with a hanging check: %d after %s", status, took)
	}
	if c, _ := body["checks"].(map[string]any)["stuck"].(map[string]any); c["error"] != "unavailable" {
		t.Fatalf("hanging check reported as %v", c)
	}

	ts.srv.StartDraining()
	status, body, _ = ts.call(t, "GET", "/readyz", "", nil)
	if status != 503 || body["status"] != "draining" {
		t.Fatalf("readyz while draining: %d %v", status, body)
	}
	resp, err := http.Get(ts.URL + "/api/v1/kb/search?lang=en&q=crash")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !resp.Close {
		t.Fatalf("a request while draining: %d, connection closed after it: %v", resp.StatusCode, resp.Close)
	}
}

// TestRequestDeadline: a request whose query waits on the database past
// the request deadline is answered 503 unavailable with Retry-After by
// then, not left hanging (or answered 500 internal), and changes nothing;
// once the database is free the same request succeeds.
func TestRequestDeadline(t *testing.T) {
	ts := newTestServer(t)
	ts.srv.RequestTimeout = 500 * time.Millisecond
	// Another connection holds SQLite's write lock.
	path := ""
	ts.db.SQL().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	body := map[string]string{"email": "late@example.com", "password": "blue-kettle-42"}
	start := time.Now()
	status, resp, h := ts.call(t, "POST", "/api/v1/users", "", body)
	took := time.Since(start)
	if status != 503 || errCode(resp) != okcare.EUNAVAILABLE || h.Get("Retry-After") == "" {
		t.Fatalf("write behind a held lock: %d %v Retry-After %q after %s", status, resp, h.Get("Retry-After"), took)
	}
	if took > ts.srv.RequestTimeout+time.Second {
		t.Fatalf("answered after %s; the deadline is %s", took, ts.srv.RequestTimeout)
	}
	conn.ExecContext(context.Background(), `ROLLBACK`)
	if status, resp, _ := ts.call(t, "POST", "/api/v1/users", "", body); status != 201 {
		t.Fatalf("after the lock was released: %d %v", status, resp)
	}
}

// TestInfrastructureErrorCodes: failures of the database, network or
// disk have codes of their own (503 unavailable, 507 storage_full), with
// a message that says nothing of the cause.
func TestInfrastructureErrorCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		code string
	}{
		{context.DeadlineExceeded, okcare.EUNAVAILABLE},
		{errors.Join(errors.New("query"), context.Canceled), okcare.EUNAVAILABLE},
		{okcare.Errorf(okcare.ENOTFOUND, "No such ticket."), okcare.ENOTFOUND},
		{errors.New("boom"), okcare.EINTERNAL},
	} {
		if got := okcare.ErrorCode(c.err); got != c.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", c.err, got, c.code)
		}
	}
	if msg := okcare.ErrorMessage(context.DeadlineExceeded); msg == "Internal error." || msg == "" {
		t.Errorf("unavailable message: %q", msg)
	}
}
