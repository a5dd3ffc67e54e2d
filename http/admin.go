package http

import (
	"net/http"
	"time"

	"github.com/okcare/okcare"
)

func (s *Server) handleAgentLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		TOTPCode string `json:"totp_code"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	ip := s.clientIP(r)
	if !s.LoginLimiter.Allow("agent:"+ip, s.Now()) {
		s.Error(w, r, okcare.Errorf(okcare.ERATELIMITED, "Too many sign-in attempts from this address; wait a minute."))
		return
	}
	a, tok, wait, err := s.staffSignIn(r.Context(), req.Email, req.Password, req.TOTPCode, ip)
	if wait > 0 {
		s.Error(w, r, okcare.Errorf(okcare.ERATELIMITED, "Too many failed sign-ins for this account; try again in %d seconds.", int(wait.Seconds())+1))
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if a.MFAPending { // the API is for staff whose second factor is set up
		if err := s.Store.AgentLogout(r.Context(), tok); err != nil {
			s.Logger.Warn("pending staff session not ended", "error", err)
		}
		s.Error(w, r, okcare.Errorf(okcare.EFORBIDDEN, "Set up two-factor authentication in the console first."))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "agent": a})
}

// releaseRequest is the body of PUT /admin/releases/{platform}.
type releaseRequest struct {
	MinVersion    string                   `json:"min_version"`
	LatestVersion string                   `json:"latest_version"`
	MinOSVersion  string                   `json:"min_os_version"`
	UpdateURL     string                   `json:"update_url"`
	KnownBad      []okcare.KnownBadVersion `json:"known_bad"`
}

func (s *Server) handleSetRelease(w http.ResponseWriter, r *http.Request) {
	var req releaseRequest
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	p := &okcare.ReleasePolicy{Platform: r.PathValue("platform"), MinVersion: req.MinVersion, LatestVersion: req.LatestVersion,
		MinOSVersion: req.MinOSVersion, UpdateURL: req.UpdateURL, KnownBad: req.KnownBad, UpdatedBy: "agent:" + agentFrom(r).ID}
	if err := s.Store.SetReleasePolicy(r.Context(), p); err != nil {
		s.Error(w, r, err)
		return
	}
	s.launch.invalidate()
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleGetRelease(w http.ResponseWriter, r *http.Request) {
	p, err := s.Store.ReleasePolicy(r.Context(), r.PathValue("platform"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleListIncidents(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Incidents(r.Context(), r.URL.Query().Get("active") == "true")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": list})
}

func (s *Server) handleCreateIncident(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title     string                  `json:"title"`
		Message   string                  `json:"message"`
		TitleEN   string                  `json:"title_en"`
		MessageEN string                  `json:"message_en"`
		Severity  okcare.IncidentSeverity `json:"severity"`
		Status    string                  `json:"status"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	inc := &okcare.Incident{Title: req.Title, Message: req.Message, TitleEN: req.TitleEN, MessageEN: req.MessageEN, Severity: req.Severity, Status: req.Status, By: "agent:" + agentFrom(r).ID}
	if err := s.Store.CreateIncident(r.Context(), inc); err != nil {
		s.Error(w, r, err)
		return
	}
	s.launch.invalidate()
	writeJSON(w, http.StatusCreated, inc)
}

func (s *Server) handlePatchIncident(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title     *string                  `json:"title"`
		Message   *string                  `json:"message"`
		TitleEN   *string                  `json:"title_en"`
		MessageEN *string                  `json:"message_en"`
		Severity  *okcare.IncidentSeverity `json:"severity"`
		Status    *string                  `json:"status"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	inc, err := s.Store.UpdateIncident(r.Context(), r.PathValue("id"), okcare.IncidentPatch{By: "agent:" + agentFrom(r).ID, Title: req.Title, Message: req.Message, TitleEN: req.TitleEN, MessageEN: req.MessageEN, Severity: req.Severity, Status: req.Status})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.launch.invalidate()
	writeJSON(w, http.StatusOK, inc)
}

// accountActions maps each admin account action to the state it moves to
// and the states it may start from. Unfreezing is not one of them: it
// needs two staff members (see handleAccountAction).
var accountActions = map[string]struct {
	to   okcare.AccountState
	from []okcare.AccountState
}{
	"freeze":           {okcare.AccountFrozen, []okcare.AccountState{okcare.AccountActive, okcare.AccountLoginRestricted}},
	"restrict-login":   {okcare.AccountLoginRestricted, []okcare.AccountState{okcare.AccountActive}},
	"lift-restriction": {okcare.AccountActive, []okcare.AccountState{okcare.AccountLoginRestricted}},
}

func (s *Server) handleAccountAction(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("action") == okcare.ActionUnfreeze {
		// One admin alone must not be able to release a frozen account.
		s.Error(w, r, okcare.Errorf(okcare.EFORBIDDEN, "An unfreeze needs two staff members: verify the customer on their ticket, request it there (POST /api/v1/agent/tickets/{id}/actions/unfreeze) and have another staff member approve it."))
		return
	}
	action, ok := accountActions[r.PathValue("action")]
	if !ok {
		s.Error(w, r, okcare.Errorf(okcare.ENOTFOUND, "Unknown account action; use freeze, restrict-login or lift-restriction."))
		return
	}
	var req struct {
		Reason string     `json:"reason"`
		Until  *time.Time `json:"until,omitempty"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.Store.FindUserByID(r.Context(), r.PathValue("user_id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	allowed := false
	for _, from := range action.from {
		allowed = allowed || u.EffectiveState(s.Now()) == from
	}
	if !allowed {
		s.Error(w, r, okcare.Errorf(okcare.ECONFLICT, "The account is %s; %s does not apply.", u.EffectiveState(s.Now()), r.PathValue("action")))
		return
	}
	u, err = s.Store.ChangeState(r.Context(), okcare.StateChangeRequest{UserID: u.ID, To: action.to, Reason: req.Reason, Actor: "agent:" + agentFrom(r).ID, Until: req.Until})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) handleAccountView(w http.ResponseWriter, r *http.Request) {
	u, err := s.Store.FindUserByID(r.Context(), r.PathValue("user_id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	hist, err := s.Store.StateHistory(r.Context(), u.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sessions, err := s.Store.ListSessions(r.Context(), u.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "state_history": nonNil(hist), "sessions": nonNil(sessions)})
}

func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Outbox(r.Context(), 200)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": nonNil(list)})
}

// handleAgentLogout ends the calling staff session (and its chat sockets).
func (s *Server) handleAgentLogout(w http.ResponseWriter, r *http.Request) {
	tok := bearer(r)
	if err := s.Store.AgentLogout(r.Context(), tok); err != nil {
		s.Error(w, r, err)
		return
	}
	s.staffSockets.closeAll(tok)
	w.WriteHeader(http.StatusNoContent)
}
