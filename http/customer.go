package http

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// Customer web sessions: a wallet user signs in on the help center with
// their wallet login, on a cookie of its own (staff sign in on /console
// with another). Signed in, the forms attach their account and "My
// requests" lists their tickets from every channel.
const (
	customerCookie = "okc_session"
	deviceCookie   = "okc_device"     // the browser's device id, for the session list
	deviceKeyName  = "okc_device_key" // the key proving this browser signed in here before
)

// customer returns the signed-in customer of a help-center request, or nil.
// A page asks more than once (its handler, then the layout): the answer is
// kept for the request.
func (s *Server) customer(r *http.Request) *okcare.User {
	memo, _ := r.Context().Value(customerKey).(*customerMemo)
	if memo != nil && memo.done {
		return memo.user
	}
	var u *okcare.User
	if c, err := r.Cookie(customerCookie); err == nil && c.Value != "" {
		if _, found, err := s.Store.Authenticate(r.Context(), c.Value); err == nil {
			u = found
		}
	}
	if memo != nil {
		memo.user, memo.done = u, true
	}
	return u
}

// customerMemo holds a request's signed-in customer once looked up: by
// the help-center cookie (user) and by the app's bearer token (bearer).
type customerMemo struct {
	user *okcare.User
	done bool

	bearerUser *okcare.User
	bearerDone bool
}

type customerKeyType struct{}

// customerKey is the request-context key of a customerMemo.
var customerKey customerKeyType

// browserDevice is the help center's device id for this browser, kept in
// a long-lived cookie.
func (s *Server) browserDevice(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil && strings.HasPrefix(c.Value, "web_") && len(c.Value) <= 64 {
		return c.Value
	}
	id := token.ID("web_")
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: id, Path: "/support", MaxAge: 400 * 24 * 3600, HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteLaxMode})
	return id
}

// safeNext keeps a post-login redirect on our own help-center pages.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/support/") && !strings.HasPrefix(next, "/help") && !strings.HasPrefix(next, "/diagnose") {
		return "/support/requests"
	}
	if strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return "/support/requests"
	}
	return next
}

func (s *Server) pageSignInForm(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	if s.customer(r) != nil {
		http.Redirect(w, r, "/support/requests", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin.html", lang, uiText[lang]["signin_title"], map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) pageSignIn(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	login, next := strings.TrimSpace(r.PostFormValue("login")), safeNext(r.PostFormValue("next"))
	var deviceKey string
	if c, err := r.Cookie(deviceKeyName); err == nil {
		deviceKey = c.Value
	}
	sess, tok, err := s.Store.Login(r.Context(), okcare.LoginRequest{Login: login, Password: r.PostFormValue("password"), TOTPCode: strings.TrimSpace(r.PostFormValue("totp")),
		Device: okcare.Device{ID: s.browserDevice(w, r), Platform: okcare.PlatformWeb, Model: browserName(r.UserAgent())}, DeviceKey: deviceKey, IP: s.clientIP(r)})
	if err != nil {
		if okcare.ErrorCode(err) == okcare.EINTERNAL {
			s.pageError(w, r, lang, err)
			return
		}
		status := codeStatus[okcare.ErrorCode(err)]
		setErrorCode(w, err)
		s.render(w, r, status, "signin.html", lang, uiText[lang]["signin_title"], map[string]any{"Next": next, "Login": login,
			"Error": customerErrorText(lang, err), "NeedTOTP": okcare.ErrorCode(err) == okcare.ETOTPREQUIRED || okcare.ErrorCode(err) == okcare.ETOTPINVALID,
			"Restricted": okcare.ErrorCode(err) == okcare.ELOGINRESTRICTED || okcare.ErrorCode(err) == okcare.EACCOUNTFROZEN})
		return
	}
	// The language they use here is the one their mail and SMS come in.
	if err := s.Store.SetUserLang(r.Context(), sess.UserID, lang); err != nil {
		s.Logger.Warn("sign-in: language not remembered", "error", err)
	}
	if sess.DeviceKey != "" {
		http.SetCookie(w, &http.Cookie{Name: deviceKeyName, Value: sess.DeviceKey, Path: "/support/login", MaxAge: 400 * 24 * 3600, HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteStrictMode})
	}
	http.SetCookie(w, &http.Cookie{Name: customerCookie, Value: tok, Path: "/", HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteLaxMode})
	newCSRFToken(w, r)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) pageSignOut(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	if c, err := r.Cookie(customerCookie); err == nil {
		if sess, u, err := s.Store.Authenticate(r.Context(), c.Value); err == nil {
			if err := s.Store.RevokeSession(r.Context(), u.ID, sess.ID); err != nil {
				s.Logger.Warn("sign-out: session not revoked", "error", err)
			}
		}
	}
	http.SetCookie(w, &http.Cookie{Name: customerCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/help?lang="+lang, http.StatusSeeOther)
}

// browserName is a short device model for the session list ("Chrome on
// Android"), never the whole user agent.
func browserName(ua string) string {
	browser := "Browser"
	for _, b := range []string{"Edg", "Firefox", "Chrome", "Safari"} {
		if strings.Contains(ua, b+"/") {
			browser = map[string]string{"Edg": "Edge"}[b]
			if browser == "" {
				browser = b
			}
			break
		}
	}
	for _, os := range []string{"Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"} {
		if strings.Contains(ua, os) {
			return browser + " on " + os
		}
	}
	return browser
}

// signInURL is the sign-in page that comes back to r's page.
func signInURL(r *http.Request, lang string) string {
	return "/support/login?lang=" + lang + "&next=" + url.QueryEscape(r.URL.RequestURI())
}

// pageMyRequests lists the signed-in customer's tickets from every channel.
func (s *Server) pageMyRequests(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	u := s.customer(r)
	if u == nil {
		http.Redirect(w, r, signInURL(r, lang), http.StatusSeeOther)
		return
	}
	list, err := s.Store.UserTickets(r.Context(), u.ID)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "requests.html", lang, uiText[lang]["requests_title"], map[string]any{"Tickets": list, "Customer": u})
}
