package http

import (
	"net/http"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/launch"
)

// handleBootstrap answers the app's first call on opening. The bearer token
// is optional: an invalid one is ignored rather than refused, so an app with
// a stale session still learns whether it must update.
func (s *Server) handleBootstrap(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := launch.Input{Platform: q.Get("platform"), AppVersion: q.Get("app_version"), OSVersion: q.Get("os_version"), Now: s.Now()}
	if !okcare.ValidPlatform(in.Platform) {
		s.Error(w, r, okcare.Errorf(okcare.EINVALID, "platform must be android or ios."))
		return
	}
	var err error
	if in.Policy, err = s.launch.policy(r.Context(), s.Store, in.Platform, in.Now); err != nil {
		s.Error(w, r, err)
		return
	}
	if in.Incidents, err = s.launch.activeIncidents(r.Context(), s.Store, in.Now); err != nil {
		s.Error(w, r, err)
		return
	}
	if tok := bearer(r); tok != "" {
		// Only the account's state: the lookup that reads the least.
		if u, err := s.Store.AuthenticateAccount(r.Context(), tok); err == nil {
			in.User = u
		} else if okcare.ErrorCode(err) != okcare.EUNAUTHORIZED {
			s.Error(w, r, err)
			return
		}
	}
	res, err := launch.Decide(in)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
