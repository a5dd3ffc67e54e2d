// Package token makes bearer tokens and identifiers. A token is 128 bits of
// crypto/rand, shown to its holder once and stored only as its SHA-256.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"sync"
	"time"
)

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// New returns a fresh token with 128 bits of entropy and the given prefix,
// which tells token kinds apart in support conversations and secret scanners.
func New(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (Go 1.24+)
	return prefix + enc.EncodeToString(b)
}

// idEnc is base32 with the "extended hex" alphabet, whose characters sort
// in the same order as the bytes they encode.
var idEnc = base32.HexEncoding.WithPadding(base32.NoPadding)

// ID returns a new identifier with the prefix ("usr_", "ses_", ...): a
// 48-bit millisecond timestamp followed by 80 random bits, like a ULID.
// The random part makes IDs impossible to enumerate; the time part makes
// them sort by creation, so new rows land on the last pages of an index
// instead of scattering writes over the whole B-tree. Within one process
// IDs strictly increase: in the same millisecond (or if the clock steps
// back) the previous random part grows by a fresh random step of up to
// 2^64, so rows written in one millisecond still sort in creation order but
// no ID tells another: two consecutive IDs leave a gap nobody can search.
// (ULID's monotonic mode adds one, which let a customer who saw two of
// their own IDs read the one between them.)
func ID(prefix string) string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	idMu.Lock()
	if ms <= idLast.ms {
		ms, b = idLast.ms, idLast.b
		if !addRandomStep(&b) { // the 80 bits ran out: take the next millisecond
			ms++
			b = [16]byte{}
			rand.Read(b[6:])
		}
	} else {
		rand.Read(b[6:])
	}
	for i, v := 5, ms; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	idLast.ms, idLast.b = ms, b
	idMu.Unlock()
	return prefix + idEnc.EncodeToString(b[:])
}

// addRandomStep adds a random number in [1, 2^64] to the 80-bit random part
// of b (bytes 6-15) and reports false if the sum overflowed it.
func addRandomStep(b *[16]byte) bool {
	var step [8]byte
	rand.Read(step[:])
	carry := uint16(1) // the +1 makes the step at least one
	for i := 15; i >= 6; i-- {
		sum := uint16(b[i]) + carry
		if j := i - 8; j >= 0 {
			sum += uint16(step[j])
		}
		b[i], carry = byte(sum), sum>>8
	}
	return carry == 0
}

var (
	idMu   sync.Mutex
	idLast struct {
		ms uint64
		b  [16]byte
	}
)

// Hash returns the hex SHA-256 of a token, the form kept in storage. A fast
// hash suffices: the token has 128 random bits, so there is nothing to guess.
func Hash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}
