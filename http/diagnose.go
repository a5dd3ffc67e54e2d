package http

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
)

// maxDiagnoseBody bounds a diagnosis request: 2000 characters of description
// and 500 of error text in UTF-8, plus the structured facts.
const maxDiagnoseBody = 16 << 10

// optionalUser returns the signed-in user, or nil for no or a stale token.
// A request that asks twice (the contact limits, then its handler) looks
// the token up once; a failed lookup is not kept, so the second asker sees
// the error too.
func (s *Server) optionalUser(r *http.Request) (*okcare.User, error) {
	tok := bearer(r)
	if tok == "" {
		return nil, nil
	}
	memo, _ := r.Context().Value(customerKey).(*customerMemo)
	if memo != nil && memo.bearerDone {
		return memo.bearerUser, nil
	}
	_, u, err := s.Store.Authenticate(r.Context(), tok)
	if okcare.ErrorCode(err) == okcare.EUNAUTHORIZED {
		u, err = nil, nil
	}
	if memo != nil && err == nil {
		memo.bearerUser, memo.bearerDone = u, true
	}
	return u, err
}

// diagnoseResponse is the answer of POST /api/v1/diagnose.
type diagnoseResponse struct {
	ID string `json:"id"`
	// Key opens an anonymous diagnosis later (feedback, a ticket).
	Key string `json:"key,omitempty"`
	*diagnose.Result
	// SecretWarning says that secrets were hidden from the description
	// before it was read or stored (secrets.go).
	SecretWarning *okcare.SecretWarning `json:"secret_warning,omitempty"`
}

func (s *Server) handleDiagnose(w http.ResponseWriter, r *http.Request) {
	var req diagnose.Request
	if _, err := decodeJSON(w, r, &req, maxDiagnoseBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := diagnose.Validate(&req); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.optionalUser(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	warning := maskDiagnosis(&req)
	d, res, err := s.runDiagnosis(r.Context(), &req, u)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, diagnoseResponse{ID: d.ID, Key: d.Key, Result: res, SecretWarning: warning})
}

// runDiagnosis diagnoses a validated request against the server's truth and
// stores it, for the API and the wizard page alike.
func (s *Server) runDiagnosis(ctx context.Context, req *diagnose.Request, u *okcare.User) (*okcare.Diagnosis, *diagnose.Result, error) {
	now := s.Now()
	facts := diagnose.Facts{Policies: map[string]*okcare.ReleasePolicy{}, User: u, Now: now}
	var err error
	for _, platform := range []string{okcare.PlatformAndroid, okcare.PlatformIOS} {
		if facts.Policies[platform], err = s.launch.policy(ctx, s.Store, platform, now); err != nil {
			return nil, nil, err
		}
	}
	if facts.Incidents, err = s.launch.activeIncidents(ctx, s.Store, now); err != nil {
		return nil, nil, err
	}
	res := diagnose.Diagnose(req, facts)
	reqJSON, _ := json.Marshal(req)
	resJSON, _ := json.Marshal(res)
	d := &okcare.Diagnosis{Lang: req.Lang, TopCause: res.Causes[0].Code, Request: reqJSON, Result: resJSON}
	if u != nil {
		d.UserID = u.ID
	}
	if err := s.Store.SaveDiagnosis(ctx, d); err != nil {
		return nil, nil, err
	}
	res.TicketPrefill["diagnosis_id"] = d.ID
	if d.Key != "" {
		res.TicketPrefill["diagnosis_key"] = d.Key
	}
	return d, res, nil
}

func (s *Server) handleDiagnosisFeedback(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Outcome string `json:"outcome"`
		Key     string `json:"key"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.optionalUser(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	userID := ""
	if u != nil {
		userID = u.ID
	}
	if err := s.Store.SetDiagnosisOutcome(r.Context(), r.PathValue("id"), userID, req.Key, req.Outcome); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleDeflectionReport(w http.ResponseWriter, r *http.Request) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "days must be 1-3650."))
			return
		}
		days = n
	}
	rep, err := s.Store.Deflection(r.Context(), s.Now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
