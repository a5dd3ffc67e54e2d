package http

import (
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/token"
)

//go:embed html/*.html
var htmlFiles embed.FS

//go:embed assets/app.css
var appCSS []byte

//go:embed assets/wizard.js
var wizardJS []byte

//go:embed assets/chat.js
var chatJS []byte

// hashedURL names an asset by a hash of its content, so it can be cached
// for ever and a new build is fetched at once.
func hashedURL(name, ext string, content []byte) string {
	sum := sha256.Sum256(content)
	return "/assets/" + name + "." + hex.EncodeToString(sum[:6]) + ext
}

var (
	cssURL    = hashedURL("app", ".css", appCSS)
	jsURL     = hashedURL("wizard", ".js", wizardJS)
	chatJSURL = hashedURL("chat", ".js", chatJS)
)

// pageLang picks the language: the form's lang (once the form is parsed),
// ?lang=, then the cookie, then Accept-Language, then Chinese. An explicit
// choice is remembered. It never reads the body itself: that is for the
// form parsers, which bound it first.
func pageLang(w http.ResponseWriter, r *http.Request) string {
	l := r.URL.Query().Get("lang")
	if v := r.PostForm.Get("lang"); v != "" {
		l = v
	}
	if okcare.ValidLang(l) {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && okcare.ValidLang(c.Value) {
		return c.Value
	}
	if al := strings.ToLower(r.Header.Get("Accept-Language")); strings.HasPrefix(al, "en") {
		return okcare.LangEN
	}
	return okcare.LangZH
}

// switchURL is the current page in the other language.
func switchURL(r *http.Request, lang string) string {
	other := okcare.LangEN
	if lang == okcare.LangEN {
		other = okcare.LangZH
	}
	q := r.URL.Query()
	q.Set("lang", other)
	path := r.URL.Path
	if r.Method != http.MethodGet {
		path = "/help" // a result page cannot be re-posted; go home
		q = map[string][]string{"lang": {other}}
	}
	return path + "?" + q.Encode()
}

// csrfToken returns the double-submit token, setting its cookie if needed.
// Forms carry it back; a POST whose field and cookie differ is refused.
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie("csrf"); err == nil && len(c.Value) >= 26 {
		return c.Value
	}
	return newCSRFToken(w, r)
}

// newCSRFToken sets a fresh double-submit token. Signing in rotates it, so
// a token planted or seen before the sign-in is worth nothing after it.
func newCSRFToken(w http.ResponseWriter, r *http.Request) string {
	tok := token.New("")
	secure := r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
	http.SetCookie(w, &http.Cookie{Name: "csrf", Value: tok, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	return tok
}

func checkCSRF(r *http.Request) error {
	c, err := r.Cookie("csrf")
	if err != nil || len(c.Value) < 26 || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		return okcare.Errorf(okcare.EFORBIDDEN, "The form expired; reload the page and try again.")
	}
	return nil
}

func (s *Server) templates() *template.Template {
	s.tmplOnce.Do(func() {
		funcs := template.FuncMap{
			"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
			"fmtTime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
			"fmtDate": func(t time.Time) string { return t.In(chinaCalendar.Location).Format("2006-01-02 15:04 (UTC+8)") },
			"fmtWhen": func(t *time.Time) string {
				if t == nil {
					return "—"
				}
				return t.In(chinaCalendar.Location).Format("01-02 15:04")
			},
			"left":       func(now time.Time, due *time.Time) string { return timeLeftPtr(now, due) },
			"late":       func(now time.Time, due *time.Time) bool { return due != nil && now.After(*due) },
			"label":      labelAny,
			"actor":      actorName,
			"note":       noteText,
			"cause":      diagnose.Title,
			"ticketRows": ticketRows,
			"join":       strings.Join,
			"hasPrefix":  strings.HasPrefix,
			"add":        func(a, b int) int { return a + b },
			"sub":        func(a, b int) int { return a - b },
			"chatJS":     func() string { return chatJSURL },
			"list":       func(v ...string) []string { return v },
			"dict": func(kv ...any) map[string]any {
				m := map[string]any{}
				for i := 0; i+1 < len(kv); i += 2 {
					m[kv[i].(string)] = kv[i+1]
				}
				return m
			},
		}
		s.tmpl = template.Must(template.New("").Funcs(funcs).ParseFS(htmlFiles, "html/*.html"))
	})
	return s.tmpl
}

// render writes a page; data fields are reachable at the top level of the
// template through the embedded map.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, lang, title string, data map[string]any) {
	s.ensureVisitor(w, r)
	p := map[string]any{"Lang": lang, "Title": title, "CSS": cssURL, "JS": jsURL, "SwitchURL": switchURL(r, lang), "CSRF": csrfToken(w, r), "T": uiText[lang],
		"SignedIn": s.customer(r) != nil}
	for k, v := range data {
		p[k] = v
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	w.WriteHeader(status)
	if err := s.templates().ExecuteTemplate(w, name, p); err != nil {
		s.Logger.Error("render", "template", name, "error", err)
	}
}

// asset serves embedded content under its hashed URL.
func asset(contentType string, content []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(content)
	}
}
