package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
)

type contextKey int

const (
	sessionKey contextKey = iota
	userKey
	agentKey
)

// bearer returns the token of an "Authorization: Bearer" header, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// user wraps a handler that needs a signed-in end user.
func (s *Server) user(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, u, err := s.Store.Authenticate(r.Context(), bearer(r))
		if err != nil {
			s.Error(w, r, err)
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), sessionKey, sess), userKey, u)
		h(w, r.WithContext(ctx))
	}
}

// agent wraps a handler that needs a staff member with at least role min.
func (s *Server) agent(min okcare.AgentRole, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Store.AuthenticateAgent(r.Context(), bearer(r))
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if a.MFAPending {
			s.Error(w, r, okcare.Errorf(okcare.EFORBIDDEN, "Set up two-factor authentication in the console first."))
			return
		}
		if !a.Role.AtLeast(min) {
			s.Error(w, r, okcare.Errorf(okcare.EFORBIDDEN, "This needs the %s role.", min))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), agentKey, a)))
	}
}

func sessionFrom(r *http.Request) *okcare.Session {
	return r.Context().Value(sessionKey).(*okcare.Session)
}
func userFrom(r *http.Request) *okcare.User   { return r.Context().Value(userKey).(*okcare.User) }
func agentFrom(r *http.Request) *okcare.Agent { return r.Context().Value(agentKey).(*okcare.Agent) }
