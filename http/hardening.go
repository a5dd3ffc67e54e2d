package http

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

// cleanText reports whether s is valid UTF-8 without NUL: everything
// okcare stores must be, on both stores (PostgreSQL refuses the rest with
// an error a client must never cause; SQLite would keep the bytes).
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// cleanValues reports whether every key and value of vs is clean text.
func cleanValues(vs url.Values) bool {
	for k, list := range vs {
		if !cleanText(k) {
			return false
		}
		for _, v := range list {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}

var errDirtyText = okcare.Errorf(okcare.EINVALIDUTF8, "The request contains bytes that are not valid UTF-8 text, or a NUL.")

// cleanRequest refuses a request whose path or query is not clean text,
// before any handler sees it. Forms are checked when they are parsed.
func (s *Server) cleanRequest(w http.ResponseWriter, r *http.Request) bool {
	if cleanText(r.URL.Path) {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err == nil && cleanValues(q) {
			return true
		}
	}
	if wantsPage(r) {
		s.pageError(w, r, okcare.LangZH, errDirtyText)
	} else {
		s.Error(w, r, errDirtyText)
	}
	return false
}

// wantsPage reports whether r is a browser's request for a page rather
// than an API client's.
func wantsPage(r *http.Request) bool {
	api := strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/app/")
	return !api && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// securityHeaders are set on every answer; HSTS only where the browser
// reached us over HTTPS (directly or through a TLS proxy we trust).
func (s *Server) securityHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if s.secureRequest(r) {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// clientIP is the address a request came from. Behind a proxy
// (TrustProxy), X-Forwarded-For is read from the right: each trusted proxy
// (TrustedProxies; the one that connected is always trusted) appended the
// address it saw, so the right-most address that is not a trusted proxy is
// the client. Entries to its left are whatever the client claimed.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.TrustProxy {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		addr, err := netip.ParseAddr(hop)
		if err != nil {
			break // a malformed hop: trust nothing further left
		}
		if !s.trustedProxy(addr) {
			return addr.String()
		}
		host = addr.String()
	}
	return host
}

// trustedProxy reports whether addr is one of the configured proxies.
func (s *Server) trustedProxy(addr netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}

// metricsAllowed guards /metrics: with MetricsToken set, the request must
// carry it as a bearer token; without one, only the machine itself (a
// loopback connection) may read them.
func (s *Server) metricsAllowed(r *http.Request) bool {
	if s.MetricsToken != "" {
		return subtle.ConstantTimeCompare([]byte(bearer(r)), []byte(s.MetricsToken)) == 1
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
}
