package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

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

// compact is folded text without spaces, for matching Chinese forms
// however the user spaced them ("清除 缓存").
func compact(folded string) string {
	return strings.Join(strings.Fields(folded), "")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// text is a folded query prepared for matching forms.
type text struct {
	compact string
	words   []string
}

func newText(folded string) text { return text{compact: compact(folded), words: words(folded)} }

// form is one way of saying a thing, prepared for matching: a Chinese
// form by its characters, an English one by its words ("word*" matches
// any word it starts).
type form struct {
	han   string
	words []string
}

func compile(forms []string) []form {
	out := make([]form, 0, len(forms))
	for _, f := range forms {
		if hasHan(f) {
			out = append(out, form{han: strings.ReplaceAll(f, " ", "")})
			continue
		}
		var w []string
		for _, tok := range strings.Fields(f) {
			ws := words(tok)
			if len(ws) > 0 && strings.HasSuffix(tok, "*") {
				ws[len(ws)-1] += "*"
			}
			w = append(w, ws...)
		}
		if len(w) > 0 {
			out = append(out, form{words: w})
		}
	}
	return out
}

// has reports whether the text says f: a Chinese form anywhere, an English
// form as its words in order with at most two words between neighbours.
func (t text) has(f form) bool {
	if f.han != "" {
		return strings.Contains(t.compact, f.han)
	}
	for start := range t.words {
		if !wordMatch(t.words[start], f.words[0]) {
			continue
		}
		at, k := start, 1
		for ; k < len(f.words); k++ {
			next := -1
			for j := at + 1; j < len(t.words) && j <= at+3; j++ {
				if wordMatch(t.words[j], f.words[k]) {
					next = j
					break
				}
			}
			if next < 0 {
				break
			}
			at = next
		}
		if k == len(f.words) {
			return true
		}
	}
	return false
}

func wordMatch(word, form string) bool {
	if p, ok := strings.CutSuffix(form, "*"); ok {
		return strings.HasPrefix(word, p)
	}
	return word == form
}

func (t text) hasAny(forms []form) bool {
	for _, f := range forms {
		if t.has(f) {
			return true
		}
	}
	return false
}

// matcher is a concept with its forms prepared.
type matcher struct {
	id, refines          string
	forms, needs, unless []form
}

var (
	matchers = func() []matcher {
		out := make([]matcher, 0, len(lexicon))
		for _, c := range lexicon {
			out = append(out, matcher{id: c.id, refines: c.refines, forms: compile(c.forms), needs: compile(c.needs), unless: compile(c.unless)})
		}
		return out
	}()
	platformForms = map[string][]form{"ios": compile(platforms["ios"]), "android": compile(platforms["android"])}
)

// osVersion finds a system version named in the words: "iOS 12", "安卓7",
// "android 8.1", which is a question about the OS being too old.
var osVersion = regexp.MustCompile(`(ios|android|安卓|鸿蒙|harmonyos)\s*\d+`)

// understand reads a folded query.
func understand(folded string) question {
	t := newText(folded)
	q := question{han: hasHan(folded), concepts: map[string]bool{}}
	for _, r := range folded {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			q.latin = true
			break
		}
	}
	for _, p := range []string{"ios", "android"} {
		if t.hasAny(platformForms[p]) {
			if q.platform != "" {
				q.platform = "" // both named: a comparison, no preference
				break
			}
			q.platform = p
		}
	}
	for _, c := range matchers {
		if q.concepts[c.id] || !t.hasAny(c.forms) {
			continue
		}
		if len(c.needs) > 0 && !t.hasAny(c.needs) {
			continue
		}
		if len(c.unless) > 0 && t.hasAny(c.unless) {
			continue
		}
		q.concepts[c.id] = true
	}
	if osVersion.MatchString(folded) {
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
