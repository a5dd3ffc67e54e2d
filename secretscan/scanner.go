package secretscan

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scanner holds one text being scanned and what the detectors share.
type scanner struct {
	text  string
	lower string // text with ASCII letters in lower case, byte for byte
	// opaque are the markers already in the text: no detector reads into
	// them, so masking twice changes nothing.
	opaque [][2]int
	// announce caches announced(), keywords hits().
	announce map[int]bool
	keywords *[]hit
}

func newScanner(text string) *scanner {
	sc := &scanner{text: text, lower: asciiLower(text)}
	if strings.IndexByte(text, '[') >= 0 {
		for _, m := range allMarkers {
			for at := 0; ; {
				i := strings.Index(text[at:], m)
				if i < 0 {
					break
				}
				sc.opaque = append(sc.opaque, [2]int{at + i, at + i + len(m)})
				at += i + len(m)
			}
		}
		slices.SortFunc(sc.opaque, func(a, b [2]int) int { return a[0] - b[0] })
	}
	return sc
}

// inOpaque is the end of the marker covering byte i, or -1.
func (sc *scanner) inOpaque(i int) int {
	if k := sc.opaqueAfter(i); k < len(sc.opaque) && sc.opaque[k][0] <= i {
		return sc.opaque[k][1]
	}
	return -1
}

// opaqueAfter is the index of the first marker ending after byte i
// (markers do not overlap, so their ends are sorted too).
func (sc *scanner) opaqueAfter(i int) int {
	k, _ := slices.BinarySearchFunc(sc.opaque, i, func(o [2]int, i int) int { return o[1] - 1 - i })
	return k
}

// overlapsOpaque reports whether [start, end) touches a marker.
func (sc *scanner) overlapsOpaque(start, end int) bool {
	k := sc.opaqueAfter(start)
	return k < len(sc.opaque) && sc.opaque[k][0] < end
}

// asciiLower lower-cases ASCII letters only, so that byte offsets in the
// result are offsets in s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool       { return isASCIILetter(c) || isASCIIDigit(c) }

// isHan reports a Chinese character.
func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// digitValue is the value of an ASCII or full-width digit, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

// findAll returns the byte offsets of every occurrence of word in s.
func findAll(s, word string) []int {
	var out []int
	for at := 0; ; {
		i := strings.Index(s[at:], word)
		if i < 0 {
			return out
		}
		out = append(out, at+i)
		at += i + len(word)
	}
}

// wordAt reports whether the ASCII word w starts at i in lower with word
// boundaries on both sides (an English plural s allowed when plural).
func wordAt(lower string, i int, w string, plural bool) (end int, ok bool) {
	if i > 0 && isAlnum(lower[i-1]) {
		return 0, false
	}
	end = i + len(w)
	if plural && end < len(lower) && lower[end] == 's' {
		end++
	}
	if end < len(lower) && isAlnum(lower[end]) {
		return 0, false
	}
	return end, true
}

// lineOf is the line of text around byte i: [start, end).
func lineOf(text string, i int) (int, int) {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return start, len(text)
	}
	return start, i + end
}

// runeBefore is the rune ending at byte i, or 0.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// runeAt is the rune starting at byte i, or 0.
func runeAt(s string, i int) rune {
	if i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}
