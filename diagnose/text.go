package diagnose

import (
	"unicode"

	"github.com/okcare/okcare/textnorm"
)

// normalize folds text before feature extraction (see textnorm.Fold).
func normalize(s string) string { return textnorm.Fold(s) }

func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// features turns text into the tokens the classifier counts: for Chinese,
// single characters and character bigrams (Chinese has no spaces; bigrams
// catch words like 闪退 and survive a one-character typo in a longer
// phrase); for other scripts, whole words and, within words of four letters
// or more, character trigrams, which survive English typos ("crashs",
// "loadng").
func features(text string) []string {
	text = normalize(text)
	var out []string
	runes := []rune(text)
	var word []rune
	flushWord := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		out = append(out, "w:"+w)
		if len(word) >= 4 {
			padded := []rune("^" + w + "$")
			for i := 0; i+3 <= len(padded); i++ {
				out = append(out, "t:"+string(padded[i:i+3]))
			}
		}
		word = word[:0]
	}
	for i, r := range runes {
		switch {
		case isCJK(r):
			flushWord()
			out = append(out, "c:"+string(r))
			if i+1 < len(runes) && isCJK(runes[i+1]) {
				out = append(out, "b:"+string(runes[i:i+2]))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = append(word, r)
		default:
			flushWord()
		}
	}
	flushWord()
	return append(out, concepts(text)...)
}
