package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/slaclock"
	"github.com/okcare/okcare/sqldb"
)

// Fixture2027 is a made-up 2027 holiday schedule, shaped like a State
// Council notice, for tests only. It is NOT the official 2027
// arrangement, which okcare does not ship.
const Fixture2027 = `# TEST FIXTURE, not the official 2027 holiday arrangement
year 2027
2027-01-01 holiday 元旦
2027-02-05..2027-02-11 holiday 春节
2027-02-20 workday 春节调休
2027-04-05 holiday 清明节
2027-05-03..2027-05-05 holiday 劳动节
2027-06-09 holiday 端午节
2027-09-15 holiday 中秋节
2027-10-01..2027-10-07 holiday 国庆节
2027-10-09 workday 国庆节调休
`

// fixture2028 is another made-up year, for the node that reads an import
// made elsewhere.
const fixture2028 = "year 2028\n2028-01-03 holiday 元旦\n2028-01-25..2028-01-31 holiday 春节\n2028-10-02..2028-10-06 holiday 国庆节\n"

// testHolidays: an admin imports a year's schedule; a bad one is refused
// whole; tickets whose targets cross the year are retimed, and the
// deadlines the customers were given stop being provisional; every
// import is audited; a node reads an import made elsewhere and retimes
// what it set in between.
func testHolidays(t *testing.T, db *sqldb.DB, clock *Clock) {
	cst := slaclock.Shanghai()
	office, err := slaclock.New(cst, 9*time.Hour, 18*time.Hour, db.HolidayBook())
	if err != nil {
		t.Fatal(err)
	}
	admin := &okcare.Agent{Email: "cal-admin@okcare.example", Role: okcare.RoleAdmin}
	agent := &okcare.Agent{Email: "cal-agent@okcare.example", Role: okcare.RoleAgent}
	for _, a := range []*okcare.Agent{admin, agent} {
		if err := db.CreateAgent(ctx, a, "staff-pass-123"); err != nil {
			t.Fatal(err)
		}
	}
	// Thursday 31 December 2026, 15:00 in Beijing.
	clock.Advance(time.Date(2026, 12, 31, 15, 0, 0, 0, cst).Sub(clock.Now()))
	mail := func(who string) *okcare.Ticket {
		t.Helper()
		tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: who, Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	when := func(p *time.Time) string { return p.In(cst).Format("2006-01-02 15:04") }
	before := mail("yan@example.com")
	// 3 working days, with 1 January counted as one of them.
	if when(before.FirstResponseDue) != "2027-01-05 15:00" || when(before.ResolutionDue) != "2027-01-07 15:00" {
		t.Fatalf("without 2027: due %s, resolve %s", when(before.FirstResponseDue), when(before.ResolutionDue))
	}
	if !office.Provisional(before.CreatedAt, *before.FirstResponseDue) {
		t.Fatal("a deadline past the data is not provisional")
	}
	// The customer is told so.
	ack := func(to string) string {
		t.Helper()
		return Notified(t, db, `WHERE event = 'ticket_ack' AND to_addr = ? ORDER BY created_at DESC LIMIT 1`, to).Body
	}
	if body := ack("yan@example.com"); !strings.Contains(body, "客服预计会在 2027-01-05 15:00（北京时间）前回复您；节假日安排未公布，时间可能顺延。") {
		t.Fatalf("provisional acknowledgement: %q", body)
	}
	window := time.Date(2027, 1, 4, 12, 0, 0, 0, cst)
	callback, err := db.CreateTicket(ctx, okcare.NewTicket{ContactPhone: "+8613800000001", Channel: okcare.ChannelPhone, Lang: "zh-CN",
		Intake: okcare.Intake{Description: "请回电"}, FirstResponseDue: &window})
	if err != nil {
		t.Fatal(err)
	}
	if sms := ack("+8613800000001"); !strings.Contains(sms, "预计 2027-01-04 12:00 前回复（节假日安排未公布，时间可能顺延）") {
		t.Fatalf("provisional SMS: %q", sms)
	}
	solved := mail("zoe@example.com")
	if _, err := db.SetTicketStatus(ctx, solved.ID, "agent:"+agent.ID, okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	// A ticket that waited an hour on its customer keeps that hour.
	paused := mail("pat@example.com")
	if _, err := db.SetTicketStatus(ctx, paused.ID, "agent:"+agent.ID, okcare.TicketPending); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: paused.ID, Author: "contact", Public: true, Body: "还是不行"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.FindTicket(ctx, paused.ID); when(p.ResolutionDue) != "2027-01-07 16:00" {
		t.Fatalf("paused: resolve %s", when(p.ResolutionDue))
	}

	// Refused imports change nothing.
	audited, _ := db.VerifyAudit(ctx)
	for _, tt := range []struct {
		name, agentID, source, text, code, problem string
	}{
		{"调休 on a weekday", admin.ID, okcare.HolidaySourceCLI, Fixture2027 + "2027-02-15 workday 春节调休\n", okcare.EINVALID, slaclock.ProblemWorkdayWeekday},
		{"holiday outside the festivals", admin.ID, okcare.HolidaySourceCLI, Fixture2027 + "2027-03-15 holiday 公司年会\n", okcare.EINVALID, slaclock.ProblemOutsideFestival},
		{"a date twice", admin.ID, okcare.HolidaySourceCLI, Fixture2027 + "2027-01-01 holiday 元旦\n", okcare.EINVALID, slaclock.ProblemDuplicate},
		{"a line that is no day", admin.ID, okcare.HolidaySourceCLI, Fixture2027 + "2027-01-32 holiday 元旦\n", okcare.EINVALID, slaclock.ProblemBadDate},
		{"two years at once", admin.ID, okcare.HolidaySourceCLI, Fixture2027 + fixture2028, okcare.EINVALID, ""},
		{"an unknown source", admin.ID, "fax", Fixture2027, okcare.EINVALID, ""},
		{"an agent", agent.ID, okcare.HolidaySourceConsole, Fixture2027, okcare.EFORBIDDEN, ""},
		{"nobody", "agt_nobody", okcare.HolidaySourceConsole, Fixture2027, okcare.ENOTFOUND, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.ImportHolidays(ctx, tt.agentID, tt.source, tt.text)
			wantCode(t, err, tt.code)
			var ps slaclock.Problems
			if tt.problem != "" && (!errors.As(err, &ps) || ps[0].Code != tt.problem) {
				t.Fatalf("problems %v, want %s", ps, tt.problem)
			}
		})
	}
	if years, _ := db.HolidayYears(ctx); len(years) != 0 {
		t.Fatalf("a refused import stored %+v", years)
	}
	if n, _ := db.VerifyAudit(ctx); n != audited {
		t.Fatalf("a refused import was audited: %d entries, were %d", n, audited)
	}
	if !office.IsWorkday(time.Date(2027, 1, 1, 12, 0, 0, 0, cst)) {
		t.Fatal("a refused import reached the calendar")
	}

	res, err := db.ImportHolidays(ctx, admin.ID, okcare.HolidaySourceCLI, Fixture2027)
	if err != nil {
		t.Fatal(err)
	}
	if *res != (okcare.HolidayImport{Year: 2027, Holidays: 21, Workdays: 2, Retimed: 3}) {
		t.Fatalf("import %+v", res)
	}
	// The calendars made on the store's book know 2027 at once.
	if office.IsWorkday(time.Date(2027, 1, 1, 12, 0, 0, 0, cst)) {
		t.Fatal("元旦 2027 still counts as a working day")
	}
	after, _ := db.FindTicket(ctx, before.ID)
	if when(after.FirstResponseDue) != "2027-01-06 15:00" || when(after.ResolutionDue) != "2027-01-08 15:00" {
		t.Fatalf("retimed: due %s, resolve %s", when(after.FirstResponseDue), when(after.ResolutionDue))
	}
	if office.Provisional(after.CreatedAt, *after.ResolutionDue) {
		t.Fatal("the retimed deadline is still provisional")
	}
	notes, _ := db.TicketMessages(ctx, before.ID, true)
	var moved []string
	for _, m := range notes {
		if m.Note != nil && strings.HasPrefix(m.Note.Key, "sla_retimed") {
			moved = append(moved, m.Note.Key+" "+m.Note.Args["year"])
		}
	}
	if strings.Join(moved, ",") != "sla_retimed_first 2027,sla_retimed_resolution 2027" {
		t.Fatalf("notes %v", moved)
	}
	cb, _ := db.FindTicket(ctx, callback.ID)
	if !cb.FirstResponseDue.Equal(window) || when(cb.ResolutionDue) == when(callback.ResolutionDue) {
		t.Fatalf("callback: window %s (want it kept), resolve %s (want it moved from %s)", when(cb.FirstResponseDue), when(cb.ResolutionDue), when(callback.ResolutionDue))
	}
	if s, _ := db.FindTicket(ctx, solved.ID); !s.FirstResponseDue.Equal(*solved.FirstResponseDue) {
		t.Fatal("a solved ticket was retimed")
	}
	if p, _ := db.FindTicket(ctx, paused.ID); when(p.ResolutionDue) != "2027-01-08 16:00" {
		t.Fatalf("paused: resolve %s after the import, want the paused hour kept", when(p.ResolutionDue))
	}
	if fresh := mail("amy@example.com"); when(fresh.FirstResponseDue) != "2027-01-06 16:00" {
		t.Fatalf("a new ticket is due %s", when(fresh.FirstResponseDue))
	}
	if body := ack("amy@example.com"); !strings.Contains(body, "客服最晚会在 2027-01-06 16:00（北京时间）前回复您。") || strings.Contains(body, "顺延") {
		t.Fatalf("acknowledgement with 2027 known: %q", body)
	}

	log, _ := db.AuditLog(ctx, 1)
	if e := log[0]; e.Action != "calendar.import" || e.Actor != "agent:"+admin.ID || e.Target != "calendar:2027" ||
		!strings.Contains(string(e.Details), `"year":2027`) || !strings.Contains(string(e.Details), `"retimed":3`) {
		t.Fatalf("audit entry %+v %s", e, e.Details)
	}
	years, err := db.HolidayYears(ctx)
	if err != nil || len(years) != 1 {
		t.Fatalf("years %+v %v", years, err)
	}
	if y := years[0]; y.Year != 2027 || y.ImportedBy != "agent:"+admin.ID || y.Source != okcare.HolidaySourceCLI || y.Holidays != 21 || y.Workdays != 2 || y.Text != Fixture2027 || !y.ImportedAt.Equal(clock.Now().Truncate(time.Microsecond)) {
		t.Fatalf("stored year %+v", y)
	}

	// Importing the year again replaces it whole; nothing moves twice.
	again, err := db.ImportHolidays(ctx, admin.ID, okcare.HolidaySourceConsole, strings.Replace(Fixture2027, "2027-01-01 holiday 元旦", "2027-01-01..2027-01-03 holiday 元旦", 1))
	if err != nil || !again.Replaced || again.Retimed != 0 || again.Holidays != 23 {
		t.Fatalf("replace: %+v %v", again, err)
	}
	if changed, err := db.RefreshHolidays(ctx); err != nil || changed {
		t.Fatalf("refresh after this node's own import: changed %v, %v", changed, err)
	}
	if n, err := db.VerifyAudit(ctx); err != nil || n != audited+2 {
		t.Fatalf("audit %d, %v", n, err)
	}

	// Another node imports 2028 (its rows appear in the database); this
	// node, not knowing yet, sets a ticket's targets without it. When it
	// reads the year it puts the ticket right.
	clock.Advance(time.Date(2027, 12, 31, 15, 0, 0, 0, cst).Sub(clock.Now()))
	imported := clock.Now()
	if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO holiday_years (year, text, imported_by, imported_at, source) VALUES (2028, ?, ?, ?, 'console')`),
		fixture2028, "agent:"+admin.ID, imported.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(fixture2028), "\n")[1:] {
		s, _ := slaclock.ParseSchedules("year 2028\n" + line + "\n")
		for _, d := range s[0].Days {
			db.SQL().Exec(db.Rebind(`INSERT INTO holiday_days (year, day, kind, name) VALUES (2028, ?, ?, ?)`), d.Date, string(d.Kind), d.Name)
		}
	}
	stale := mail("ben@example.com") // Friday 31 December 2027: 3 days on are Mon 3 (元旦 in 2028), Tue, Wed
	if when(stale.FirstResponseDue) != "2028-01-05 15:00" {
		t.Fatalf("before the refresh: due %s", when(stale.FirstResponseDue))
	}
	if changed, err := db.RefreshHolidays(ctx); err != nil || !changed {
		t.Fatalf("refresh: changed %v, %v", changed, err)
	}
	if got, _ := db.FindTicket(ctx, stale.ID); when(got.FirstResponseDue) != "2028-01-06 15:00" {
		t.Fatalf("after the refresh: due %s", when(got.FirstResponseDue))
	}
	if changed, _ := db.RefreshHolidays(ctx); changed {
		t.Fatal("a second refresh saw a change")
	}
}
