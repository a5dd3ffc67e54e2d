package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
)

// Forgot password: a customer who cannot sign in asks for a link at
// /support/forgot (or the API); the link opens /reset-password, which sets
// the new password with the token (POST /api/v1/password-resets does the
// same for the app).

func (s *Server) handleRequestPasswordReset(w http.ResponseWriter, r *http.Request) {
	s.selfServiceStart("reset", func(ctx context.Context, contact, lang string) (any, error) {
		return s.Store.RequestPasswordReset(ctx, contact, lang)
	})(w, r)
}

func (s *Server) pageForgotForm(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	s.render(w, r, http.StatusOK, "forgot.html", lang, tr(lang, "forgot_title"), nil)
}

func (s *Server) pageForgot(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	contact := strings.TrimSpace(r.PostFormValue("contact"))
	err := s.selfServiceAllowed(r, "reset")
	var rr *okcare.ResetRequest
	if err == nil {
		rr, err = s.Store.RequestPasswordReset(r.Context(), contact, lang)
	}
	if okcare.ErrorCode(err) == okcare.EINTERNAL {
		s.pageError(w, r, lang, err)
		return
	} else if err != nil {
		s.render(w, r, refusedStatus(err), "forgot.html", lang, tr(lang, "forgot_title"), map[string]any{"Contact": contact, "Error": selfServiceError(lang, err, "freeze_err_contact")})
		return
	}
	s.render(w, r, http.StatusOK, "forgot.html", lang, tr(lang, "forgot_title"), map[string]any{"SentText": fill(tr(lang, "forgot_sent"), "to", rr.SentTo)})
}

// renderReset renders the reset page; it carries the token, so it is
// never cached (and, like every page, sends no Referer onwards).
func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, lang string, data map[string]any) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "reset.html", lang, tr(lang, "reset_title"), data)
}

func (s *Server) pageResetForm(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	tok := r.URL.Query().Get("token")
	if err := s.Store.CheckPasswordReset(r.Context(), tok); okcare.ErrorCode(err) == okcare.EUNAUTHORIZED {
		s.renderReset(w, r, http.StatusUnauthorized, lang, map[string]any{"Bad": true})
		return
	} else if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	s.renderReset(w, r, http.StatusOK, lang, map[string]any{"Token": tok})
}

func (s *Server) pageReset(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	tok, pw := r.PostFormValue("token"), r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		s.renderReset(w, r, http.StatusBadRequest, lang, map[string]any{"Token": tok, "Error": tr(lang, "reset_mismatch")})
		return
	}
	if !s.LoginLimiter.Allow("reset:"+s.clientIP(r), s.Now()) {
		s.renderReset(w, r, http.StatusTooManyRequests, lang, map[string]any{"Token": tok, "Error": customerErrorText(lang, okcare.Errorf(okcare.ERATELIMITED, "Too many attempts; wait a minute."))})
		return
	}
	switch err := s.Store.ResetPassword(r.Context(), tok, pw); okcare.ErrorCode(err) {
	case "":
		s.renderReset(w, r, http.StatusOK, lang, map[string]any{"Done": true})
	case okcare.EUNAUTHORIZED:
		s.renderReset(w, r, http.StatusUnauthorized, lang, map[string]any{"Bad": true})
	case okcare.EWEAKPASSWORD:
		s.renderReset(w, r, http.StatusBadRequest, lang, map[string]any{"Token": tok, "Error": customerErrorText(lang, err)})
	default:
		s.pageError(w, r, lang, err)
	}
}
