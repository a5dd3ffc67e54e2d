package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/storetest"
)

// TestCalendarCommand runs okcare calendar check, import and status as
// the binary runs them, against the data directory of a running serve:
// serve warned at start that the data runs short, refuses nothing itself,
// and picks the imported year up on its next refresh; a bad file is
// refused line by line and changes nothing; the import is audited with
// the admin and the year.
func TestCalendarCommand(t *testing.T) {
	dir := dataDir(t)
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("calendar-admin-pass-7\n"), 0o600)
	for email, role := range map[string]string{"cal-admin@okcare.example": "admin", "cal-agent@okcare.example": "agent"} {
		if err := run(context.Background(), []string{"admin", "create-agent", "--data-dir", dir, "--email", email, "--password-file", pw, "--role", role}); err != nil {
			t.Fatal(err)
		}
	}
	good := filepath.Join(dir, "2027.txt")
	bad := filepath.Join(dir, "2027-bad.txt")
	os.WriteFile(good, []byte(storetest.Fixture2027), 0o600)
	os.WriteFile(bad, []byte(storetest.Fixture2027+"2027-02-15 workday 春节调休\n2027-03-15 holiday 公司年会\n2027-10-02 holiday 国庆节\n"), 0o600)

	m := NewMain()
	logs := &syncBuffer{}
	m.Out, m.Logs, m.CalendarRefresh = &syncBuffer{}, logs, 100*time.Millisecond
	if err := m.ParseFlags([]string{"--listen", "127.0.0.1:0", "--data-dir", dir}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	// The shipped data ends with 2026: from 30 October 2026 on, serve warns.
	cov := m.DB.Calendar.Coverage(time.Now())
	if warned := strings.Contains(logs.String(), `level=WARN msg="holiday calendar runs out`) && strings.Contains(logs.String(), "missing_year=2027"); warned != cov.Warn() {
		t.Fatalf("coverage %+v, warned %v:\n%s", cov, warned, logs.String())
	}

	calendar := func(args ...string) (string, string, error) {
		var out, errs bytes.Buffer
		err := runCalendar(context.Background(), args, &out, &errs)
		return out.String(), errs.String(), err
	}
	if err := run(context.Background(), []string{"calendar"}); err == nil || !strings.Contains(err.Error(), "okcare calendar import FILE --admin EMAIL") {
		t.Fatalf("okcare calendar: %v", err)
	}
	if out, _, err := calendar("check", good); err != nil || out != good+": 2027 is valid: 21 holidays, 2 worked weekend days\n" {
		t.Fatalf("check: %q %v", out, err)
	}
	_, errs, err := calendar("import", bad, "--data-dir", dir, "--admin", "cal-admin@okcare.example")
	if err == nil || !strings.Contains(err.Error(), "3 problems; nothing imported") ||
		!strings.Contains(errs, bad+":12: 2027-02-15 is a weekday: a worked day in exchange (调休) must be a Saturday or a Sunday\n") ||
		!strings.Contains(errs, bad+":13: 2027-03-15 is in no statutory festival's period") || !strings.Contains(errs, bad+":14: 2027-10-02 is listed twice (first on line 10)") {
		t.Fatalf("bad file: %v\n%s", err, errs)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"import", good, "--data-dir", dir}, "usage"},
		{[]string{"import", good, "--data-dir", dir, "--admin", "nobody@okcare.example"}, "no staff member nobody@okcare.example"},
		{[]string{"import", good, "--data-dir", dir, "--admin", "cal-agent@okcare.example"}, "Only an admin may import holidays."},
		{[]string{"import", filepath.Join(dir, "missing.txt"), "--data-dir", dir, "--admin", "cal-admin@okcare.example"}, "read the schedule"},
		{[]string{"frobnicate"}, "usage"},
	} {
		if _, _, err := calendar(tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("calendar %v: %v, want %q", tt.args, err, tt.want)
		}
	}
	if years, _ := m.DB.HolidayYears(context.Background()); len(years) != 0 {
		t.Fatalf("refused imports stored %+v", years)
	}

	// Flags after the file, as people type them.
	out, _, err := calendar("import", good, "--data-dir", dir, "--admin", "cal-admin@okcare.example")
	if err != nil || out != "imported 2027: 21 holidays, 2 worked weekend days; 0 open tickets retimed. Running nodes read it within a minute.\n" {
		t.Fatalf("import: %q %v", out, err)
	}
	log, _ := m.DB.AuditLog(context.Background(), 1)
	team, _ := m.DB.Team(context.Background())
	var adminID string
	for _, a := range team {
		if a.Email == "cal-admin@okcare.example" {
			adminID = a.ID
		}
	}
	if log[0].Action != "calendar.import" || log[0].Actor != "agent:"+adminID || log[0].Target != "calendar:2027" || !strings.Contains(string(log[0].Details), `"source":"cli"`) {
		t.Fatalf("audit %+v %s", log[0], log[0].Details)
	}
	// The running server reads the year on its next refresh.
	deadline := time.Now().Add(10 * time.Second)
	for !m.DB.HolidayBook().Data().Has(2027) {
		if time.Now().After(deadline) {
			t.Fatal("serve did not pick up the imported year")
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get("http://" + m.Listener.Addr().String() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var ready struct {
		Status string
		Checks struct {
			Calendar struct {
				Detail struct {
					KnownThrough string `json:"known_through"`
				}
			}
		}
	}
	json.NewDecoder(resp.Body).Decode(&ready)
	resp.Body.Close()
	if ready.Status != "ready" || (time.Now().Before(time.Date(2027, 12, 29, 0, 0, 0, 0, time.UTC)) && ready.Checks.Calendar.Detail.KnownThrough != "2027-12-28") {
		t.Fatalf("/readyz after the import: %+v", ready)
	}
	if !strings.Contains(logs.String(), `msg="holiday data read again" years="[2025 2026 2027]"`) {
		t.Fatalf("no refresh in the logs:\n%s", logs.String())
	}
	out, _, err = calendar("status", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "2026: 19 holidays, 6 worked weekend days; shipped\n") ||
		!strings.Contains(out, "2027: 21 holidays, 2 worked weekend days; imported ") || !strings.Contains(out, " by cal-admin@okcare.example (cli)\n") {
		t.Fatalf("status: %q %v", out, err)
	}
}

// TestDemoCalendarReachable: serve --demo exposes the calendar's state in
// /readyz, the gauge, the console page and the admin API, and the demo
// admin can import a year.
func TestDemoCalendarReachable(t *testing.T) {
	m, out, _ := startMain(t, "--demo", "--data-dir", dataDir(t))
	defer m.Close()
	base := "http://" + m.Listener.Addr().String()
	cov := m.DB.Calendar.Coverage(time.Now())
	get := func(path, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if status, body := get("/readyz", ""); status != 200 || !strings.Contains(body, `"days_left":`+strconv.Itoa(cov.DaysLeft)) {
		t.Fatalf("/readyz %d %s", status, body)
	}
	if _, body := get("/metrics", ""); !strings.Contains(body, "okcare_calendar_days_left "+strconv.Itoa(cov.DaysLeft)+"\n") {
		t.Fatal("no calendar gauge in /metrics")
	}
	if status, _ := get("/console/calendar", ""); status != http.StatusSeeOther {
		t.Fatalf("/console/calendar signed out: %d", status)
	}
	pw := regexp.MustCompile(`password: (demo-\S+)`).FindStringSubmatch(out.String())[1]
	codes := storetest.EnrolStaff(t, m.DB, "admin@okcare.example")
	login, _ := json.Marshal(map[string]string{"email": "admin@okcare.example", "password": pw, "totp_code": codes[0]})
	resp, err := http.Post(base+"/api/v1/agent/sessions", "application/json", bytes.NewReader(login))
	if err != nil {
		t.Fatal(err)
	}
	var session struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&session)
	resp.Body.Close()
	if status, body := get("/api/v1/admin/calendar", session.Token); status != 200 || !strings.Contains(body, `"missing_year":2027`) {
		t.Fatalf("admin calendar API: %d %s", status, body)
	}
	imp, _ := json.Marshal(map[string]string{"text": storetest.Fixture2027})
	req, _ := http.NewRequest("POST", base+"/api/v1/admin/calendar/imports", bytes.NewReader(imp))
	req.Header.Set("Authorization", "Bearer "+session.Token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("demo import: %v %v", resp, err)
	}
	if !m.DB.Calendar.Book().Data().Has(2027) {
		t.Fatal("the demo server's calendar does not have the imported year")
	}
}
