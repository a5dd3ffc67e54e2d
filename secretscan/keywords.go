package secretscan

import (
	"strings"
	"unicode/utf8"
)

// The words that announce a phrase or name a code are found in one pass
// over the text: Chinese text is full of the first bytes of Chinese words,
// so a search per word would cost more than all the rest of the scan.

// hit is one keyword found: where it starts, and which.
type hit struct {
	at     int
	phrase bool     // a phraseWords entry
	code   codeWord // else a codeWords entry
	w      string
}

// keywordsByFirst lists the keywords starting with each rune.
var keywordsByFirst = func() map[rune][]hit {
	m := map[rune][]hit{}
	for _, w := range phraseWords {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], hit{phrase: true, w: w})
	}
	for _, c := range codeWords {
		r, _ := utf8.DecodeRuneInString(c.w)
		m[r] = append(m[r], hit{code: c, w: c.w})
	}
	return m
}()

// firstRune marks the runes (below U+10000) a keyword starts with.
var firstRune = func() *[0x10000]bool {
	var t [0x10000]bool
	for r := range keywordsByFirst {
		if r < 0x10000 {
			t[r] = true
		}
	}
	return &t
}()

// hits finds every keyword in the lower-cased text, once per text.
func (sc *scanner) hits() []hit {
	if sc.keywords != nil {
		return *sc.keywords
	}
	var out []hit
	s := sc.lower
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if r < 0x10000 && firstRune[r] {
			for _, k := range keywordsByFirst[r] {
				if strings.HasPrefix(s[i:], k.w) {
					k.at = i
					out = append(out, k)
				}
			}
		}
		i += n
	}
	sc.keywords = &out
	return out
}
