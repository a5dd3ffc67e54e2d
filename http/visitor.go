package http

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// Many customers in China share one public address (carrier-grade NAT), so
// new tickets, chats and callbacks are limited per customer, not per
// address: per signed-in account, else per browser. A browser is known by
// visitorCookie, a random id the server signs when it first shows that
// browser a page (the cheap challenge: a client that never loaded a page
// has none). Only clients with neither share their address's allowance,
// and every address also has a ceiling sized for thousands of customers,
// so a flood from one place is still refused.
const visitorCookie = "okc_visitor"

// visitorMACSize is how much of the HMAC-SHA256 the cookie carries.
const visitorMACSize = 16

// visitorKey returns the key that signs visitor cookies: Server.VisitorKey
// (shared by every node), else one made for this process.
func (s *Server) visitorKey() []byte {
	s.visitorOnce.Do(func() {
		if len(s.VisitorKey) == 0 {
			s.VisitorKey = make([]byte, 32)
			rand.Read(s.VisitorKey)
		}
	})
	return s.VisitorKey
}

func (s *Server) signVisitor(id string) string {
	mac := hmac.New(sha256.New, s.visitorKey())
	mac.Write([]byte(id))
	return id + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:visitorMACSize])
}

// visitorID returns the browser's id if its cookie is one this server
// signed, else "".
func (s *Server) visitorID(r *http.Request) string {
	c, err := r.Cookie(visitorCookie)
	if err != nil || len(c.Value) > 100 {
		return ""
	}
	id, _, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(s.signVisitor(id)), []byte(c.Value)) {
		return ""
	}
	return id
}

// ensureVisitor gives a browser its signed id the first time it sees a page.
func (s *Server) ensureVisitor(w http.ResponseWriter, r *http.Request) {
	if s.visitorID(r) != "" {
		return
	}
	secure := r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
	http.SetCookie(w, &http.Cookie{Name: visitorCookie, Value: s.signVisitor(token.New("vis_")), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// contactAllowed applies the limits on new tickets, chats and callback
// requests: the customer's own allowance (account, else browser, else the
// address for clients with neither), then the address's ceiling. The
// ceiling is asked only for requests the customer's allowance let through,
// so one noisy client cannot spend its neighbours' share.
func (s *Server) contactAllowed(r *http.Request) error {
	now, ip := s.Now(), s.clientIP(r)
	who := "ip:" + ip
	if u, _ := s.optionalUser(r); u != nil {
		who = "user:" + u.ID
	} else if u := s.customer(r); u != nil {
		who = "user:" + u.ID
	} else if v := s.visitorID(r); v != "" {
		who = "visitor:" + v
	}
	if !s.ContactLimiter.Allow("contact:"+who, now) || !s.ContactCeiling.Allow("ceiling:"+ip, now) {
		return okcare.Errorf(okcare.ERATELIMITED, "Too many new requests; try again in a few minutes.")
	}
	return nil
}
