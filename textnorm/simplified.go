package textnorm

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// tsCharacters is OpenCC's table of traditional characters and their
// simplified forms (see the file's header).
//
//go:embed tscharacters.txt
var tsCharacters string

var (
	simplifiedOnce sync.Once
	simplifiedOf   map[rune]rune
)

func loadSimplified() {
	simplifiedOf = make(map[rune]rune, 4200)
	for _, line := range strings.Split(tsCharacters, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		from, to, ok := strings.Cut(line, "\t")
		t, _ := utf8.DecodeRuneInString(from)
		s, _ := utf8.DecodeRuneInString(to)
		if ok && utf8.RuneCountInString(from) == 1 && t != s {
			simplifiedOf[t] = s
		}
	}
}

// Simplified writes every traditional Chinese character of s in its
// simplified form, character by character (OpenCC's table): 雙重認證 is
// 双重认证. It is complete where Fold's own table covers only this
// domain's words; a character with more than one simplified form gets
// the commonest.
func Simplified(s string) string {
	simplifiedOnce.Do(loadSimplified)
	var b strings.Builder
	changed := false
	for i, r := range s {
		if to, ok := simplifiedOf[r]; ok {
			if !changed {
				b.Grow(len(s))
				b.WriteString(s[:i])
				changed = true
			}
			b.WriteRune(to)
		} else if changed {
			b.WriteRune(r)
		}
	}
	if !changed {
		return s
	}
	return b.String()
}
