package http

import (
	"net/http"

	"github.com/okcare/okcare"
)

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var req okcare.RegisterRequest
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if !s.LoginLimiter.Allow("register:"+s.clientIP(r), s.Now()) {
		s.Error(w, r, okcare.Errorf(okcare.ERATELIMITED, "Too many requests; wait a minute."))
		return
	}
	u, err := s.Store.Register(r.Context(), req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// loginResponse is the answer to a successful login; the token appears here
// once and nowhere else.
type loginResponse struct {
	Token   string          `json:"token"`
	Session *okcare.Session `json:"session"`
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req okcare.LoginRequest
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	req.IP = s.clientIP(r)
	if !s.LoginLimiter.Allow("login:"+req.IP, s.Now()) {
		s.Error(w, r, okcare.Errorf(okcare.ERATELIMITED, "Too many sign-in attempts from this address; wait a minute."))
		return
	}
	sess, tok, err := s.Store.Login(r.Context(), req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, loginResponse{Token: tok, Session: sess})
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, userFrom(r))
}

func (s *Server) handleListSessions(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.ListSessions(r.Context(), userFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	current := sessionFrom(r).ID
	for _, sess := range list {
		sess.Current = sess.ID == current
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": nonNil(list)})
}

func (s *Server) handleRevokeSession(w http.ResponseWriter, r *http.Request) {
	if err := s.Store.RevokeSession(r.Context(), userFrom(r).ID, r.PathValue("id")); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
		TOTPCode        string `json:"totp_code"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.ChangePassword(r.Context(), userFrom(r).ID, sessionFrom(r).ID, req.CurrentPassword, req.NewPassword, req.TOTPCode); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleBeginTOTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Password string `json:"password"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	enr, err := s.Store.BeginTOTP(r.Context(), userFrom(r).ID, req.Password)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, enr)
}

func (s *Server) handleConfirmTOTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	codes, err := s.Store.ConfirmTOTP(r.Context(), userFrom(r).ID, req.Code)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"recovery_codes": codes})
}

func (s *Server) handleDisableTOTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Password string `json:"password"`
		Code     string `json:"code"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.DisableTOTP(r.Context(), userFrom(r).ID, req.Password, req.Code); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
