package secretscan

import (
	_ "embed"
	"strings"
)

// The official BIP-0039 word lists, byte for byte (bitcoin/bips
// bip-0039/*.txt, as vendored by github.com/tyler-smith/go-bip39 v1.1.0);
// TestWordlistsAreTheOfficialFiles pins each by its SHA-256.
var (
	//go:embed wordlists/english.txt
	englishTxt string
	//go:embed wordlists/chinese_simplified.txt
	simplifiedTxt string
	//go:embed wordlists/chinese_traditional.txt
	traditionalTxt string
)

// wordlist is one BIP-0039 list: its words in order and each word's index.
type wordlist struct {
	name  string
	words []string
	index map[string]int
}

func newWordlist(name, txt string) *wordlist {
	w := &wordlist{name: name, words: strings.Split(strings.TrimSpace(txt), "\n"), index: map[string]int{}}
	if len(w.words) != 2048 {
		panic("secretscan: word list " + name + " does not have 2048 words")
	}
	for i, s := range w.words {
		w.index[s] = i
	}
	return w
}

var (
	english     = newWordlist("english", englishTxt)
	simplified  = newWordlist("chinese_simplified", simplifiedTxt)
	traditional = newWordlist("chinese_traditional", traditionalTxt)
	// hanLists are the lists whose words are single Chinese characters.
	hanLists = []*wordlist{simplified, traditional}

	// hanIndex maps a character to its index in each Chinese list
	// (-1 when absent), so a run is read with one lookup per character.
	hanIndex = func() map[rune][2]int16 {
		m := map[rune][2]int16{}
		for li, l := range hanLists {
			for i, w := range l.words {
				r := []rune(w)[0]
				v, ok := m[r]
				if !ok {
					v = [2]int16{-1, -1}
				}
				v[li] = int16(i)
				m[r] = v
			}
		}
		return m
	}()

	// prefix4 maps the first four letters of each English word longer than
	// four letters to its index: BIP-0039 words are unique in their first
	// four letters, and people write them so.
	prefix4 = func() map[string]int {
		m := map[string]int{}
		for i, w := range english.words {
			if len(w) > 4 {
				m[w[:4]] = i
			}
		}
		return m
	}()
)

// englishWord is the index of an English mnemonic word written in full or
// as its first four letters (lower case), or -1.
func englishWord(s string) int {
	if i, ok := english.index[s]; ok {
		return i
	}
	if len(s) == 4 {
		if i, ok := prefix4[s]; ok {
			return i
		}
	}
	return -1
}

// nearEnglishWord tells whether s is one edit (a letter changed, added,
// dropped or two letters swapped) from an English word: how people mistype
// a phrase they copy by hand. Only used where a phrase is already evident.
func nearEnglishWord(s string) bool {
	if len(s) < 4 || len(s) > 9 {
		return false
	}
	for _, w := range english.words {
		if d := len(w) - len(s); d >= -1 && d <= 1 && oneEdit(s, w) {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b differ by exactly one edit.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	switch {
	case len(a) == len(b):
		if i == len(a) {
			return false // equal
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // transposition
	case len(a)+1 == len(b):
		return a[i:] == b[i+1:] // insertion
	}
	return false
}

// splitGlued splits a token that is two or three English words run
// together ("abandonability"), a common slip when a phrase is retyped; nil
// when it is not.
func splitGlued(s string) []int {
	if len(s) < 6 || len(s) > 24 {
		return nil
	}
	for i := 3; i <= len(s)-3 && i <= 8; i++ {
		a := english.index[s[:i]]
		if _, ok := english.index[s[:i]]; !ok {
			continue
		}
		if b, ok := english.index[s[i:]]; ok {
			return []int{a, b}
		}
		if rest := splitGlued2(s[i:]); rest != nil {
			return append([]int{a}, rest...)
		}
	}
	return nil
}

// splitGlued2 splits s into exactly two words.
func splitGlued2(s string) []int {
	for i := 3; i <= len(s)-3 && i <= 8; i++ {
		a, ok := english.index[s[:i]]
		if !ok {
			continue
		}
		if b, ok := english.index[s[i:]]; ok {
			return []int{a, b}
		}
	}
	return nil
}
