package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/demo"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/search"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
	"github.com/okcare/okcare/storetest"
)

// testServer is a server on a fresh SQLite store loaded with the demo data.
type testServer struct {
	*httptest.Server
	srv   *okhttp.Server
	db    *sqldb.DB
	creds *demo.Credentials
	logs  *bytes.Buffer
	// recovery are the staff recovery codes left, by email: tests sign
	// staff in with them (a TOTP code can be used once per 30 s step).
	recovery map[string][]string
}

// staffCode returns a second-factor code for a staff member, setting up
// their second factor through the store (as the console would) first.
func (ts *testServer) staffCode(t *testing.T, email string) string {
	t.Helper()
	if ts.recovery == nil {
		ts.recovery = map[string][]string{}
	}
	if len(ts.recovery[email]) == 0 {
		ts.recovery[email] = storetest.EnrolStaff(t, ts.db, email)
	}
	code := ts.recovery[email][0]
	ts.recovery[email] = ts.recovery[email][1:]
	return code
}

// staffToken signs a staff member in through the API.
func (ts *testServer) staffToken(t *testing.T, email, password string) string {
	t.Helper()
	status, body, _ := ts.call(t, "POST", "/api/v1/agent/sessions", "", map[string]string{"email": email, "password": password, "totp_code": ts.staffCode(t, email)})
	if status != 201 {
		t.Fatalf("staff sign-in %s: %d %v", email, status, body)
	}
	return body["token"].(string)
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "okcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	return serveStore(t, db)
}

// newTestServerOn is newTestServer on the named store ("sqlite" or
// "postgres", the latter in a schema of the test's own).
func newTestServerOn(t *testing.T, store string) *testServer {
	t.Helper()
	if store == "sqlite" {
		return newTestServer(t)
	}
	db := storetest.OpenPostgres(t)
	return serveStore(t, db)
}

// serveStore loads the demo data and the help center into db and serves it.
func serveStore(t *testing.T, db *sqldb.DB) *testServer {
	t.Helper()
	db.PasswordParams = password.TestParams
	db.Secrets = storetest.TestSecrets()
	creds, err := demo.Load(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kb.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open("")
	if err != nil {
		t.Fatal(err)
	}
	published, _ := db.PublishedArticles(context.Background())
	if err := idx.Rebuild(published, nil); err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	srv := okhttp.NewServer(db, slog.New(slog.NewJSONHandler(logs, nil)))
	srv.Search = idx
	srv.LoginLimiter = okhttp.NewRateLimiter(1000, time.Minute)
	srv.ContactLimiter = okhttp.NewRateLimiter(1000, time.Minute)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); db.Close() })
	return &testServer{Server: ts, srv: srv, db: db, creds: creds, logs: logs}
}

// call sends a request and decodes the JSON answer into a map.
func (ts *testServer) call(t *testing.T, method, path, token string, body any, headers ...string) (int, map[string]any, http.Header) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, ts.URL+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out, resp.Header
}

func errCode(m map[string]any) string {
	if e, ok := m["error"].(map[string]any); ok {
		return e["code"].(string)
	}
	return ""
}

var testDevice = map[string]string{"id": "dev-1", "platform": "android", "os_version": "14", "app_version": "5.3.0", "model": "Pixel 8"}

func (ts *testServer) login(t *testing.T, who string) string {
	t.Helper()
	status, body, _ := ts.call(t, "POST", "/api/v1/sessions", "", map[string]any{"login": who, "password": demo.UserPassword, "device": testDevice})
	if status != 201 {
		t.Fatalf("login %s: %d %v", who, status, body)
	}
	return body["token"].(string)
}

func (ts *testServer) agentLogin(t *testing.T) string {
	t.Helper()
	return ts.staffToken(t, ts.creds.AdminEmail, ts.creds.AdminPassword)
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(okhttp.OpenAPI(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("document: %v %q", err, doc.OpenAPI)
	}
	var documented, registered []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	srv := okhttp.NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, r := range srv.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	sort.Strings(documented)
	sort.Strings(registered)
	if strings.Join(documented, "\n") != strings.Join(registered, "\n") {
		t.Fatalf("OpenAPI and router differ.\ndocumented:\n%s\nregistered:\n%s", strings.Join(documented, "\n"), strings.Join(registered, "\n"))
	}
	ts := newTestServer(t)
	if status, body, _ := ts.call(t, "GET", "/api/openapi.json", "", nil); status != 200 || body["openapi"] == nil {
		t.Fatalf("served document: %d", status)
	}
}
