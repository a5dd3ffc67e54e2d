package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/okcare/okcare"
)

// The help center's self-service for customers who cannot sign in: the
// emergency freeze (and the forgotten password). The store answers the
// same for contacts without an account; these handlers add a throttle per
// client address in front.

// selfServiceAllowed takes one request of kind from the client's address.
func (s *Server) selfServiceAllowed(r *http.Request, kind string) error {
	if !s.SelfServiceLimiter.Allow(kind+":"+s.clientIP(r), s.Now()) {
		return okcare.Errorf(okcare.ERATELIMITED, "Too many requests from this address; wait a few minutes.")
	}
	return nil
}

// selfServiceStart answers the API request that starts a self-service
// flow for a contact (an emergency freeze, a password reset): decode,
// throttle the kind, start, answer 202 with what start returns.
func (s *Server) selfServiceStart(kind string, start func(ctx context.Context, contact, lang string) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Contact string `json:"contact"`
			Lang    string `json:"lang"`
		}
		if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
			s.Error(w, r, err)
			return
		}
		if err := s.selfServiceAllowed(r, kind); err != nil {
			s.Error(w, r, err)
			return
		}
		out, err := start(r.Context(), req.Contact, req.Lang)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusAccepted, out)
	}
}

func (s *Server) handleStartSelfFreeze(w http.ResponseWriter, r *http.Request) {
	s.selfServiceStart("freeze", func(ctx context.Context, contact, lang string) (any, error) {
		return s.Store.StartSelfFreeze(ctx, contact, lang)
	})(w, r)
}

func (s *Server) handleConfirmSelfFreeze(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
		Note string `json:"note"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.selfServiceAllowed(r, "freeze-confirm"); err != nil {
		s.Error(w, r, err)
		return
	}
	res, err := s.Store.ConfirmSelfFreeze(r.Context(), r.PathValue("id"), req.Code, req.Note)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// freezePage renders a step of the emergency-freeze page: "start" (the
// contact), "code" (the code and what happened) or "done".
func (s *Server) freezePage(w http.ResponseWriter, r *http.Request, status int, lang, step string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["Step"] = step
	title := tr(lang, "freeze_title")
	if step == "done" {
		title = tr(lang, "freeze_done_title")
	}
	s.render(w, r, status, "freeze.html", lang, title, data)
}

// selfServiceError says why a step was refused: for bad input, the page's
// own words (invalidKey) in Chinese, the store's precise message in
// English; anything else as every page says it.
func selfServiceError(lang string, err error, invalidKey string) string {
	if okcare.ErrorCode(err) == okcare.EINVALID && lang != okcare.LangEN {
		return tr(lang, invalidKey)
	}
	return customerErrorText(lang, err)
}

func (s *Server) pageSelfFreezeForm(w http.ResponseWriter, r *http.Request) {
	s.freezePage(w, r, http.StatusOK, pageLang(w, r), "start", nil)
}

// refusedStatus is the status of a page that shows why a step was
// refused.
func refusedStatus(err error) int {
	if status, ok := codeStatus[okcare.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

func (s *Server) pageStartSelfFreeze(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	contact := strings.TrimSpace(r.PostFormValue("contact"))
	err := s.selfServiceAllowed(r, "freeze")
	var sf *okcare.SelfFreeze
	if err == nil {
		sf, err = s.Store.StartSelfFreeze(r.Context(), contact, lang)
	}
	if okcare.ErrorCode(err) == okcare.EINTERNAL {
		s.pageError(w, r, lang, err)
		return
	} else if err != nil {
		s.freezePage(w, r, refusedStatus(err), lang, "start", map[string]any{"Contact": contact, "Error": selfServiceError(lang, err, "freeze_err_contact")})
		return
	}
	s.freezePage(w, r, http.StatusOK, lang, "code", map[string]any{"Request": sf.ID, "SentTo": sf.SentTo,
		"SentText": fill(tr(lang, "freeze_sent"), "to", sf.SentTo)})
}

func (s *Server) pageConfirmSelfFreeze(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	id, sentTo, note := r.PostFormValue("request"), r.PostFormValue("sent_to"), r.PostFormValue("note")
	err := s.selfServiceAllowed(r, "freeze-confirm")
	var res *okcare.SelfFreezeResult
	if err == nil {
		res, err = s.Store.ConfirmSelfFreeze(r.Context(), id, r.PostFormValue("code"), note)
	}
	switch okcare.ErrorCode(err) {
	case "":
	case okcare.EINVALID, okcare.ERATELIMITED:
		s.freezePage(w, r, refusedStatus(err), lang, "code", map[string]any{"Request": id, "SentTo": sentTo, "Note": note,
			"SentText": fill(tr(lang, "freeze_sent"), "to", sentTo), "Error": selfServiceError(lang, err, "freeze_err_code")})
		return
	default:
		s.pageError(w, r, lang, err)
		return
	}
	done := fill(tr(lang, "freeze_done_text"), "n", strconv.Itoa(res.SessionsRevoked))
	if res.AlreadyFrozen {
		done = tr(lang, "freeze_done_already")
	}
	s.freezePage(w, r, http.StatusOK, lang, "done", map[string]any{"DoneText": done,
		"TicketText": fill(tr(lang, "freeze_done_ticket"), "number", strconv.FormatInt(res.TicketNumber, 10))})
}
