package http

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/okcare/okcare"
)

// Wallet cases in the console: a transaction looked up by its id or
// on-chain hash from the search box, and an account frozen at once from
// its ticket (one person may freeze; unfreezing needs two).

// actionFreeze is the ticket action that freezes the linked account.
const actionFreeze = "freeze"

func (s *Server) handleFreezeFromTicket(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Reason string `json:"reason"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.Store.FreezeFromTicket(r.Context(), r.PathValue("id"), agentFrom(r).ID, req.Reason)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) handleFindTransaction(w http.ResponseWriter, r *http.Request) {
	v, err := s.Store.FindTransaction(r.Context(), r.PathValue("ref"), agentFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) registerWalletCases() {
	s.mux.HandleFunc("GET /console/search", s.staff(okcare.RoleAgent, s.consoleSearch))
	s.mux.HandleFunc("POST /console/tickets/{id}/freeze", s.staff(okcare.RoleAgent, s.ticketAction(func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.FreezeFromTicket(r.Context(), id, a.ID, r.PostFormValue("reason"))
		return err
	})))
}

// consoleSearch finds what staff typed: a ticket number (#123), a
// transaction's id, its journal entry's id or its on-chain hash.
func (s *Server) consoleSearch(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := map[string]any{"Query": q}
	if n, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil && n > 0 && len(q) <= 12 {
		t, err := s.Store.FindTicketByNumber(r.Context(), n)
		if err == nil {
			http.Redirect(w, r, "/console/tickets/"+url.PathEscape(t.ID), http.StatusSeeOther)
			return
		} else if okcare.ErrorCode(err) != okcare.ENOTFOUND {
			s.consoleError(w, r, lang, a, err)
			return
		}
	} else if q != "" {
		v, err := s.Store.FindTransaction(r.Context(), q, a.ID)
		if err == nil {
			data["Transaction"] = v
		} else if okcare.ErrorCode(err) != okcare.ENOTFOUND {
			s.consoleError(w, r, lang, a, err)
			return
		}
	}
	status := http.StatusOK
	if q != "" && data["Transaction"] == nil {
		status = http.StatusNotFound
	}
	s.renderConsole(w, r, status, "console_search.html", lang, a, consoleText[lang]["search"], data)
}
