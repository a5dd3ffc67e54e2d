package secretscan

import (
	"crypto/sha256"
	"math"
	"unicode"
	"unicode/utf8"
)

// How recovery phrases are found. The text is read as units: English
// words (a word of the list, its first four letters, or two or three list
// words run together) and Chinese characters, with what separates them. A
// run is a stretch of units of one list with nothing else between them but
// spaces, punctuation and numbering. Then:
//
//   - English, and Chinese written one character at a time ("的 一 是"):
//     the run is masked whole when a window of 12, 15, 18, 21 or 24 of its
//     words has a valid BIP-39 checksum, or when it has 12 and more words
//     and is numbered ("1. abandon 2. ability") or announced (助记词,
//     "seed phrase", …), or has 15 and more words (no prose does: words
//     like "the", "is", "my" are not in the list). An announced or numbered
//     run may contain a mistyped word or two.
//   - Chinese written without spaces, where the list's 2048 characters are
//     the commonest ones and prose is full of them: a clause (between
//     punctuation) of exactly 12…24 characters with a valid checksum, if
//     it has 15 and more, or stands on a line of its own, or the text
//     announces a phrase; and a checksum-valid window right after the
//     announcing word (助记词是…). The checksum is always required here,
//     and so is looking random (looksRandom).

// sep describes what stands between a unit and the one before it.
type sep struct {
	runes   int  // how long
	space   bool // only spaces and tabs
	newline bool
	num     int // the number in it (numbering), or -1
}

// unit is one word or character.
type unit struct {
	start, end int
	en         int      // index in the English list, or -1
	han        [2]int16 // index in the simplified and traditional lists, or -1
	hole       bool     // an English word that is not in the list (maybe mistyped)
	brk        bool     // something that ends every run
	joined     bool     // no separator before it (same Chinese token, glued words)
	sep        sep      // the separator before it, unless joined
}

// maxSep is the longest separator a run continues across.
const maxSep = 12

// units reads text as words, characters and breaks.
func (sc *scanner) units() []unit {
	text := sc.text
	out := make([]unit, 0, len(text)/4+8)
	sepStart := 0
	addSep := func(u unit, end int) unit {
		u.sep = readSep(text[sepStart:end])
		return u
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c == '[' && sc.opaque != nil { // every marker starts so
			if end := sc.inOpaque(i); end >= 0 {
				out = append(out, unit{start: i, end: end, brk: true})
				i, sepStart = end, end
				continue
			}
		}
		switch {
		case isASCIILetter(c):
			j := i
			for j < len(text) && isASCIILetter(text[j]) {
				j++
			}
			if j < len(text) && text[j] >= utf8.RuneSelf && unicode.IsLetter(runeAt(text, j)) && !isHan(runeAt(text, j)) {
				for j < len(text) && text[j] >= utf8.RuneSelf && unicode.IsLetter(runeAt(text, j)) && !isHan(runeAt(text, j)) {
					_, n := utf8.DecodeRuneInString(text[j:])
					j += n
				}
				out = append(out, addSep(unit{start: i, end: j, brk: true}, i))
				i, sepStart = j, j
				continue
			}
			out = sc.appendEnglish(out, addSep(unit{start: i, end: j, en: -1, han: [2]int16{-1, -1}}, i))
			i, sepStart = j, j
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRuneInString(text[i:])
			switch {
			case isHan(r):
				u := unit{start: i, end: i + n, en: -1, han: [2]int16{-1, -1}}
				if v, ok := hanIndex[r]; ok {
					u.han = v
				} else {
					u.brk = true
				}
				if sepStart == i && len(out) > 0 && !out[len(out)-1].brk && out[len(out)-1].end == i && isHan(runeBefore(text, i)) {
					u.joined = true
				} else {
					u = addSep(u, i)
				}
				out = append(out, u)
				sepStart = i + n
			case unicode.IsLetter(r):
				out = append(out, addSep(unit{start: i, end: i + n, brk: true}, i))
				sepStart = i + n
			}
			i += n
		}
	}
	return out
}

// appendEnglish reads one English token onto out: a list word, a word's
// first four letters, words run together, or a hole (a word not in the
// list that a numbered or announced phrase may still contain, mistyped).
func (sc *scanner) appendEnglish(out []unit, u unit) []unit {
	w := sc.lower[u.start:u.end]
	if i := englishWord(w); i >= 0 {
		u.en = i
		return append(out, u)
	}
	if parts := splitGlued(w); parts != nil {
		for k, p := range parts {
			v := u
			v.en, v.joined = p, k > 0
			out = append(out, v)
		}
		return out
	}
	if len(w) >= 4 && len(w) <= 9 {
		u.hole = true
	} else {
		u.brk = true
	}
	return append(out, u)
}

// readSep describes a separator.
func readSep(s string) sep {
	d := sep{space: true, num: -1}
	n, digits := 0, false
	for _, r := range s {
		d.runes++
		switch {
		case r == '\n' || r == '\r':
			d.newline, d.space = true, false
		case r == ' ' || r == '\t' || r == '\u3000':
		default:
			d.space = false
		}
		if v := digitValue(r); v >= 0 {
			if !digits {
				n = 0
			}
			n, digits = n*10+v, true
			if n > 1000 {
				n = 1000
			}
			d.num = n
		} else {
			digits = false
		}
	}
	return d
}

