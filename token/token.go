// Package token makes bearer tokens and identifiers. A token is 128 bits of
// crypto/rand, shown to its holder once and stored only as its SHA-256.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
)

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// New returns a fresh token with 128 bits of entropy and the given prefix,
// which tells token kinds apart in support conversations and secret scanners.
func New(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (Go 1.24+)
	return prefix + enc.EncodeToString(b)
}

// ID returns a new random identifier with the prefix ("usr_", "ses_", ...).
// IDs are random rather than sequential so they cannot be enumerated.
func ID(prefix string) string {
	b := make([]byte, 10)
	rand.Read(b)
	return prefix + enc.EncodeToString(b)
}

// Hash returns the hex SHA-256 of a token, the form kept in storage. A fast
// hash suffices: the token has 128 random bits, so there is nothing to guess.
func Hash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}
