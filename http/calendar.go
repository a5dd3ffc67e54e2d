package http

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/slaclock"
	"github.com/prometheus/client_golang/prometheus"
)

// The holiday calendar as okcare tells it: how far its data reaches
// (/readyz, a gauge, a console banner from slaclock.WarnDays before it
// runs out, the Holidays page and API, where admins import a year), and
// customer promises past the data flagged as possibly later.

// calendarStatus is how far the holiday data reaches.
type calendarStatus struct {
	// Status is ok, expiring (within slaclock.WarnDays) or expired (no
	// data for today).
	Status           string `json:"status"`
	DaysLeft         int    `json:"days_left"`
	KnownThrough     string `json:"known_through,omitempty"`
	WeekendsOnlyFrom string `json:"weekends_only_from"`
	MissingYear      int    `json:"missing_year"`
	Message          string `json:"message,omitempty"`
}

// calendarStatus describes the support calendar's data now.
func (s *Server) calendarStatus() calendarStatus {
	cov := s.Calendar.Coverage(s.Now())
	st := calendarStatus{Status: "ok", DaysLeft: cov.DaysLeft, WeekendsOnlyFrom: cov.From.Format("2006-01-02"), MissingYear: cov.Missing}
	if !cov.Through.IsZero() {
		st.KnownThrough = cov.Through.Format("2006-01-02")
	}
	switch {
	case cov.DaysLeft == 0:
		st.Status = "expired"
		st.Message = "No holiday data for today: deadlines count weekends only. Import the " + strconv.Itoa(cov.Missing) + " schedule."
	case cov.Warn():
		st.Status = "expiring"
		st.Message = "Holiday data runs out after " + st.KnownThrough + ": import the " + strconv.Itoa(cov.Missing) + " schedule."
	}
	return st
}

// registerCalendar adds the calendar's gauge, console pages and API.
func (s *Server) registerCalendar() {
	s.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "okcare_calendar_days_left",
		Help: "Days from today on covered by holiday data (0: deadlines already count weekends only)."},
		func() float64 { return float64(s.Calendar.Coverage(s.Now()).DaysLeft) }))
	// In /readyz as detail only: past its data okcare still works.
	s.AddReadyCheck(ReadyCheck{Name: "calendar", Check: func(context.Context) (any, error) { return s.calendarStatus(), nil }})
	s.mux.HandleFunc("GET /console/calendar", s.staff(okcare.RoleSupervisor, s.consoleCalendar))
	s.mux.HandleFunc("POST /console/calendar", s.staff(okcare.RoleAdmin, s.consoleImportCalendar))
	s.handle("GET", "/api/v1/admin/calendar", s.agent(okcare.RoleSupervisor, s.handleCalendar))
	s.handle("POST", "/api/v1/admin/calendar/imports", s.agent(okcare.RoleAdmin, s.handleImportCalendar))
}

// calendarYear is one year the calendar knows, as the page and API list it.
type calendarYear struct {
	Year     int                 `json:"year"`
	Holidays int                 `json:"holidays"`
	Workdays int                 `json:"workdays"`
	Imported *okcare.HolidayYear `json:"imported,omitempty"` // nil: shipped (or the holidays file)
}

// calendarYears lists the years in the data, with their imports.
func (s *Server) calendarYears(r *http.Request) ([]calendarYear, *slaclock.Data, error) {
	imported, err := s.Store.HolidayYears(r.Context())
	if err != nil {
		return nil, nil, err
	}
	byYear := map[int]*okcare.HolidayYear{}
	for _, y := range imported {
		y.Text = "" // the API lists, the page shows the days
		byYear[y.Year] = y
	}
	data := s.Calendar.Book().Data()
	out := []calendarYear{}
	for _, y := range data.Years() {
		sched, _ := data.Schedule(y)
		h, w := sched.Counts()
		out = append(out, calendarYear{Year: y, Holidays: h, Workdays: w, Imported: byYear[y]})
	}
	return out, data, nil
}

func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	years, _, err := s.calendarYears(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": s.calendarStatus(), "years": years})
}

