package textnorm

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// tsCharacters is OpenCC's table of traditional characters and their
// simplified forms (see the file's header).
//
//go:embed tscharacters.txt
var tsCharacters string

// twPhrases is OpenCC's table of Taiwan words and their mainland forms
// (伺服器 is 服務器, 網路 is 網絡), in traditional characters.
//
//go:embed twphrases.txt
var twPhrases string

var (
	simplifiedOnce sync.Once
	simplifiedOf   map[rune]rune
	mainlandWords  *strings.Replacer
)

// table returns the pairs of a tab-separated table, each first target.
func table(raw string) [][2]string {
	var out [][2]string
	for _, line := range strings.Split(raw, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		from, to, ok := strings.Cut(line, "\t")
		to, _, _ = strings.Cut(to, " ")
		if ok && from != "" && to != "" {
			out = append(out, [2]string{from, to})
		}
	}
	return out
}

func loadSimplified() {
	simplifiedOf = make(map[rune]rune, 4200)
	for _, p := range table(tsCharacters) {
		t, _ := utf8.DecodeRuneInString(p[0])
		s, _ := utf8.DecodeRuneInString(p[1])
		if utf8.RuneCountInString(p[0]) != 1 || t == s {
			continue
		}
		// Where Fold's table says otherwise, this domain's word wins:
		// 帳 is 账 (an account), not 帐 (a curtain).
		if f := traditional.Replace(p[0]); f != p[0] {
			s, _ = utf8.DecodeRuneInString(f)
		}
		simplifiedOf[t] = s
	}
	words := table(twPhrases)
	// The longest phrase first: a Replacer tries its pairs in order.
	sort.SliceStable(words, func(i, j int) bool { return len(words[i][0]) > len(words[j][0]) })
	pairs := make([]string, 0, 2*len(words))
	for _, w := range words {
		pairs = append(pairs, w[0], w[1])
	}
	mainlandWords = strings.NewReplacer(pairs...)
}

// Simplified writes traditional Chinese as simplified, with OpenCC's
// tables: Taiwan words as mainland words (伺服器 as 服务器, 網路 as 网络),
// then every traditional character in its simplified form (雙重認證 is
// 双重认证). It is complete where Fold's own table covers only this
// domain's words; a character with more than one simplified form gets
// the commonest, or this domain's.
func Simplified(s string) string {
	simplifiedOnce.Do(loadSimplified)
	s = mainlandWords.Replace(s)
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
