// Package secretbox seals small secrets (TOTP seeds) for storage with
// AES-256-GCM under a key from configuration, so that a copy of the database
// alone does not yield anyone's second factor. Each sealed value is bound to
// a context string (the user's id), so it cannot be moved to another row.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// KeySize is the key length in bytes (AES-256).
const KeySize = 32

// prefix versions the sealed format.
const prefix = "v1:"

// ErrOpen is returned for a value that was not sealed by this key and
// context, or was altered.
var ErrOpen = errors.New("secretbox: cannot open sealed value")

// Box seals and opens values with one key.
type Box struct {
	aead cipher.AEAD
	key  []byte // for Derive
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, errors.New("secretbox: key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, key: append([]byte(nil), key...)}, nil
}

// ParseKey decodes a base64 (standard or URL, padded or not) 32-byte key.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, errors.New("secretbox: key must be 32 bytes in base64")
}

// NewKey returns a fresh random key in base64.
func NewKey() string {
	k := make([]byte, KeySize)
	rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

// Derive returns a 32-byte key for another purpose, HMAC-SHA256 of label
// under the box's key: each label (say "okcare mail reply token v1") gets
// a key of its own, every node with the same configured key derives the
// same one, and none of them reveals the configured key or another label's.
func (b *Box) Derive(label string) []byte {
	mac := hmac.New(sha256.New, b.key)
	mac.Write([]byte(label))
	return mac.Sum(nil)
}

// Seal encrypts plain, bound to context.
func (b *Box) Seal(plain, context string) string {
	nonce := make([]byte, b.aead.NonceSize())
	rand.Read(nonce)
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return prefix + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts a value made by Seal with the same key and context.
func (b *Box) Open(sealed, context string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrOpen
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize() {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, data[:b.aead.NonceSize()], data[b.aead.NonceSize():], []byte(context))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// IsSealed reports whether s has the form Seal gives.
func IsSealed(s string) bool { return strings.HasPrefix(s, prefix) }
