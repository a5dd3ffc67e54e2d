package secretscan

import (
	"crypto/sha256"
	"math/rand/v2"
	"strings"
)

// newPhrase makes a valid phrase of n words (12…24) from the list, from
// entropy drawn from rng: what a wallet shows its user.
func newPhrase(rng *rand.Rand, l *wordlist, n int) []string {
	ent := make([]byte, n*4/3)
	for i := range ent {
		ent[i] = byte(rng.IntN(256))
	}
	return phraseOf(l, ent)
}

// phraseOf is the BIP-39 phrase of entropy in list l.
func phraseOf(l *wordlist, ent []byte) []string {
	sum := sha256.Sum256(ent)
	bits := append(append([]byte{}, ent...), sum[0])
	n := len(ent) * 8 * 33 / 32 / 11
	words := make([]string, n)
	for w := 0; w < n; w++ {
		v := 0
		for b := 0; b < 11; b++ {
			bit := w*11 + b
			v = v<<1 | int(bits[bit/8]>>(7-bit%8)&1)
		}
		words[w] = l.words[v]
	}
	return words
}

// numbered writes words as "1. a 2. b …".
func numbered(words []string, sep string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(itoa(i+1) + ". " + w)
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
