package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/totp"
)

// benchTickets measures, on one store, (1) ticket creation through the API
// against a baseline handler that decodes the same body and commits one
// row, and (2) the agent console's queue page and the queue API with
// queueTickets tickets loaded, against a bare handler serving a page of
// the same size.
func benchTickets(ctx context.Context, kind, dsn string, queueTickets int, duration time.Duration, concurrency int) error {
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	srv := okhttp.NewServer(db, quiet)
	srv.LoginLimiter = okhttp.NewRateLimiter(1<<30, time.Minute)
	srv.ContactLimiter = okhttp.NewRateLimiter(1<<30, time.Minute) // one address sends everything here
	srv.ContactCeiling = okhttp.NewRateLimiter(1<<30, time.Minute)
	okcareURL, stop, err := serve(srv)
	if err != nil {
		return err
	}
	defer stop()
	if _, err := db.SQL().Exec(`CREATE TABLE bench_commits (id TEXT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		return err
	}
	insert := "INSERT INTO bench_commits (id, body) VALUES (?, ?)"
	if kind == "postgres" {
		insert = "INSERT INTO bench_commits (id, body) VALUES ($1, $2)"
	}
	baseURL, stopBase, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		raw, _ := json.Marshal(body)
		if _, err := db.SQL().ExecContext(r.Context(), insert, r.Header.Get("Idempotency-Key"), string(raw)); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(201)
		w.Write(raw)
	}))
	if err != nil {
		return err
	}
	defer stopBase()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency * 2}}
	post := func(base string, w, seq int) error {
		body, _ := json.Marshal(map[string]any{"contact_email": fmt.Sprintf("c%d@bench.example", w), "lang": "zh-CN",
			"intake": map[string]any{"description": "打开就闪退，已经重装过了", "symptom": "crash", "platform": "android", "app_version": "5.2.0"}})
		req, _ := http.NewRequest("POST", base+"/api/v1/tickets", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("%s-%d-%d", kind, w, seq))
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != 201 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	fmt.Printf("%s store; ticket creation through the API, %d clients, %s per run\n", kind, concurrency, duration)
	base := drive("baseline decode+commit", duration, concurrency, func(w, seq int) error { return post(baseURL, w, seq) })
	ours := drive("POST /api/v1/tickets", duration, concurrency, func(w, seq int) error { return post(okcareURL, w, seq) })
	fmt.Printf("  %s\n  %s\n  tickets/s %.0f; ratio %.2f\n", base, ours, ours.perSecond(), ours.perSecond()/base.perSecond())

	fmt.Printf("loading %d tickets ...\n", queueTickets)
	if err := loadQueue(ctx, db, queueTickets); err != nil {
		return err
	}
	agent := &okcare.Agent{Email: "bench-agent@okcare.example", Role: okcare.RoleSupervisor}
	if err := db.CreateAgent(ctx, agent, "bench-staff-pass-1"); err != nil {
		return err
	}
	recovery, err := enrolTOTP(ctx, db, agent.ID)
	if err != nil {
		return err
	}
	_, token, err := db.AgentLogin(ctx, agent.Email, "bench-staff-pass-1", recovery, "")
	if err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(okcareURL)
	jar.SetCookies(u, []*http.Cookie{{Name: "okcare_staff", Value: token, Path: "/console"}})
	browser := &http.Client{Jar: jar, Transport: client.Transport}
	page, err := getOK(browser, okcareURL+"/console", "")
	if err != nil {
		return err
	}
	rows := len(regexp.MustCompile(`<tr class`).FindAll(page, -1))
	staticURL, stopStatic, err := serveStaticPage(page)
	if err != nil {
		return err
	}
	defer stopStatic()
	fmt.Printf("console queue page: %d bytes, %d ticket rows; %d clients\n", len(page), rows, concurrency)
	static := drive("baseline static page", duration, concurrency, func(w, seq int) error { _, err := getOK(client, staticURL, ""); return err })
	console := drive("GET /console", duration, concurrency, func(w, seq int) error { _, err := getOK(browser, okcareURL+"/console", ""); return err })
	api := drive("GET /api/v1/agent/tickets", duration, concurrency, func(w, seq int) error {
		_, err := getOK(client, okcareURL+"/api/v1/agent/tickets?limit=100", token)
		return err
	})
	filtered := drive("queue by cause+lang", duration, concurrency, func(w, seq int) error {
		_, err := getOK(browser, okcareURL+"/console?category="+queueCauses[seq%len(queueCauses)]+"&lang_filter=en", "")
		return err
	})
	fmt.Printf("  %s\n  %s\n  %s\n  %s\n", static, console, api, filtered)
	fmt.Printf("console queue p99 %s with %d tickets; throughput ratio to the static page %.2f\n", console.p99.Round(time.Microsecond), queueTickets, console.perSecond()/static.perSecond())
	return nil
}

// queueCauses are the causes the loaded tickets have.
var queueCauses = []string{"network_offline", "network_unstable", "app_outdated", "app_known_crash", "account_frozen", "account_login_restricted",
	"device_storage_low", "device_memory_low", "device_os_unsupported", "service_incident", "app_malfunction", "unknown"}

// loadQueue imports n tickets: 90% solved or closed, the rest new, open,
// pending or on hold, over 12 causes and both languages.
func loadQueue(ctx context.Context, db *sqldb.DB, n int) error {
	t0, now := time.Now(), time.Now()
	statuses := []string{"solved", "closed", "solved", "closed", "solved", "closed", "solved", "closed", "solved", "new", "open", "pending", "on_hold"}
	return db.ImportTickets(ctx, n, func(i int) sqldb.ImportTicket {
		created := now.Add(-time.Duration(n-i) * time.Minute)
		return sqldb.ImportTicket{ContactEmail: fmt.Sprintf("q%d@bench.example", i%5000), Channel: []string{"email", "web", "chat", "phone"}[i%4],
			Status: statuses[i%len(statuses)], Category: queueCauses[i%len(queueCauses)], Lang: []string{"zh-CN", "en"}[i%3%2],
			Subject: fmt.Sprintf("打不开 #%d", i), Body: "一直转圈", CreatedAt: created, FirstResponseDue: created.Add(72 * time.Hour)}
	}, func(done int) {
		if done%25000 == 0 || done == n {
			fmt.Printf("  %d/%d (%s)\n", done, n, time.Since(t0).Round(time.Second))
		}
	})
}

// enrolTOTP sets up a staff member's second factor as the console does
// and returns one of their recovery codes, to sign in with.
func enrolTOTP(ctx context.Context, db *sqldb.DB, agentID string) (string, error) {
	enr, err := db.BeginAgentTOTP(ctx, agentID)
	if err != nil {
		return "", err
	}
	code, err := totp.Code(enr.Secret, db.Now(), totp.Digits)
	if err != nil {
		return "", err
	}
	recovery, err := db.ConfirmAgentTOTP(ctx, agentID, code)
	if err != nil {
		return "", err
	}
	return recovery[0], nil
}
