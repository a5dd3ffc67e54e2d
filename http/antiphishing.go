package http

import (
	"net/http"

	"github.com/okcare/okcare"
)

// The anti-phishing code: a signed-in customer sets it on the help
// center's account page (or through the API); every genuine mail and SMS
// then carries it (see notice.WithAntiPhishing).

func (s *Server) handleGetAntiPhishing(w http.ResponseWriter, r *http.Request) {
	code, err := s.Store.AntiPhishingCode(r.Context(), userFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"code": code})
}

func (s *Server) handleSetAntiPhishing(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Store.SetAntiPhishingCode(r.Context(), userFrom(r).ID, req.Code); err != nil {
		s.Error(w, r, err)
		return
	}
	s.handleGetAntiPhishing(w, r)
}

// pageAccount is the signed-in customer's account-safety page.
func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	u := s.customer(r)
	if u == nil {
		http.Redirect(w, r, signInURL(r, lang), http.StatusSeeOther)
		return
	}
	s.renderAccount(w, r, http.StatusOK, lang, u, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, lang string, u *okcare.User, data map[string]any) {
	code, err := s.Store.AntiPhishingCode(r.Context(), u.ID)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Code"] = code
	w.Header().Set("Cache-Control", "no-store") // the code is shown
	s.render(w, r, status, "account.html", lang, tr(lang, "account_title"), data)
}

func (s *Server) pageSetAntiPhishing(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	u := s.customer(r)
	if u == nil {
		http.Redirect(w, r, "/support/login?lang="+lang+"&next=/support/account", http.StatusSeeOther)
		return
	}
	code := r.PostFormValue("code")
	switch err := s.Store.SetAntiPhishingCode(r.Context(), u.ID, code); okcare.ErrorCode(err) {
	case "":
		saved := tr(lang, "ap_saved")
		if code == "" {
			saved = tr(lang, "ap_removed")
		}
		s.renderAccount(w, r, http.StatusOK, lang, u, map[string]any{"Saved": saved})
	case okcare.EINVALID:
		s.renderAccount(w, r, http.StatusBadRequest, lang, u, map[string]any{"Error": selfServiceError(lang, err, "ap_err")})
	default:
		s.pageError(w, r, lang, err)
	}
}
