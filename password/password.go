// Package password hashes passwords with argon2id and checks them against
// the OWASP ASVS length rules and a list of the commonest passwords.
package password

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Length limits in characters (ASVS 2.1.1 and 2.1.2: at least 8, and at
// least 64 allowed). The upper bound stops hashing megabytes of input.
const (
	MinLength = 8
	MaxLength = 128
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow the OWASP password storage cheat sheet (19 MiB, t=2, p=1).
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// TestParams are cheap parameters for tests; never use them in production.
var TestParams = Params{Memory: 64, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hash returns a PHC-format argon2id hash of pw with a fresh random salt.
func Hash(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformedHash is returned for a stored hash that is not argon2id PHC.
var ErrMalformedHash = errors.New("malformed password hash")

// Verify reports whether pw matches the PHC hash, in constant time.
func Verify(pw, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var v int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrMalformedHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

//go:embed common.txt
var commonText string

var common = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// CommonCount is how many common passwords are refused.
func CommonCount() int { return len(common) }

// Problem explains why a password is refused, or is "" when it is fine.
// identifiers are the user's email, phone and the like, which a password
// must not equal.
func Problem(pw string, identifiers ...string) string {
	if !utf8.ValidString(pw) {
		return "Password must be valid text."
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return fmt.Sprintf("Password must be at least %d characters.", MinLength)
	case n > MaxLength:
		return fmt.Sprintf("Password must be at most %d characters.", MaxLength)
	case common[strings.ToLower(pw)]:
		return "This password is too common; choose another."
	}
	// The product's own words and the user's identifiers, give or take
	// digits and symbols ("OKWallet2026!", "alice123" for alice@…), are
	// the first guesses of anyone who knows where the account is.
	core := letters(pw)
	if contextWords[core] {
		return "This password is too easy to guess from the service's name; choose another."
	}
	for _, id := range identifiers {
		if id == "" {
			continue
		}
		if containsIdentifier(pw, core, id) {
			return "Password must not be your email or phone number."
		}
	}
	return ""
}

// containsIdentifier reports whether pw (whose letters are core) is built
// from id: the whole of it, an email's name part, or a phone number's last
// eight digits.
func containsIdentifier(pw, core, id string) bool {
	if strings.EqualFold(pw, id) {
		return true
	}
	if local, _, isEmail := strings.Cut(id, "@"); isEmail {
		return (len(local) >= 4 && core == letters(local)) || (len(local) >= 6 && strings.Contains(strings.ToLower(pw), strings.ToLower(local)))
	}
	number := digits(id)
	return len(number) >= 8 && strings.Contains(digits(pw), number[len(number)-8:])
}

// digits is s with everything but ASCII digits removed.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// contextWords are the names a guesser tries first for this service
// (ASVS 5.0 V6: context-specific words), compared with a password's letters.
var contextWords = map[string]bool{
	"okwallet": true, "ok": true, "wallet": true, "okcare": true, "okqianbao": true, "qianbao": true,
	"mywallet": true, "bitcoin": true, "btc": true, "usdt": true, "crypto": true,
}

// letters is s lower-cased with everything but letters removed.
func letters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