// run is a stretch of units of one list.
type run struct {
	list  int // 0 English, 1 simplified, 2 traditional
	units []unit
}

// index is unit k's index in the run's list, or -1.
func (r *run) index(k int) int {
	u := &r.units[k]
	if r.list == 0 {
		return u.en
	}
	return int(u.han[r.list-1])
}

func (r *run) start() int { return r.units[0].start }
func (r *run) end() int   { return r.units[len(r.units)-1].end }

// connects reports whether a run continues from one unit to the next.
func connects(u unit) bool {
	return u.joined || u.sep.runes <= maxSep
}

// runs splits units into runs of the list (0 English, 1 simplified, 2
// traditional); holes stay in English runs only when holes is set.
// Runs of fewer than 12 units are left out: no phrase is shorter. Each
// run is a piece of units, not a copy.
func runs(units []unit, list int, holes bool) []run {
	var out []run
	from := 0
	flush := func(to int) {
		if to-from >= 12 {
			out = append(out, run{list: list, units: units[from:to]})
		}
	}
	for k, u := range units {
		in := !u.brk && ((list == 0 && (u.en >= 0 || (holes && u.hole))) || (list > 0 && u.han[list-1] >= 0))
		switch {
		case !in:
			flush(k)
			from = k + 1
		case k > from && !connects(u):
			flush(k)
			from = k
		}
	}
	flush(len(units))
	return out
}

// phraseSizes are the lengths of a BIP-39 phrase, longest first.
var phraseSizes = []int{24, 21, 18, 15, 12}

// validChecksum reports whether the word indexes form a phrase whose
// checksum holds.
func validChecksum(idx []int) bool {
	n := len(idx)
	if n%3 != 0 || n < 12 || n > 24 {
		return false
	}
	var buf [33]byte
	bit := 0
	for _, v := range idx {
		if v < 0 {
			return false
		}
		for b := 10; b >= 0; b-- {
			if v>>b&1 == 1 {
				buf[bit/8] |= 0x80 >> (bit % 8)
			}
			bit++
		}
	}
	entBytes := n * 4 / 3
	cs := n / 3
	sum := sha256.Sum256(buf[:entBytes])
	return buf[entBytes]>>(8-cs) == sum[0]>>(8-cs)
}

// numbering says how a run is numbered: numbered when most of its units
// follow a number one more than the last ("1. a 2. b"), and order, when
// the numbers are exactly 1…n in another order (a phrase written in
// columns), the units in their numbers' order.
func (r *run) numbering() (numbered bool, order []int) {
	n := len(r.units)
	seq, seen, perm := 0, make([]int, n+1), true
	for k, u := range r.units {
		num := u.sep.num
		if u.joined {
			num = -1
		}
		if k > 0 && num >= 0 && num == r.units[k-1].sep.num+1 {
			seq++
		}
		if num < 1 || num > n || seen[num] != 0 {
			perm = false
		} else {
			seen[num] = k + 1
		}
	}
	numbered = seq >= 6 && seq*2 >= n
	if perm {
		order = make([]int, n)
		for v := 1; v <= n; v++ {
			order[v-1] = seen[v] - 1
		}
		numbered = true
	}
	return numbered, order
}

// spaced reports whether a Chinese run is written a character at a time:
// three quarters of its characters stand apart.
func (r *run) spaced() bool {
	apart := 0
	for _, u := range r.units[1:] {
		if !u.joined {
			apart++
		}
	}
	return apart*4 >= (len(r.units)-1)*3
}

// mnemonics finds recovery phrases.
func (sc *scanner) mnemonics(spans []span) []span {
	units := sc.units()
	if len(units) < 12 {
		return spans
	}
	for list := 0; list <= 2; list++ {
		for _, r := range runs(units, list, false) {
			if list == 0 || r.spaced() {
				if start, end, ok := sc.phraseSpan(&r, len(sc.announced()) > 0); ok {
					spans = append(spans, span{start, end, Mnemonic})
				}
				continue
			}
			spans = sc.unspaced(spans, &r, sc.announced())
		}
	}
	if hasHoles(units) && (hasNumbering(units) || len(sc.announced()) > 0) {
		// A numbered or announced English phrase may have a mistyped
		// word: read the runs again with holes that are one edit from a
		// list word.
		for _, r := range runs(units, 0, true) {
			if sc.mistypedPhrase(&r, len(sc.announced()) > 0) {
				spans = append(spans, span{r.start(), r.end(), Mnemonic})
			}
		}
	}
	return spans
}

func hasHoles(units []unit) bool {
	for _, u := range units {
		if u.hole {
			return true
		}
	}
	return false
}