// problemJSON is one problem of a refused schedule.
type problemJSON struct {
	Line    int    `json:"line,omitempty"`
	Code    string `json:"code"`
	Date    string `json:"date,omitempty"`
	Message string `json:"message"`
}

func (s *Server) handleImportCalendar(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Text string `json:"text"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	res, err := s.Store.ImportHolidays(r.Context(), agentFrom(r).ID, okcare.HolidaySourceConsole, req.Text)
	var ps slaclock.Problems
	if errors.As(err, &ps) {
		// The error envelope, with every problem found.
		body := map[string]any{"code": okcare.EINVALID, "message": okcare.ErrorMessage(err), "problems": problemsJSON(ps)}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": body})
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func problemsJSON(ps slaclock.Problems) []problemJSON {
	out := make([]problemJSON, len(ps))
	for i, p := range ps {
		out[i] = problemJSON{Line: p.Line, Code: p.Code, Date: p.Date, Message: p.String()}
	}
	return out
}

// consoleCalendar shows the holiday data: how far it reaches, each year
// and its days, and (for admins) the import form.
func (s *Server) consoleCalendar(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	s.renderCalendarPage(w, r, http.StatusOK, a, lang, "", nil)
}

// consoleImportCalendar imports the year typed or pasted into the form;
// a refused schedule comes back with every problem, in words, and the
// text kept.
func (s *Server) consoleImportCalendar(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	text := r.PostFormValue("text")
	res, err := s.Store.ImportHolidays(r.Context(), a.ID, okcare.HolidaySourceConsole, text)
	var ps slaclock.Problems
	switch {
	case errors.As(err, &ps):
		s.renderCalendarPage(w, r, http.StatusBadRequest, a, lang, text, problemTexts(consoleText[lang], lang, ps))
		return
	case okcare.ErrorCode(err) == okcare.EINVALID:
		s.renderCalendarPage(w, r, http.StatusBadRequest, a, lang, text, []string{okcare.ErrorMessage(err)})
		return
	case err != nil:
		s.consoleError(w, r, lang, a, err)
		return
	}
	q := url.Values{"year": {strconv.Itoa(res.Year)}, "imported": {strconv.Itoa(res.Year)}, "retimed": {strconv.Itoa(res.Retimed)}}
	http.Redirect(w, r, "/console/calendar?"+q.Encode(), http.StatusSeeOther)
}

// calendarRow is a year as the page lists it, its source in words.
type calendarRow struct {
	calendarYear
	Source string
}

// calendarDay is a listed day as the page shows it.
type calendarDay struct {
	slaclock.Day
	Weekday string
}

func (s *Server) renderCalendarPage(w http.ResponseWriter, r *http.Request, status int, a *okcare.Agent, lang, text string, problems []string) {
	years, data, err := s.calendarYears(r)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	c := consoleText[lang]
	st := s.calendarStatus()
	key := map[string]string{"ok": "cal_ok", "expiring": "cal_expiring", "expired": "cal_expired"}[st.Status]
	summary := fill(c[key], "through", st.KnownThrough, "days", strconv.Itoa(st.DaysLeft), "year", strconv.Itoa(st.MissingYear), "from", st.WeekendsOnlyFrom)
	if text == "" {
		text = fill(c["cal_template"], "year", strconv.Itoa(st.MissingYear))
	}
	team, err := s.Store.Team(r.Context())
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	names := staffNames(team)
	rows := make([]calendarRow, len(years))
	for i, y := range years {
		rows[i] = calendarRow{calendarYear: y, Source: c["cal_shipped"]}
		if im := y.Imported; im != nil {
			rows[i].Source = fill(c["cal_imported"], "who", actorName(c, names, im.ImportedBy),
				"when", im.ImportedAt.In(slaclock.Shanghai()).Format("2006-01-02 15:04")) + " · " + labelOf(c, "cal_src_", im.Source)
		}
	}
	view := map[string]any{"Summary": summary, "Status": st, "Years": rows, "Text": text, "Problems": problems}
	q := r.URL.Query()
	if y, err := strconv.Atoi(q.Get("year")); err == nil {
		if sched, ok := data.Schedule(y); ok {
			days := make([]calendarDay, len(sched.Days))
			for i, d := range sched.Days {
				t, _ := time.Parse("2006-01-02", d.Date)
				days[i] = calendarDay{Day: d, Weekday: weekdays[lang][t.Weekday()]}
			}
			view["Year"], view["Days"] = y, days
		}
	}
	if q.Get("imported") != "" && r.Method == http.MethodGet {
		if y, err := strconv.Atoi(q.Get("imported")); err == nil {
			for _, cy := range years {
				if cy.Year == y {
					view["Done"] = fill(c["cal_done"], "year", strconv.Itoa(y), "holidays", strconv.Itoa(cy.Holidays),
						"workdays", strconv.Itoa(cy.Workdays), "retimed", strconv.Itoa(atoiOr(q.Get("retimed"), 0)))
				}
			}
		}
	}
	s.renderConsole(w, r, status, "console_calendar.html", lang, a, c["cal_title"], view)
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n
	}
	return def
}

// calendarBanner is the console's warning to supervisors and admins that
// the holiday data runs out (nil when it does not, or for agents).
func (s *Server) calendarBanner(lang string, a *okcare.Agent) map[string]string {
	if a == nil || !a.Role.AtLeast(okcare.RoleSupervisor) {
		return nil
	}
	st := s.calendarStatus()
	if st.Status == "ok" {
		return nil
	}
	c := consoleText[lang]
	b := map[string]string{"Text": fill(c["cal_"+st.Status], "through", st.KnownThrough, "days", strconv.Itoa(st.DaysLeft),
		"year", strconv.Itoa(st.MissingYear), "from", st.WeekendsOnlyFrom)}
	if a.Role.AtLeast(okcare.RoleAdmin) {
		b["Link"] = fill(c["cal_import_link"], "year", strconv.Itoa(st.MissingYear))
	}
	return b
}

// problemTexts says a refused schedule's problems in the console's
// language.
func problemTexts(c map[string]string, lang string, ps slaclock.Problems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		festival := p.Festival
		if lang == okcare.LangEN {
			for _, f := range slaclock.Festivals {
				if f.Name == p.Festival {
					festival = f.English
				}
			}
		}
		text := fill(c["calp_"+p.Code], "date", p.Date, "year", strconv.Itoa(p.Year), "festival", festival, "text", p.Text)
		if p.Code == slaclock.ProblemOutsideFestival && p.Festival == "" {
			text = fill(c["calp_outside_any"], "date", p.Date)
		}
		if text == "" {
			text = p.String()
		} else if p.Line > 0 {
			text = fill(c["calp_line"], "line", strconv.Itoa(p.Line)) + text
		}
		out[i] = text
	}
	return out
}

// provisionalNote is what follows a promise that may be later: the
// holiday schedule it crosses is not published yet.
func provisionalNote(lang string) string { return notice.T(lang, "provisional_note", nil) }

// promise is the first response a channel promises now, in words, with
// the provisional note when a ticket opened now would be due past the
// holiday data.
func (s *Server) promise(lang, channel string, now time.Time) string {
	d := s.desk()
	target := d.Promise(channel)
	text := promiseText(lang, target)
	if _, provisional := d.CalendarFor(channel).DueProvisional(target, now); provisional {
		text += provisionalNote(lang)
	}
	return text
}

// replyByProvisional reports whether a ticket's promised reply crosses
// days without holiday data.
func (s *Server) replyByProvisional(t *okcare.Ticket) bool {
	return s.desk().CalendarFor(t.Channel).Provisional(t.CreatedAt, s.replyBy(t))
}

// replyByWords is a page's promise of a ticket's reply: the lead-in (key,
// or its _provisional form) and the note to put after the time.
func (s *Server) replyByWords(lang, key string, t *okcare.Ticket) (lead, note string) {
	if s.replyByProvisional(t) {
		return tr(lang, key+"_provisional"), provisionalNote(lang)
	}
	return tr(lang, key), ""
}
