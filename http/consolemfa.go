package http

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
)

// Staff set up their second factor at their first sign-in: the page shows
// a new seed for their authenticator app, a code from it confirms it, and
// the recovery codes are shown once.

func (s *Server) consoleTOTPForm(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	if !a.MFAPending {
		http.Redirect(w, r, "/console", http.StatusSeeOther)
		return
	}
	enr, err := s.Store.BeginAgentTOTP(r.Context(), a.ID)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	s.renderConsole(w, r, http.StatusOK, "console_2fa.html", lang, a, consoleText[lang]["totp_title"], map[string]any{"Enrolment": enr, "Link": otpauthLink(enr)})
}

func (s *Server) consoleTOTPConfirm(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	codes, err := s.Store.ConfirmAgentTOTP(r.Context(), a.ID, r.PostFormValue("code"))
	if okcare.ErrorCode(err) == okcare.ETOTPINVALID {
		enr, berr := s.Store.BeginAgentTOTP(r.Context(), a.ID)
		if berr != nil {
			s.consoleError(w, r, lang, a, berr)
			return
		}
		setErrorCode(w, err)
		s.renderConsole(w, r, http.StatusBadRequest, "console_2fa.html", lang, a, consoleText[lang]["totp_title"], map[string]any{"Enrolment": enr, "Link": otpauthLink(enr), "Error": consoleText[lang]["bad_totp"]})
		return
	} else if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	a.MFAPending = false
	s.renderConsole(w, r, http.StatusOK, "console_2fa.html", lang, a, consoleText[lang]["totp_title"], map[string]any{"Codes": codes})
}

// otpauthLink is the enrolment's otpauth:// URL as a link: okcare made it,
// so the template may keep a scheme it would otherwise neutralise.
func otpauthLink(enr *okcare.TOTPEnrolment) template.URL {
	if !strings.HasPrefix(enr.OTPAuthURL, "otpauth://totp/") {
		return ""
	}
	return template.URL(enr.OTPAuthURL)
}
