// Package official answers "is this really OK Wallet?" for a phone
// number, email address, website or chat account someone was contacted
// from: it is official only if it is on the list of official channels;
// anything else is not, and the ones made to look like ours (a homoglyph,
// a typo, our name with extra words, a number a digit or two away) are
// called out as lookalikes, the scammer's tools. It is pure: the list
// comes from the caller.
package official

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/idna"
)

// Kinds of channel.
const (
	Phone    = "phone"
	Email    = "email"
	Website  = "website"
	Telegram = "telegram"
	WeChat   = "wechat"
	WhatsApp = "whatsapp"
	// Handle is what Check resolves a bare account name to when no kind
	// is given and it could be Telegram or WeChat.
	Handle = "handle"
)

// Kinds lists the kinds a channel on the list can have.
var Kinds = []string{Phone, Email, Website, Telegram, WeChat, WhatsApp}

// Channel is an official channel: its kind and its normalized value.
type Channel struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Signs a lookalike shows.
const (
	SignHomoglyph      = "homoglyph"       // letters or digits that look like ours (0 for o, Cyrillic а)
	SignTypo           = "typo"            // one or two characters away from ours
	SignBrandWords     = "brand_words"     // our name with other words around it
	SignOtherDomain    = "other_domain"    // our name under another top-level domain
	SignCloseNumber    = "close_number"    // a digit or two away from our number, or ours with extra digits
	SignOfficialDomain = "official_domain" // an address at our domain that we never write from
)

// Verdict is the answer about one channel.
type Verdict struct {
	Kind     string `json:"kind"`
	Value    string `json:"value"` // normalized
	Official bool   `json:"official"`
	// Match is the channel of the list it is, when official.
	Match *Channel `json:"match,omitempty"`
	// Lookalike: not official, and made to look like an official channel
	// (Like, with the Signs).
	Lookalike bool     `json:"lookalike"`
	Like      *Channel `json:"like,omitempty"`
	Signs     []string `json:"signs,omitempty"`
	// NoneOfKind: OK Wallet has no official channel of this kind at all.
	NoneOfKind bool `json:"none_of_kind"`
}

// ErrInvalid is returned for input that is not a channel of the kind.
var ErrInvalid = errors.New("not a phone number, email address, website or chat account")

// MaxInput bounds what Check reads.
const MaxInput = 254

var (
	telegramPattern = regexp.MustCompile(`^[a-z0-9_]{5,32}$`)
	wechatPattern   = regexp.MustCompile(`^[a-z][a-z0-9_-]{5,19}$`)
	emailPattern    = regexp.MustCompile(`^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$`)
	phoneChars      = regexp.MustCompile(`^\+?[0-9 ()./-]+$`)
)

// Normalize returns the canonical form of value as a channel of kind, the
// form the list stores and Check compares.
func Normalize(kind, value string) (string, error) {
	v := strings.TrimSpace(value)
	if v == "" || len(v) > MaxInput {
		return "", ErrInvalid
	}
	switch kind {
	case Phone, WhatsApp:
		if kind == WhatsApp {
			// A wa.me link carries the international number without its +.
			if link := stripURL(v, "wa.me/", "api.whatsapp.com/send?phone="); link != v {
				v = "+" + strings.TrimPrefix(strings.TrimPrefix(link, "/"), "+")
			}
		}
		return normalizePhone(v)
	case Email:
		local, domain, ok := strings.Cut(strings.ToLower(v), "@")
		if !ok || !emailPattern.MatchString(v) {
			return "", ErrInvalid
		}
		host, err := normalizeHost(domain)
		if err != nil {
			return "", err
		}
		return local + "@" + host, nil
	case Website:
		return normalizeHost(v)
	case Telegram:
		h := strings.ToLower(strings.TrimPrefix(stripURL(v, "t.me/", "telegram.me/"), "@"))
		if !telegramPattern.MatchString(h) {
			return "", ErrInvalid
		}
		return h, nil
	case WeChat:
		h := strings.ToLower(strings.TrimPrefix(v, "@"))
		if !wechatPattern.MatchString(h) {
			return "", ErrInvalid
		}
		return h, nil
	}
	return "", ErrInvalid
}

// stripURL removes a scheme and one of the given host prefixes.
func stripURL(v string, prefixes ...string) string {
	low := strings.ToLower(v)
	for _, s := range []string{"https://", "http://", "www."} {
		if strings.HasPrefix(low, s) {
			v, low = v[len(s):], low[len(s):]
		}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(low, p) {
			return v[len(p):]
		}
	}
	return v
}

// normalizePhone keeps the digits and a leading + (00 counts as +).
func normalizePhone(v string) (string, error) {
	if !phoneChars.MatchString(v) {
		return "", ErrInvalid
	}
	plus := strings.HasPrefix(v, "+")
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v)
	if !plus && strings.HasPrefix(digits, "00") {
		plus, digits = true, digits[2:]
	}
	if len(digits) < 5 || len(digits) > 15 {
		return "", ErrInvalid
	}
	if plus {
		return "+" + digits, nil
	}
	return digits, nil
}

// normalizeHost is a website's host: lower case, in ASCII (punycode for
// international names), without "www." or a trailing dot.
func normalizeHost(v string) (string, error) {
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" {
		return "", ErrInvalid
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	host = strings.TrimPrefix(host, "www.")
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil || !strings.Contains(ascii, ".") || strings.ContainsAny(ascii, " _") {
		return "", ErrInvalid
	}
	return ascii, nil
}

// Detect guesses the kind of what someone typed: a link or @name picks
// its app; an address with @ is an email; a name with a dot a website;
// digits a phone number; a bare name a Handle (Telegram or WeChat).
func Detect(input string) string {
	v := strings.ToLower(strings.TrimSpace(input))
	bare := stripURL(v)
	switch {
	case strings.HasPrefix(bare, "t.me/") || strings.HasPrefix(bare, "telegram.me/"):
		return Telegram
	case strings.HasPrefix(bare, "wa.me/") || strings.HasPrefix(bare, "api.whatsapp.com/"):
		return WhatsApp
	case strings.HasPrefix(v, "@"):
		return Telegram
	case strings.Contains(v, "@"):
		return Email
	case phoneChars.MatchString(v):
		return Phone
	case strings.Contains(v, "."):
		return Website
	}
	return Handle
}
