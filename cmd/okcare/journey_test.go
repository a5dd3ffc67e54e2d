package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-message/mail"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/okcare/okcare/browsertest"
	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/storetest"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/totp"
)

// The journeys of ../shared/JOURNEYS.md, end to end: okcare serve --demo
// as the binary runs it, customers and staff each in a Chromium of their
// own, mail through the real Postfix relay the test command sets up (read
// back from its Maildir), on SQLite and on PostgreSQL.

// journeyStores are the stores every journey runs on.
var journeyStores = []string{"sqlite", "postgres"}

// journey is one running okcare and what its actors need.
type journey struct {
	t        *testing.T
	m        *Main
	base     string // the help center and console
	admin    string // the demo admin's email and password
	password string
	domain   string // mail for it reaches the test Maildir
	mail     *mailbox
	recovery map[string][]string // staff recovery codes left, by email
}

// startJourney runs okcare serve --demo on store ("sqlite" or "postgres"),
// sending mail through the test relay.
func startJourney(t *testing.T, store string, extra ...string) *journey {
	t.Helper()
	relay, maildir := os.Getenv("OKCARE_TEST_RELAY"), os.Getenv("OKCARE_TEST_MAILDIR")
	if relay == "" || maildir == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("OKCARE_TEST_RELAY and OKCARE_TEST_MAILDIR are unset on CI; run scripts/test")
		}
		t.Skip("no test relay: set OKCARE_TEST_RELAY and OKCARE_TEST_MAILDIR (scripts/test does)")
	}
	domain := os.Getenv("OKCARE_TEST_MAIL_DOMAIN")
	if domain == "" {
		domain = "okcare.test"
	}
	args := []string{"--demo", "--data-dir", dataDir(t), "--smtp-relay", relay, "--smtp-plaintext",
		"--smtp-listen", "127.0.0.1:0", "--support-address", "support@" + domain}
	if store == "postgres" {
		// As in production: migrated by the schema's owner, served by
		// an application role that cannot rewrite the ledger or audit log.
		owner, app := storetest.PostgresRoleDSNs(t)
		args = append(args, "--db", app, "--migrate-db", owner)
		t.Setenv("OKCARE_SECRET_KEY", secretbox.NewKey())
	}
	m, out, _ := startMain(t, append(args, extra...)...)
	t.Cleanup(func() { m.Close() })
	creds := regexp.MustCompile(`admin agent: (\S+)  password: (\S+)`).FindStringSubmatch(out.String())
	if creds == nil {
		t.Fatalf("no demo credentials printed:\n%s", out.String())
	}
	return &journey{t: t, m: m, base: "http://" + m.Listener.Addr().String(), admin: creds[1], password: creds[2],
		domain: domain, mail: &mailbox{dir: maildir}, recovery: map[string][]string{}}
}

// address is a mailbox of the test domain no other test uses. Mail to it
// the test did not read is removed when the test ends, so the Maildir
// does not fill up run after run.
func (j *journey) address(name string) string {
	addr := name + "-" + strings.ToLower(token.ID("")[:10]) + "@" + j.domain
	j.t.Cleanup(func() { j.mail.remove(addr) })
	return addr
}

// browser is a Chromium of the actor's own: phone-sized for customers,
// desktop-sized for staff.
func (j *journey) browser(staff bool) context.Context {
	if staff {
		return browsertest.Start(j.t, browsertest.DesktopW, browsertest.DesktopH, 3*time.Minute)
	}
	return browsertest.Start(j.t, browsertest.PhoneW, browsertest.PhoneH, 3*time.Minute)
}

// run runs browser actions, failing the test with the page's text.
func (j *journey) run(ctx context.Context, step string, actions ...chromedp.Action) {
	j.t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var text string
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		chromedp.Run(c, chromedp.Text("body", &text, chromedp.ByQuery))
		cancel()
		j.t.Fatalf("%s: %v\npage:\n%s", step, err, text)
	}
}

