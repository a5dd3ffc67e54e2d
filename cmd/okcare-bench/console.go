package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/sqldb"
)

// benchConsole measures the staff console's queue page (GET /console) as
// agents signed in through the console's own form (password and second
// factor), each with their own session, all refreshing the page at once,
// with queueTickets tickets on the store. Each agent has tickets of their
// own and is online, so the page shows the queue, "mine" and the team as
// on a working day. The baseline, in the same run and with as many
// clients, is a bare handler serving the same page from memory.
func benchConsole(ctx context.Context, kind, dsn string, queueTickets, agents int, duration time.Duration, rounds int) error {
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	srv := okhttp.NewServer(db, quiet)
	srv.LoginLimiter = okhttp.NewRateLimiter(1<<30, time.Minute)
	okcareURL, stop, err := serve(srv)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Printf("%s store: loading %d tickets ...\n", kind, queueTickets)
	t0 := time.Now()
	if err := loadQueue(ctx, db, queueTickets); err != nil {
		return err
	}
	fmt.Printf("  loaded in %s\n", time.Since(t0).Round(time.Second))
	transport := &http.Transport{MaxIdleConnsPerHost: 2 * agents}
	browsers := make([]*http.Client, agents)
	for k := range browsers {
		role := okcare.RoleAgent
		if k == 0 {
			role = okcare.RoleSupervisor
		}
		a := &okcare.Agent{Email: fmt.Sprintf("agent%d@okcare.example", k), Role: role}
		if browsers[k], err = signInAgent(ctx, db, okcareURL, transport, a); err != nil {
			return fmt.Errorf("agent %d: %w", k, err)
		}
		if err := db.SetAgentPresence(ctx, a.ID, "online", 25, []string{okcare.LangZH, okcare.LangEN}); err != nil {
			return err
		}
		// Each agent works on some tickets of their own.
		assign := `UPDATE tickets SET assignee_id = ?, status = 'open'
			WHERE id IN (SELECT id FROM tickets WHERE status = 'new' AND assignee_id IS NULL ORDER BY id LIMIT 20)`
		if _, err := db.SQL().ExecContext(ctx, db.Rebind(assign), a.ID); err != nil {
			return err
		}
	}
	page, err := getOK(browsers[agents-1], okcareURL+"/console", "")
	if err != nil {
		return err
	}
	rows := len(regexp.MustCompile(`<tr class`).FindAll(page, -1))
	if rows < 100 || !strings.Contains(string(page), fmt.Sprintf("agent%d@okcare.example", agents-1)) {
		return fmt.Errorf("the queue page shows %d ticket rows and not the agent: not the page agents see", rows)
	}
	staticURL, stopStatic, err := serveStaticPage(page)
	if err != nil {
		return err
	}
	defer stopStatic()
	plain := &http.Client{Transport: transport}
	fmt.Printf("console queue page: %d bytes, %d ticket rows; %d agents signed in, one client each\n", len(page), rows, agents)
	for round := 1; round <= rounds; round++ {
		static := drive("baseline static page", duration, agents, func(w, seq int) error { _, err := getOK(plain, staticURL, ""); return err })
		console := drive("GET /console", duration, agents, func(w, seq int) error { _, err := getOK(browsers[w], okcareURL+"/console", ""); return err })
		fmt.Printf("  round %d\n  %s\n  %s\n", round, static, console)
		fmt.Printf("  console queue p99 %s (goal <= 50ms) with %d tickets and %d agents; throughput ratio to the static page %.3f\n",
			console.p99.Round(time.Microsecond), queueTickets, agents, console.perSecond()/static.perSecond())
	}
	return nil
}

// signInAgent creates a staff member with a second factor and signs them
// in through the console's form, as a browser does; it returns that
// browser.
func signInAgent(ctx context.Context, db *sqldb.DB, base string, transport http.RoundTripper, a *okcare.Agent) (*http.Client, error) {
	const pass = "bench-staff-pass-1"
	if err := db.CreateAgent(ctx, a, pass); err != nil {
		return nil, err
	}
	recovery, err := enrolTOTP(ctx, db, a.ID)
	if err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/console/login")
	if err != nil {
		return nil, err
	}
	form, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(form)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token on the sign-in page")
	}
	resp, err = c.PostForm(base+"/console/login", url.Values{"csrf": {string(m[1])}, "email": {a.Email}, "password": {pass}, "totp": {recovery}, "next": {"/console"}})
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console" {
		return nil, fmt.Errorf("sign-in answered %d, to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return &http.Client{Jar: jar, Transport: transport}, nil
}
