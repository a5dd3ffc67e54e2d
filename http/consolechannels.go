package http

import (
	"net/http"
	"net/url"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/official"
)

// The console's list of official channels (admins): what /verify checks
// against. A removed channel stays in the history below the list; every
// change is in the audit log.

func (s *Server) registerConsoleChannels() {
	s.mux.HandleFunc("GET /console/channels", s.staff(okcare.RoleAdmin, s.consoleChannels))
	s.mux.HandleFunc("POST /console/channels", s.staff(okcare.RoleAdmin, s.consoleAddChannel))
	s.mux.HandleFunc("POST /console/channels/{id}/remove", s.staff(okcare.RoleAdmin, s.consoleRemoveChannel))
	s.registerWalletCases()
}

func (s *Server) consoleChannels(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	all, err := s.Store.OfficialChannels(r.Context(), true)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	team, err := s.Store.Team(r.Context())
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	var current, removed []*okcare.OfficialChannel
	for _, c := range all {
		if c.RemovedAt == nil {
			current = append(current, c)
		} else {
			removed = append(removed, c)
		}
	}
	s.renderConsole(w, r, http.StatusOK, "console_channels.html", lang, a, consoleText[lang]["channels"], map[string]any{
		"Current": current, "Removed": removed, "Kinds": official.Kinds, "Names": staffNames(team)})
}

func (s *Server) consoleAddChannel(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	c := &okcare.OfficialChannel{Kind: r.PostFormValue("kind"), Value: r.PostFormValue("value"), NoteZH: r.PostFormValue("note_zh"), NoteEN: r.PostFormValue("note_en")}
	if err := s.Store.AddOfficialChannel(r.Context(), c, "agent:"+a.ID); err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, "/console/channels", http.StatusSeeOther)
}

func (s *Server) consoleRemoveChannel(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	if err := s.Store.RemoveOfficialChannel(r.Context(), r.PathValue("id"), "agent:"+a.ID); err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, "/console/channels?removed="+url.QueryEscape(r.PathValue("id")), http.StatusSeeOther)
}
