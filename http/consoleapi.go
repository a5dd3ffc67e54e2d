package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/reports"
)

// The console's features as JSON, for tools and integrations.

// customerContextJSON is the customer context with money as decimal text.
type customerContextJSON struct {
	*okcare.CustomerContext
	Balances     []balanceJSON     `json:"balances"`
	Transactions []transactionJSON `json:"transactions"`
}

func (s *Server) handleCustomerContext(w http.ResponseWriter, r *http.Request) {
	cc, err := s.Store.CustomerContext(r.Context(), r.PathValue("id"), agentFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := customerContextJSON{CustomerContext: cc, Balances: []balanceJSON{}, Transactions: []transactionJSON{}}
	for _, b := range cc.Balances {
		out.Balances = append(out.Balances, toBalanceJSON(b))
	}
	for _, t := range cc.Transactions {
		out.Transactions = append(out.Transactions, toTransactionJSON(t))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleListMacros(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Macros(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"macros": list})
}

func (s *Server) handleCreateMacro(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name      string   `json:"name"`
		Lang      string   `json:"lang"`
		Body      string   `json:"body"`
		SetStatus string   `json:"set_status,omitempty"`
		Tags      []string `json:"tags,omitempty"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	m := &okcare.Macro{Name: req.Name, Lang: req.Lang, Body: req.Body, SetStatus: req.SetStatus, Tags: req.Tags, CreatedBy: "agent:" + agentFrom(r).ID}
	if err := s.Store.CreateMacro(r.Context(), m); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) handleApplyMacro(w http.ResponseWriter, r *http.Request) {
	t, err := s.Store.ApplyMacro(r.Context(), r.PathValue("id"), agentFrom(r).ID, r.PathValue("macro_id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleTagTicket(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Tags []string `json:"tags"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.TagTicket(r.Context(), r.PathValue("id"), req.Tags); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Store.FindTicket(r.Context(), r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleTeam(w http.ResponseWriter, r *http.Request) {
	team, err := s.Store.Team(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"agents": team})
}

// reportJSON is the support report as the API gives it.
type reportJSON struct {
	Days               int                      `json:"days"`
	Tickets            int                      `json:"tickets"`
	FirstResponse      attainmentJSON           `json:"first_response"`
	Resolution         attainmentJSON           `json:"resolution"`
	FirstResponseTimes map[string]int           `json:"first_response_times"`
	ByCause            map[string]int           `json:"by_cause"`
	ByChannel          map[string]int           `json:"by_channel"`
	CSATWeekly         []map[string]any         `json:"csat_weekly"`
	CSATAverage        float64                  `json:"csat_average"`
	CSATAnswers        int                      `json:"csat_answers"`
	Deflection         *okcare.DeflectionReport `json:"deflection"`
}

type attainmentJSON struct {
	Met     int     `json:"met"`
	Missed  int     `json:"missed"`
	Running int     `json:"running"`
	Rate    float64 `json:"rate"`
}

func attainment(a reports.Attainment) attainmentJSON {
	return attainmentJSON{Met: a.Met, Missed: a.Missed, Running: a.Running, Rate: a.Rate()}
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	days := 30
	if d := r.URL.Query().Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 366 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "days must be 1-366."))
			return
		}
		days = n
	}
	rep, defl, err := s.supportReport(r.Context(), days)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := reportJSON{Days: days, Tickets: rep.Tickets, FirstResponse: attainment(rep.FirstResponse), Resolution: attainment(rep.Resolution),
		FirstResponseTimes: map[string]int{}, ByCause: map[string]int{}, ByChannel: map[string]int{}, CSATWeekly: []map[string]any{},
		CSATAverage: rep.CSATAverage, CSATAnswers: rep.CSATAnswers, Deflection: defl}
	for _, b := range rep.FirstResponseTimes {
		out.FirstResponseTimes[strings.ReplaceAll(strings.ReplaceAll(b.Label, "≤", "le_"), ">", "gt_")] = b.N
	}
	for _, c := range rep.ByCause {
		out.ByCause[c.Key] = c.N
	}
	for _, c := range rep.ByChannel {
		out.ByChannel[c.Key] = c.N
	}
	for _, wk := range rep.CSAT {
		out.CSATWeekly = append(out.CSATWeekly, map[string]any{"week": wk.Week.Format("2006-01-02"), "answers": wk.Answers, "average": wk.Average})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleSetPriority(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Priority string `json:"priority"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Store.SetTicketPriority(r.Context(), r.PathValue("id"), "agent:"+agentFrom(r).ID, req.Priority)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// handleLinkIncident says which open incident a ticket is about.
func (s *Server) handleLinkIncident(w http.ResponseWriter, r *http.Request) {
	var req struct {
		IncidentID *string `json:"incident_id"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.IncidentID == nil {
		s.Error(w, r, okcare.Errorf(okcare.EINVALID, "incident_id is required (\"\" to unlink)."))
		return
	}
	id := r.PathValue("id")
	if err := s.Store.LinkTicketIncident(r.Context(), id, *req.IncidentID, "agent:"+agentFrom(r).ID); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Store.FindTicket(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}