// afterReload runs actions that submit a form, and waits for the page the
// server answers with (a marker set on the old page is gone from the new).
func (j *journey) afterReload(ctx context.Context, step string, actions ...chromedp.Action) {
	j.t.Helper()
	j.run(ctx, step, append([]chromedp.Action{chromedp.Evaluate(`window.__before = true`, nil)}, actions...)...)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var reloaded bool
		// Errors while the old page goes away are expected: ask again.
		if err := chromedp.Run(ctx, chromedp.Evaluate(`document.readyState === "complete" && window.__before === undefined`, &reloaded)); err == nil && reloaded {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	j.t.Fatalf("%s: the server's answer never loaded", step)
}

// text reads an element's text.
func text(sel string, into *string) chromedp.Action {
	return chromedp.Text(sel, into, chromedp.ByQuery)
}

// staffSignIn signs a staff member in on the console as they would: the
// first time, setting up the second factor from the seed the page shows
// (the code computed as their authenticator app would) and keeping the
// recovery codes it shows once; later, with one of those codes.
func (j *journey) staffSignIn(ctx context.Context, email, password string) {
	j.t.Helper()
	actions := []chromedp.Action{
		chromedp.Navigate(j.base + "/console/login?lang=zh-CN"),
		chromedp.WaitVisible("#login-form", chromedp.ByID),
		chromedp.SendKeys(`input[name=email]`, email, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, password, chromedp.ByQuery),
	}
	if code := j.recoveryCode(email); code != "" {
		actions = append(actions, chromedp.SendKeys("#totp", code, chromedp.ByID))
	}
	var setUp bool
	actions = append(actions, chromedp.Click("#sign-in", chromedp.ByID),
		chromedp.WaitVisible("#queue-filter, #totp-form", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#totp-form") !== null`, &setUp))
	j.run(ctx, "staff sign-in", actions...)
	if !setUp {
		return
	}
	var secret string
	j.run(ctx, "read the seed", text("#totp-secret", &secret))
	code, err := totp.Code(strings.TrimSpace(secret), time.Now(), totp.Digits)
	if err != nil {
		j.t.Fatal(err)
	}
	var codes []string
	j.run(ctx, "set up two-factor",
		chromedp.SendKeys("#totp-code", code, chromedp.ByID),
		chromedp.Click("#totp-confirm", chromedp.ByID),
		chromedp.WaitVisible("#recovery-codes", chromedp.ByID),
		chromedp.Evaluate(`[...document.querySelectorAll("#recovery-codes li")].map(li => li.textContent)`, &codes),
		chromedp.Click("#totp-continue", chromedp.ByID),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
	)
	if len(codes) == 0 {
		j.t.Fatal("no recovery codes shown")
	}
	j.recovery[email] = codes
}

// recoveryCode takes one of a staff member's recovery codes, or "" when
// their second factor is not set up yet.
func (j *journey) recoveryCode(email string) string {
	codes := j.recovery[email]
	if len(codes) == 0 {
		return ""
	}
	j.recovery[email] = codes[1:]
	return codes[0]
}

// staffToken signs a staff member in on the API and returns their bearer
// token and their id (audit entries name them "agent:<id>").
func (j *journey) staffToken(email string) (tok, id string) {
	j.t.Helper()
	code := j.recoveryCode(email)
	if code == "" {
		j.recovery[email] = storetest.EnrolStaff(j.t, j.m.DB, email)
		code = j.recoveryCode(email)
	}
	status, body := j.api("POST", "/api/v1/agent/sessions", "", map[string]string{"email": email, "password": j.password, "totp_code": code})
	tok, _ = body["token"].(string)
	agent, _ := body["agent"].(map[string]any)
	id, _ = agent["id"].(string)
	if status != http.StatusCreated || tok == "" || id == "" {
		j.t.Fatalf("staff sign-in on the API for %s: %d %v", email, status, body)
	}
	return tok, id
}

// api calls the JSON API, with bearer token tok unless it is empty, and
// returns the status and the decoded answer.
func (j *journey) api(method, path, tok string, body any) (int, map[string]any) {
	j.t.Helper()
	var in io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			j.t.Fatal(err)
		}
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, j.base+path, in)
	if err != nil {
		j.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		j.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// noEnglish fails if a customer-facing text shows an English word or a raw
// code: runs of Latin letters other than acronyms, names, addresses and the
// ticket-link and diagnosis references a customer may quote to support.
func noEnglish(t *testing.T, where, s string) {
	t.Helper()
	s = regexp.MustCompile(`[\w.+-]+@[\w.-]+|https?://\S+|okt_\w+|dgn_\w+`).ReplaceAllString(s, " ")
	for _, w := range regexp.MustCompile(`[A-Za-z][A-Za-z_-]{3,}`).FindAllString(s, -1) {
		switch {
		case w == strings.ToUpper(w), w == "English", w == "Android", w == "iPhone", w == "Wallet", w == "Wi-Fi":
			continue
		}
		t.Errorf("%s shows %q to a Chinese customer:\n%s", where, w, s)
		return
	}
}

// send delivers a raw mail (lines ending in \n) to okcare's --smtp-listen
// address, as the support mailbox's MX would: envelope sender from,
// recipient rcpt.
func (j *journey) send(from, rcpt, raw string) {
	j.t.Helper()
	c, err := gosmtp.Dial(j.m.MailListener.Addr().String())
	if err != nil {
		j.t.Fatal(err)
	}
	defer c.Close()
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\n", "\r\n")
	if err := c.SendMail(from, []string{rcpt}, strings.NewReader(raw)); err != nil {
		j.t.Fatalf("delivering mail from %s to %s: %v", from, rcpt, err)
	}
}

// mailbox reads what the relay delivered to the test Maildir.
type mailbox struct {
	dir string
}

// message is a delivered mail as its reader sees it.
type message struct {
	To, Subject, Text string
	Header            mail.Header
}

// wait returns the first delivered message to addr whose subject or text
// contains want, waiting up to 30 s (delivery runs in River jobs), and
// removes it from the Maildir.
func (mb *mailbox) wait(t *testing.T, addr, want string) *message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(mb.dir, "new", "*"))
		for _, f := range files {
			m := readMessage(f)
			if m != nil && strings.EqualFold(m.To, addr) && strings.Contains(m.Subject+"\n"+m.Text, want) {
				os.Remove(f)
				return m
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no mail to %s with %q arrived in %s", addr, want, mb.dir)
	return nil
}

// remove deletes every delivered message to addr.
func (mb *mailbox) remove(addr string) {
	files, _ := filepath.Glob(filepath.Join(mb.dir, "new", "*"))
	for _, f := range files {
		if m := readMessage(f); m != nil && strings.EqualFold(m.To, addr) {
			os.Remove(f)
		}
	}
}

// readMessage parses one delivered file: its first recipient, subject and
// text/plain part; nil if it is not (yet) a whole message.
func readMessage(path string) *message {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	r, err := mail.CreateReader(f)
	if err != nil {
		return nil
	}
	m := &message{Header: r.Header}
	if to, err := r.Header.AddressList("To"); err == nil && len(to) > 0 {
		m.To = to[0].Address
	}
	m.Subject, _ = r.Header.Subject()
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/plain" && m.Text == "" {
				b, _ := io.ReadAll(p.Body)
				m.Text = string(b)
			}
		}
	}
	return m
}

var (
	sixDigits   = regexp.MustCompile(`\b\d{6}\b`)
	privateLink = regexp.MustCompile(`https?://\S+/support/t/okt_[A-Za-z0-9]+`)
)
