package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okcare/okcare/textnorm"
)

// question is what a query asks, read from its words: the languages it is
// written in, the platform it names and the concepts it is about.
type question struct {
	han, latin bool // has Chinese characters; has Latin letters or digits
	platform   string
	concepts   map[string]bool
}

var apostrophes = strings.NewReplacer("'", "", "’", "")

// words splits folded text into its Latin words (letters, digits and
// hyphens), with apostrophes dropped so that "won't" is "wont"; Chinese
// characters break words too.
func words(folded string) []string {
	return strings.FieldsFunc(apostrophes.Replace(folded), func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) && r != '-'
	})
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// form is one way of saying a thing, prepared for matching: a Chinese
// form by its characters, an English one by its words ("word*" matches
// any word it starts).
type form struct {
	han   string
	words []string
}

// forms holds every form of the lexicon and the platforms, indexed so that
// one pass over a query finds all it says: Chinese forms by their first
// character, English ones by their first word (or its prefix, for
// "word*").
var forms struct {
	all     []form
	han     map[rune][]int
	word    map[string][]int
	prefix  map[string][]int // first word "crash*" under "crash"
	longest int              // the longest prefix, in bytes
}

// compile adds forms to the index and returns their numbers.
func compile(list []string) []int {
	if forms.han == nil {
		forms.han, forms.word, forms.prefix = map[rune][]int{}, map[string][]int{}, map[string][]int{}
	}
	var ids []int
	for _, f := range list {
		var fm form
		if hasHan(f) {
			fm.han = strings.ReplaceAll(f, " ", "")
		} else {
			for _, tok := range strings.Fields(f) {
				ws := words(tok)
				if len(ws) > 0 && strings.HasSuffix(tok, "*") {
					ws[len(ws)-1] += "*"
				}
				fm.words = append(fm.words, ws...)
			}
			if len(fm.words) == 0 {
				continue
			}
		}
		id := len(forms.all)
		forms.all = append(forms.all, fm)
		ids = append(ids, id)
		switch first := ""; {
		case fm.han != "":
			r, _ := utf8.DecodeRuneInString(fm.han)
			forms.han[r] = append(forms.han[r], id)
		default:
			first = fm.words[0]
			if p, ok := strings.CutSuffix(first, "*"); ok {
				forms.prefix[p] = append(forms.prefix[p], id)
				forms.longest = max(forms.longest, len(p))
			} else {
				forms.word[first] = append(forms.word[first], id)
			}
		}
	}
	return ids
}

// said tells, by form number, which forms a query says.
type said []bool

// saying finds every form a folded query says.
func saying(folded string) said {
	out := make(said, len(forms.all))
	c := strings.Join(strings.Fields(folded), "") // however the user spaced it ("清除 缓存")
	for i, r := range c {
		for _, id := range forms.han[r] {
			if strings.HasPrefix(c[i:], forms.all[id].han) {
				out[id] = true
			}
		}
	}
	ws := words(folded)
	for start, w := range ws {
		try := func(ids []int) {
			for _, id := range ids {
				if !out[id] && wordsAt(ws, start, forms.all[id].words) {
					out[id] = true
				}
			}
		}
		try(forms.word[w])
		for n := 1; n <= min(len(w), forms.longest); n++ {
			try(forms.prefix[w[:n]])
		}
	}
	return out
}

// wordsAt reports whether the words from start say want: its words in
// order, at most two words between neighbours.
func wordsAt(ws []string, start int, want []string) bool {
	if !wordMatch(ws[start], want[0]) {
		return false
	}
	at := start
	for _, next := range want[1:] {
		found := -1
		for j := at + 1; j < len(ws) && j <= at+3; j++ {
			if wordMatch(ws[j], next) {
				found = j
				break
			}
		}
		if found < 0 {
			return false
		}
		at = found
	}
	return true
}

func wordMatch(word, form string) bool {
	if p, ok := strings.CutSuffix(form, "*"); ok {
		return strings.HasPrefix(word, p)
	}
	return word == form
}

func (s said) any(ids []int) bool {
	for _, id := range ids {
		if s[id] {
			return true
		}
	}
	return false
}

// matcher is a concept with its forms' numbers.
type matcher struct {
	id, refines          string
	forms, needs, unless []int
}

var (
	matchers = func() []matcher {
		out := make([]matcher, 0, len(lexicon))
		for _, c := range lexicon {
			out = append(out, matcher{id: c.id, refines: c.refines, forms: compile(c.forms), needs: compile(c.needs), unless: compile(c.unless)})
		}
		return out
	}()
	platformForms = map[string][]int{"ios": compile(platforms["ios"]), "android": compile(platforms["android"])}
)

// osVersion finds a system version named in the words: "iOS 12", "安卓7",
// "android 8.1", which is a question about the OS being too old.
var osVersion = regexp.MustCompile(`(ios|android|安卓|鸿蒙|harmonyos)\s*\d+`)

// understand reads a folded query.
func understand(folded string) question {
	t := saying(folded)
	q := question{han: hasHan(folded), concepts: map[string]bool{}}
	for _, r := range folded {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			q.latin = true
			break
		}
	}
	for _, p := range []string{"ios", "android"} {
		if t.any(platformForms[p]) {
			if q.platform != "" {
				q.platform = "" // both named: a comparison, no preference
				break
			}
			q.platform = p
		}
	}
	for _, c := range matchers {
		if q.concepts[c.id] || !t.any(c.forms) {
			continue
		}
		if len(c.needs) > 0 && !t.any(c.needs) {
			continue
		}
		if len(c.unless) > 0 && t.any(c.unless) {
			continue
		}
		q.concepts[c.id] = true
	}
	if strings.ContainsAny(folded, "0123456789") && osVersion.MatchString(folded) {
		q.concepts["os-version"] = true
	}
	for _, c := range matchers {
		if q.concepts[c.id] && c.refines != "" {
			delete(q.concepts, c.refines)
		}
	}
	return q
}

// conceptWords returns the words the articles use for the concepts, in
// lang, to add to the search.
func conceptWords(concepts map[string]bool, lang string) string {
	var out []string
	seen := map[string]bool{}
	for _, c := range lexicon {
		if !concepts[c.id] || seen[c.id] {
			continue
		}
		seen[c.id] = true
		if lang == "zh-CN" {
			out = append(out, c.zh)
		} else {
			out = append(out, c.en)
		}
	}
	return strings.Join(out, " ")
}

// titleTopics are the concepts an article's title names, in the lexicon's
// order, for an article whose front matter lists none.
func titleTopics(title string) []string {
	q := understand(textnorm.Fold(textnorm.Simplified(title)))
	var out []string
	for _, m := range matchers {
		if q.concepts[m.id] && !slices.Contains(out, m.id) {
			out = append(out, m.id)
		}
	}
	return out
}
