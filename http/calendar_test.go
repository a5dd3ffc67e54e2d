package http_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/slaclock"
	"github.com/okcare/okcare/storetest"
)

// setClock puts the server and its store at a Beijing moment.
func setClock(ts *testServer, beijing string) {
	now, err := time.ParseInLocation("2006-01-02 15:04", beijing, slaclock.Shanghai())
	if err != nil {
		panic(err)
	}
	ts.srv.Now = func() time.Time { return now }
	ts.db.Now = func() time.Time { return now }
}

// staffID is the id of the staff member with email.
func staffID(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	team, err := ts.db.Team(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range team {
		if a.Email == email {
			return a.ID
		}
	}
	t.Fatalf("no staff member %s", email)
	return ""
}

// TestReadyzAndGaugeSayHowFarTheCalendarReaches: /readyz carries the
// calendar's state without failing readiness, and the gauge the days left.
func TestReadyzAndGaugeSayHowFarTheCalendarReaches(t *testing.T) {
	ts := newTestServer(t)
	addStaff(t, ts, "cal-admin@okcare.example", okcare.RoleAdmin)
	gauge := func() string {
		t.Helper()
		resp, err := http.Get(ts.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return regexp.MustCompile(`(?m)^okcare_calendar_days_left (\S+)$`).FindStringSubmatch(string(raw))[1]
	}
	for _, tt := range []struct {
		now, status, through, gauge string
		days                        float64
	}{
		{"2026-10-01 10:00", "ok", "2026-12-28", "89", 89},
		{"2026-12-01 10:00", "expiring", "2026-12-28", "28", 28},
		{"2027-01-05 10:00", "expired", "", "0", 0},
	} {
		setClock(ts, tt.now)
		status, body, _ := ts.call(t, "GET", "/readyz", "", nil)
		check, _ := body["checks"].(map[string]any)["calendar"].(map[string]any)
		cal, _ := check["detail"].(map[string]any)
		through, _ := cal["known_through"].(string)
		if status != 200 || body["status"] != "ready" || check["ok"] != true || check["critical"] != false || cal["status"] != tt.status || cal["days_left"] != tt.days || through != tt.through || cal["missing_year"] != 2027.0 {
			t.Fatalf("%s: /readyz %d %v", tt.now, status, body)
		}
		if tt.status != "ok" && !strings.Contains(cal["message"].(string), "2027") {
			t.Fatalf("%s: message %v", tt.now, cal["message"])
		}
		if got := gauge(); got != tt.gauge {
			t.Fatalf("%s: gauge %s, want %s", tt.now, got, tt.gauge)
		}
	}
	// Importing 2027 reaches the server's calendar at once.
	setClock(ts, "2026-12-01 10:00")
	if _, err := ts.db.ImportHolidays(context.Background(), staffID(t, ts, "cal-admin@okcare.example"), okcare.HolidaySourceCLI, storetest.Fixture2027); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := ts.call(t, "GET", "/readyz", "", nil); body["checks"].(map[string]any)["calendar"].(map[string]any)["detail"].(map[string]any)["status"] != "ok" || gauge() != "393" {
		t.Fatalf("after the import: %v, gauge %s", body, gauge())
	}
}

// TestConsoleCalendar: supervisors and admins see the banner (admins with
// the way to fix it); an admin imports a year from the console, a bad one
// comes back with every problem in words and changes nothing, and the
// import is in the audit log.
func TestConsoleCalendar(t *testing.T) {
	ts := newTestServer(t)
	setClock(ts, "2026-12-01 10:00")
	for email, role := range map[string]okcare.AgentRole{"cal-admin@okcare.example": okcare.RoleAdmin, "cal-sup@okcare.example": okcare.RoleSupervisor, "cal-agent@okcare.example": okcare.RoleAgent} {
		addStaff(t, ts, email, role)
	}
	signIn := func(email string) *consoleClient {
		c := newConsoleClient(t, ts)
		c.signIn(email, "staff-pass-123")
		return c
	}
	admin, sup, agent := signIn("cal-admin@okcare.example"), signIn("cal-sup@okcare.example"), signIn("cal-agent@okcare.example")
	banner := regexp.MustCompile(`<p class="warn" role="alert" id="calendar-banner">([^<]*)(<a href="/console/calendar">([^<]*)</a>)?`)
	_, page, _ := admin.get("/console")
	m := banner.FindStringSubmatch(page)
	if m == nil || !strings.Contains(m[1], "节假日数据只到 2026-12-28（还剩 28 天）：2027 年的放假安排尚未导入。从 2026-12-29 起，时限只按周末计算") || m[3] != "导入 2027 年的安排" {
		t.Fatalf("admin banner %q", m)
	}
	_, page, _ = sup.get("/console?lang=en")
	if m := banner.FindStringSubmatch(page); m == nil || !strings.Contains(m[1], "the 2027 schedule has not been imported") || m[2] != "" {
		t.Fatalf("supervisor banner (no import link): %q", m)
	}
	if _, page, _ := agent.get("/console"); strings.Contains(page, "calendar-banner") {
		t.Fatal("agents see the banner")
	}
	if status, _, _ := agent.get("/console/calendar"); status != http.StatusForbidden {
		t.Fatalf("an agent opened the calendar page: %d", status)
	}
	setClock(ts, "2026-10-01 10:00")
	if _, page, _ := admin.get("/console"); strings.Contains(page, "calendar-banner") {
		t.Fatal("a banner 89 days before the data runs out")
	}
	setClock(ts, "2026-12-01 10:00")

	status, page, _ := admin.get("/console/calendar?year=2026")
	if status != 200 || !strings.Contains(page, `id="year-2025"`) || !strings.Contains(page, `id="year-2026"`) || !strings.Contains(page, "随程序发布") ||
		!strings.Contains(page, "<td>2026-02-28</td><td>周六</td><td>调休上班</td><td>春节调休</td>") || !strings.Contains(page, "year 2027") {
		t.Fatalf("calendar page %d:\n%s", status, page)
	}
	audited, _ := ts.db.VerifyAudit(context.Background())
	bad := storetest.Fixture2027 + "2027-02-15 workday 春节调休\n2027-03-15 holiday 公司年会\n2027-10-01 holiday 国庆节\n"
	status, page, _ = admin.post("/console/calendar", url.Values{"text": {bad}})
	for _, want := range []string{"没有导入。请修改以下问题：", "第 12 行：2027-02-15 是工作日：调休上班必须是周六或周日。",
		"第 13 行：2027-03-15 不在任何法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）的时段内。", "第 14 行：2027-10-01 重复了（第 10 行已经写过）。", "2027-03-15 holiday 公司年会"} {
		if status != http.StatusBadRequest || !strings.Contains(page, want) {
			t.Fatalf("bad schedule %d: no %q in\n%s", status, want, page)
		}
	}
	if years, _ := ts.db.HolidayYears(context.Background()); len(years) != 0 {
		t.Fatalf("a refused schedule was stored: %+v", years)
	}
	if n, _ := ts.db.VerifyAudit(context.Background()); n != audited {
		t.Fatal("a refused schedule was audited")
	}
	if status, _, _ := sup.post("/console/calendar", url.Values{"text": {storetest.Fixture2027}}); status != http.StatusForbidden {
		t.Fatalf("a supervisor imported: %d", status)
	}
	status, _, h := admin.post("/console/calendar", url.Values{"text": {storetest.Fixture2027}})
	if status != http.StatusSeeOther {
		t.Fatalf("import: %d", status)
	}
	_, page, _ = admin.get(h.Get("Location"))
	if !strings.Contains(page, "已导入 2027 年：21 天放假、2 天调休上班；0 张未结工单的时限已按新安排重新计算。") || !strings.Contains(page, "cal-admin@okcare.example 于 2026-12-01 10:00 导入 · 工作台") ||
		!strings.Contains(page, "<td>2027-01-01</td><td>周五</td><td>放假</td><td>元旦</td>") || strings.Contains(page, "calendar-banner") || !strings.Contains(page, `data-status="ok"`) {
		t.Fatalf("after the import:\n%s", page)
	}
	noEnglishWords(t, strings.Split(page, "<h2>导入一年的放假安排</h2>")[0]) // the file format's keywords follow
	_, page, _ = admin.get("/console/audit")
	if !strings.Contains(page, "导入节假日安排") || !strings.Contains(page, "calendar:2027") {
		t.Fatal("the import is not in the audit log page")
	}
}

// TestCalendarAPI: the admin API lists the years and imports one; a bad
// schedule is a 400 invalid_input listing every problem.
func TestCalendarAPI(t *testing.T) {
	ts := newTestServer(t)
	setClock(ts, "2026-12-01 10:00")
	addStaff(t, ts, "cal-admin@okcare.example", okcare.RoleAdmin)
	addStaff(t, ts, "cal-sup@okcare.example", okcare.RoleSupervisor)
	admin, sup := ts.staffToken(t, "cal-admin@okcare.example", "staff-pass-123"), ts.staffToken(t, "cal-sup@okcare.example", "staff-pass-123")
	status, body, _ := ts.call(t, "GET", "/api/v1/admin/calendar", sup, nil)
	if status != 200 || body["status"].(map[string]any)["status"] != "expiring" || len(body["years"].([]any)) != 2 {
		t.Fatalf("calendar: %d %v", status, body)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/admin/calendar/imports", sup, map[string]string{"text": storetest.Fixture2027}); status != 403 || errCode(body) != okcare.EFORBIDDEN {
		t.Fatalf("supervisor import: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/admin/calendar/imports", admin, map[string]string{"text": storetest.Fixture2027 + "2027-02-15 workday 春节调休\n2027-05-06 holiday 国庆节\n"})
	problems, _ := body["error"].(map[string]any)["problems"].([]any)
	if status != 400 || errCode(body) != okcare.EINVALID || len(problems) != 2 ||
		problems[0].(map[string]any)["code"] != "workday_not_weekend" || problems[0].(map[string]any)["line"] != 12.0 || problems[1].(map[string]any)["code"] != "outside_festival" {
		t.Fatalf("bad schedule: %d %v", status, body)
	}
	if status, body, _ := ts.call(t, "POST", "/api/v1/admin/calendar/imports", admin, map[string]any{"text": storetest.Fixture2027, "year": 2027}); status != 400 || errCode(body) != okcare.EUNKNOWNFIELD {
		t.Fatalf("unknown field: %d %v", status, body)
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/admin/calendar/imports", admin, map[string]string{"text": storetest.Fixture2027})
	if status != 201 || body["year"] != 2027.0 || body["holidays"] != 21.0 || body["replaced"] != false {
		t.Fatalf("import: %d %v", status, body)
	}
	_, body, _ = ts.call(t, "GET", "/api/v1/admin/calendar", sup, nil)
	years := body["years"].([]any)
	last := years[len(years)-1].(map[string]any)
	if len(years) != 3 || last["year"] != 2027.0 || last["imported"].(map[string]any)["source"] != "console" || body["status"].(map[string]any)["days_left"] != 393.0 {
		t.Fatalf("after the import: %v", body)
	}
}

// TestPromisesPastTheDataAreProvisional: a ticket opened on 31 December
// 2026 is promised an answer past the data: the API, the ticket pages and
// the contact page say it may be later; once 2027 is imported they do not.
func TestPromisesPastTheDataAreProvisional(t *testing.T) {
	ts := newTestServer(t)
	setClock(ts, "2026-12-31 15:00")
	addStaff(t, ts, "cal-admin@okcare.example", okcare.RoleAdmin)
	note, noteEN := "（节假日安排未公布，时间可能顺延）", "(holiday schedule not yet published; may be later)"

	status, body, _ := ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "lin@example.com", "lang": "zh-CN", "intake": map[string]string{"description": "打不开"}})
	if status != 201 || body["reply_by"] != "2027-01-05T15:00:00+08:00" || body["reply_by_provisional"] != true {
		t.Fatalf("API ticket: %d %v", status, body)
	}
	c := newConsoleClient(t, ts) // a browser: cookies, no redirects
	c.get("/support/new?lang=zh-CN")
	status, page, _ := c.post("/support/new", url.Values{"lang": {"zh-CN"}, "contact_email": {"mei@example.com"}, "description": {"一打开就闪退"}, "platform": {"android"}})
	if status != http.StatusCreated || !strings.Contains(page, "我们会在 1-3 个工作日内回复，预计 <strong>2027-01-05 15:00 (UTC&#43;8)</strong><span class=\"provisional\" id=\"reply-by-provisional\">"+note) {
		t.Fatalf("ticket done page %d:\n%s", status, page)
	}
	link := regexp.MustCompile(`/support/t/okt_\S+`).FindString(storetest.Notified(t, ts.db, `WHERE event = 'ticket_ack' AND to_addr = 'mei@example.com'`).Body)
	_, page, _ = c.get(link + "?lang=zh-CN")
	if !strings.Contains(page, "预计回复时间: <strong id=\"reply-by\">2027-01-05 15:00 (UTC&#43;8)</strong><span class=\"provisional\" id=\"reply-by-provisional\">"+note) {
		t.Fatalf("ticket page:\n%s", page)
	}
	_, page, _ = c.get("/support/contact?lang=zh-CN")
	if !strings.Contains(page, "首次回复：3 个工作日内"+note) {
		t.Fatalf("contact page:\n%s", page)
	}
	_, page, _ = c.get("/support/contact?lang=en")
	if !strings.Contains(page, "within 3 business days "+noteEN) {
		t.Fatalf("English contact page:\n%s", page)
	}

	if _, err := ts.db.ImportHolidays(context.Background(), staffID(t, ts, "cal-admin@okcare.example"), okcare.HolidaySourceCLI, storetest.Fixture2027); err != nil {
		t.Fatal(err)
	}
	_, page, _ = c.get(link + "?lang=zh-CN")
	if !strings.Contains(page, "最晚回复时间: <strong id=\"reply-by\">2027-01-06 15:00 (UTC&#43;8)</strong></p>") || strings.Contains(page, "顺延") {
		t.Fatalf("ticket page with 2027 known (retimed, not provisional):\n%s", page)
	}
	if _, page, _ = c.get("/support/contact?lang=zh-CN"); strings.Contains(page, "顺延") {
		t.Fatal("the contact page still says the promise may be later")
	}
	status, body, _ = ts.call(t, "POST", "/api/v1/tickets", "", map[string]any{"contact_email": "lin@example.com", "lang": "zh-CN", "intake": map[string]string{"description": "还是打不开"}})
	if status != 201 || body["reply_by"] != "2027-01-06T15:00:00+08:00" || body["reply_by_provisional"] != false {
		t.Fatalf("API ticket with 2027 known: %d %v", status, body)
	}
}
