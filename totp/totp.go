// Package totp implements RFC 6238 time-based one-time codes on top of
// github.com/pquerna/otp, adding what that library leaves to its caller:
// which time step a code matched, so that storage can accept each step once
// (a code is single-use even within its validity window).
package totp

import (
	"crypto/subtle"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	pqtotp "github.com/pquerna/otp/totp"
)

// Period is the step length; Skew is how many steps either side are accepted.
const (
	Period = 30
	Skew   = 1
	Digits = 6
)

// Issuer names okcare in authenticator apps.
const Issuer = "OK Wallet"

// Generate makes a new random secret for account (an email or phone) and
// returns the base32 secret and the otpauth:// URL for a QR code.
func Generate(account string) (secret, url string, err error) {
	key, err := pqtotp.Generate(pqtotp.GenerateOpts{
		Issuer:      Issuer,
		AccountName: account,
		Period:      Period,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// URL is the otpauth:// URL of an existing secret for account, as
// Generate returns it for a new one.
func URL(account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", Issuer)
	v.Set("period", strconv.Itoa(Period))
	v.Set("digits", strconv.Itoa(Digits))
	v.Set("algorithm", "SHA1")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + Issuer + ":" + account, RawQuery: v.Encode()}
	return u.String()
}

// Code returns the code for secret at time t with the given number of digits.
func Code(secret string, t time.Time, digits int) (string, error) {
	return pqtotp.GenerateCodeCustom(secret, t, pqtotp.ValidateOpts{
		Period:    Period,
		Digits:    otp.Digits(digits),
		Algorithm: otp.AlgorithmSHA1,
	})
}

// Step returns the RFC 6238 time step number of t.
func Step(t time.Time) int64 { return t.Unix() / Period }

// Match checks code against secret at now, within ±Skew steps, and returns
// the matched step. Steps at or before lastStep are refused, so the caller
// that stores the returned step makes every code single-use. It compares in
// constant time.
func Match(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != Digits {
		return 0, false
	}
	matched, ok := int64(0), false
	for d := -Skew; d <= Skew; d++ {
		step := Step(now) + int64(d)
		want, err := Code(secret, time.Unix(step*Period, 0), Digits)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > lastStep {
			matched, ok = step, true
		}
	}
	return matched, ok
}