// phraseSpan decides an English or spaced Chinese run and returns what of
// it to mask: the checksum-valid windows when one or two list words are
// left beside them (prose, "please help"), else the whole run.
func (sc *scanner) phraseSpan(r *run, announced bool) (int, int, bool) {
	numbered, order := r.numbering()
	if from, to, ok := r.validWindows(nil); ok {
		if from <= 2 && len(r.units)-to <= 2 {
			return r.units[from].start, r.units[to-1].end, true
		}
		return r.start(), r.end(), true
	}
	if order != nil {
		if _, _, ok := r.validWindows(order); ok {
			return r.start(), r.end(), true
		}
	}
	if numbered || announced || len(r.units) >= 15 {
		return r.start(), r.end(), true
	}
	return 0, 0, false
}

// validWindows finds the checksum-valid windows of a run, longest first
// and left to right, and returns the units they cover, [from, to).
func (r *run) validWindows(order []int) (from, to int, ok bool) {
	idx := make([]int, 0, 24)
	from, to = len(r.units), 0
	for s := 0; s+12 <= len(r.units); {
		n := 0
		for _, size := range phraseSizes {
			if s+size > len(r.units) {
				continue
			}
			idx = idx[:0]
			for k := s; k < s+size; k++ {
				if order != nil {
					idx = append(idx, r.index(order[k]))
				} else {
					idx = append(idx, r.index(k))
				}
			}
			if validChecksum(idx) {
				n = size
				break
			}
		}
		if n == 0 {
			s++
			continue
		}
		from, to, ok = min(from, s), s+n, true
		s += n
	}
	return from, to, ok
}

// mistypedPhrase decides an English run that has holes: at most two, each
// one edit from a list word, in a run of 12 and more that is numbered or
// announced.
func (sc *scanner) mistypedPhrase(r *run, announced bool) bool {
	holes := 0
	for _, u := range r.units {
		if u.hole {
			holes++
		}
	}
	if holes == 0 || holes > 2 || holes*6 > len(r.units) {
		return false
	}
	numbered, _ := r.numbering()
	if !numbered && !announced {
		return false
	}
	for _, u := range r.units {
		if u.hole && !nearEnglishWord(sc.lower[u.start:u.end]) {
			return false
		}
	}
	return true
}

// hasNumbering is a cheap test for numbering before a unit, so that the
// runs with holes are read only when they can matter.
func hasNumbering(units []unit) bool {
	n := 0
	for _, u := range units {
		if u.sep.num >= 0 && !u.joined {
			n++
		}
	}
	return n >= 6
}

// unspaced decides a Chinese run written without spaces: its clauses, and
// the characters right after an announcing word.
func (sc *scanner) unspaced(spans []span, r *run, announced map[int]bool) []span {
	from := 0
	for k := 1; k <= len(r.units); k++ {
		if k < len(r.units) && (r.units[k].joined || r.units[k].sep.space) {
			continue
		}
		// A clause: units[from:k].
		if n := k - from; n%3 == 0 && n >= 12 && n <= 24 {
			idx := make([]int, n)
			for j := range idx {
				idx[j] = r.index(from + j)
			}
			start, end := r.units[from].start, r.units[k-1].end
			if validChecksum(idx) && looksRandom(idx) && (n >= 15 || len(announced) > 0 || sc.aloneOnLine(start, end)) {
				spans = append(spans, span{start, end, Mnemonic})
			}
		}
		if len(announced) > 0 {
			for j := from; j+12 <= k; j++ {
				if announced[r.units[j].start] {
					if n := r.windowFrom(j, k); n > 0 {
						spans = append(spans, span{r.units[j].start, r.units[j+n-1].end, Mnemonic})
						j += n - 1
					}
				}
			}
		}
		from = k
	}
	return spans
}

// windowFrom is the length of the longest checksum-valid phrase starting
// at unit j and ending before unit k, or 0.
func (r *run) windowFrom(j, k int) int {
	for _, n := range phraseSizes {
		if j+n > k {
			continue
		}
		idx := make([]int, n)
		for m := range idx {
			idx[m] = r.index(j + m)
		}
		if validChecksum(idx) && looksRandom(idx) {
			return n
		}
	}
	return 0
}

// looksRandom tells characters drawn at random from a Chinese list from
// prose made of its commonest ones. The lists are in order of frequency,
// so prose has small indexes: the mean of log(index+1) is 6.6 for random
// phrases, under 5.5 for nine prose clauses in ten (1 random phrase in
// 1000 falls under it; see docs/benchmarks.md).
func looksRandom(idx []int) bool {
	sum := 0.0
	for _, v := range idx {
		sum += logRank[v]
	}
	return sum/float64(len(idx)) >= 5.5
}

var logRank = func() (t [2048]float64) {
	for i := range t {
		t[i] = math.Log(float64(i + 1))
	}
	return t
}()

// aloneOnLine reports whether [start, end) is all the words of its line.
func (sc *scanner) aloneOnLine(start, end int) bool {
	ls, le := lineOf(sc.text, start)
	if end > le {
		return false
	}
	for _, part := range []string{sc.text[ls:start], sc.text[end:le]} {
		for _, r := range part {
			if unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}
