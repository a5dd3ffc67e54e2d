package smtp

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-msgauth/dmarc"
	"github.com/okcare/okcare"
	"golang.org/x/net/publicsuffix"
)

// Auth is what okcare could establish about who sent a message.
type Auth struct {
	DKIM       string // pass, fail, temperror, none
	DKIMDomain string // the signing domain (d=) behind DKIM's result
	SPF        string // always "none": SPF is not checked here (see Note)
	DMARC      string // pass, fail, temperror, none
	Policy     string // the From domain's DMARC policy (p=), if any
	FromDomain string
}

// Note is the internal note agents see on the message, e.g.
// "DKIM: pass (example.com) · SPF: none (not checked) · DMARC: pass (example.com, p=reject)".
func (a *Auth) Note() string {
	dkimPart := "DKIM: " + a.DKIM
	if a.DKIMDomain != "" {
		dkimPart += " (" + a.DKIMDomain + ")"
	}
	dmarcPart := "DMARC: " + a.DMARC
	if a.DMARC != "none" || a.Policy != "" {
		dmarcPart += " (" + a.FromDomain
		if a.Policy != "" {
			dmarcPart += ", p=" + a.Policy
		}
		dmarcPart += ")"
	}
	return dkimPart + " · SPF: none (not checked) · " + dmarcPart
}

// Keys of the internal notes the receiver writes (see okcare.Note): the
// console says them in its reader's language, the body stays English.
const (
	// NoteMailAuth has the arguments dkim, dkim_domain, dmarc, from_domain
	// and policy, as in Auth.
	NoteMailAuth = "mail_auth"
	// NoteMailOtherSender has the argument from: a reply that carried the
	// ticket's token came from another address.
	NoteMailOtherSender = "mail_other_sender"
)

// NoteKeys lists the note keys the receiver writes.
var NoteKeys = []string{NoteMailAuth, NoteMailOtherSender}

// KeyedNote is Note as a key and arguments.
func (a *Auth) KeyedNote() *okcare.Note {
	return &okcare.Note{Key: NoteMailAuth, Args: map[string]string{"dkim": a.DKIM, "dkim_domain": a.DKIMDomain, "dmarc": a.DMARC, "from_domain": a.FromDomain, "policy": a.Policy}}
}

// LookupTXT answers DNS TXT queries for DKIM keys and DMARC policies.
type LookupTXT func(name string) ([]string, error)

// DNSLookupTXT asks the system resolver, giving up after five seconds.
func DNSLookupTXT(name string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return net.DefaultResolver.LookupTXT(ctx, name)
}

// authenticate verifies raw's DKIM signatures (at most five) with
// go-msgauth and derives DMARC from them: pass when a valid signature's
// domain aligns with the From domain (relaxed alignment: the same
// organisational domain, unless the policy asks for strict). SPF needs the
// connecting client's IP address and the sender domain's policy; okcare
// usually receives mail from the organisation's own MX rather than the
// sender, where SPF means nothing, so it is not evaluated and DMARC rests
// on DKIM alone.
func authenticate(raw []byte, fromAddr string, lookup LookupTXT) *Auth {
	_, fromDomain, _ := strings.Cut(fromAddr, "@")
	a := &Auth{DKIM: "none", SPF: "none", DMARC: "none", FromDomain: strings.ToLower(fromDomain)}
	verifs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: lookup, MaxVerifications: 5})
	if err != nil && !errors.Is(err, dkim.ErrTooManySignatures) {
		a.DKIM = "fail"
	}
	var passed []string
	for _, v := range verifs {
		switch {
		case v.Err == nil:
			passed = append(passed, strings.ToLower(v.Domain))
			if a.DKIM != "pass" {
				a.DKIM, a.DKIMDomain = "pass", strings.ToLower(v.Domain)
			}
		case a.DKIM == "pass":
		case dkim.IsTempFail(v.Err):
			a.DKIM, a.DKIMDomain = "temperror", v.Domain
		default:
			a.DKIM, a.DKIMDomain = "fail", v.Domain
		}
	}
	if a.FromDomain == "" {
		return a
	}
	rec, err := dmarc.LookupWithOptions(a.FromDomain, &dmarc.LookupOptions{LookupTXT: lookup})
	if err != nil && a.FromDomain != orgDomain(a.FromDomain) {
		rec, err = dmarc.LookupWithOptions(orgDomain(a.FromDomain), &dmarc.LookupOptions{LookupTXT: lookup})
	}
	switch {
	case dmarc.IsTempFail(err):
		a.DMARC = "temperror"
		return a
	case err != nil:
		return a // no policy (or none we can read): "none"
	}
	a.Policy = string(rec.Policy)
	a.DMARC = "fail"
	for _, d := range passed {
		if d == a.FromDomain || (rec.DKIMAlignment != dmarc.AlignmentStrict && orgDomain(d) == orgDomain(a.FromDomain)) {
			a.DMARC = "pass"
		}
	}
	return a
}

// orgDomain is the registered domain (example.com.cn for mail.example.com.cn).
func orgDomain(d string) string {
	if o, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return o
	}
	return d
}
