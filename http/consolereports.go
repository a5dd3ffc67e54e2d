package http

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/reports"
)

// hbar is one row of a horizontal bar chart: Width is a share of the
// widest row, as an SVG percentage.
type hbar struct {
	Label, Value string
	Width        string
}

func hbars(counts []reports.Count, label func(string) string) []hbar {
	max := 1
	for _, c := range counts {
		if c.N > max {
			max = c.N
		}
	}
	out := make([]hbar, 0, len(counts))
	for _, c := range counts {
		out = append(out, hbar{Label: label(c.Key), Value: itoa(int64(c.N)), Width: fmt.Sprintf("%.1f%%", 100*float64(c.N)/float64(max))})
	}
	return out
}

// vchart is a column chart drawn in a 600x220 SVG viewBox.
type vchart struct {
	Columns []vcolumn
	Empty   bool
}

type vcolumn struct {
	X, Y, W, H    float64
	LabelX        float64
	Label, Value  string
	ValueY, TextY float64
}

// columns lays out values (0..max) as columns with labels.
func columns(labels []string, values []float64, max float64, format func(float64) string) vchart {
	const width, top, bottom = 600.0, 20.0, 190.0
	c := vchart{Empty: len(values) == 0}
	if max <= 0 {
		max = 1
	}
	slot := width / float64(max1(len(values)))
	for i, v := range values {
		h := (bottom - top) * v / max
		x := float64(i)*slot + slot*0.15
		c.Columns = append(c.Columns, vcolumn{X: x, Y: bottom - h, W: slot * 0.7, H: h, LabelX: x + slot*0.35,
			Label: labels[i], Value: format(v), ValueY: bottom - h - 5, TextY: bottom + 18})
	}
	return c
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// supportReport builds the report over the last days days, with the
// diagnosis deflection of the same period; the page and the API share it.
func (s *Server) supportReport(ctx context.Context, days int) (*reports.Report, *okcare.DeflectionReport, error) {
	now := s.Now()
	since := now.AddDate(0, 0, -days)
	facts, ratings, err := s.Store.ReportFacts(ctx, since)
	if err != nil {
		return nil, nil, err
	}
	defl, err := s.Store.Deflection(ctx, since)
	if err != nil {
		return nil, nil, err
	}
	return reports.Build(now, facts, ratings, s.Calendar.Between, s.Calendar.Location), defl, nil
}

// splitTags reads tags typed into a form: separated by commas (ASCII or
// Chinese) or spaces.
func splitTags(text string) []string {
	return strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ' ' || c == '，' })
}

// reportPeriods are the report's choices of period, in days.
var reportPeriods = []int{7, 30, 90}

func (s *Server) consoleReports(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	days := 30
	if d := r.URL.Query().Get("days"); d != "" {
		if _, err := fmt.Sscan(d, &days); err != nil || (days != 7 && days != 30 && days != 90) {
			s.consoleError(w, r, lang, a, okcare.Errorf(okcare.EINVALID, "days must be 7, 30 or 90."))
			return
		}
	}
	rep, defl, err := s.supportReport(r.Context(), days)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	help, err := s.helpFeedback(r.Context(), days)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	var frtLabels []string
	var frtValues []float64
	maxFRT := 0.0
	for _, b := range rep.FirstResponseTimes {
		frtLabels, frtValues = append(frtLabels, b.Label), append(frtValues, float64(b.N))
		if float64(b.N) > maxFRT {
			maxFRT = float64(b.N)
		}
	}
	var weekLabels []string
	var weekValues []float64
	for _, wk := range rep.CSAT {
		weekLabels, weekValues = append(weekLabels, wk.Week.Format("01-02")), append(weekValues, wk.Average)
	}
	text := consoleText[lang]
	s.renderConsole(w, r, http.StatusOK, "console_reports.html", lang, a, text["reports"], map[string]any{
		"Report": rep, "Days": days, "Periods": reportPeriods, "Deflection": defl, "Help": help,
		"FirstRate": rate(rep.FirstResponse), "ResolutionRate": rate(rep.Resolution),
		"FRT":       columns(frtLabels, frtValues, maxFRT, func(v float64) string { return fmt.Sprint(int(v)) }),
		"CSAT":      columns(weekLabels, weekValues, 5, func(v float64) string { return fmt.Sprintf("%.1f", v) }),
		"ByCause":   hbars(rep.ByCause, func(k string) string { return diagnose.Title(k, lang) }),
		"ByChannel": hbars(rep.ByChannel, func(k string) string { return channelLabel(lang, k) }),
	})
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// rate is an attainment as a percentage, or "—" while no target is decided.
func rate(a reports.Attainment) string {
	if a.Met+a.Missed == 0 {
		return "—"
	}
	return percent(a.Rate())
}

func channelLabel(lang, channel string) string {
	if l, ok := consoleText[lang]["ch_"+channel]; ok {
		return l
	}
	return channel
}

func (s *Server) consoleMacros(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	s.renderMacros(w, r, http.StatusOK, a, lang, "")
}

func (s *Server) renderMacros(w http.ResponseWriter, r *http.Request, status int, a *okcare.Agent, lang, problem string) {
	list, err := s.Store.Macros(r.Context())
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	s.renderConsole(w, r, status, "console_macros.html", lang, a, consoleText[lang]["macros"], map[string]any{"Macros": list, "Error": problem,
		"Statuses": []string{"", okcare.TicketOpen, okcare.TicketPending, okcare.TicketOnHold, okcare.TicketSolved}})
}

func (s *Server) consoleCreateMacro(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	m := &okcare.Macro{Name: r.PostFormValue("name"), Lang: r.PostFormValue("macro_lang"), Body: r.PostFormValue("body"),
		SetStatus: r.PostFormValue("set_status"), CreatedBy: "agent:" + a.ID,
		Tags: splitTags(r.PostFormValue("tags"))}
	if err := s.Store.CreateMacro(r.Context(), m); err != nil {
		if code := okcare.ErrorCode(err); code == okcare.EINVALID || code == okcare.ECONFLICT {
			setErrorCode(w, err)
			s.renderMacros(w, r, codeStatus[code], a, lang, okcare.ErrorMessage(err))
			return
		}
		s.consoleError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, "/console/macros", http.StatusSeeOther)
}
