package official

import (
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/unicode/norm"
)

// Check says whether input (a channel of kind, or of the kind Detect
// guesses when kind is "") is on the list of official channels and, if it
// is not, whether it imitates one. brand are the words of OK Wallet's name
// an imitation borrows ("okwallet", "ok钱包"); the names of the official
// domains count as such words too. Returns ErrInvalid.
func Check(kind, input string, list []Channel, brand []string) (Verdict, error) {
	if kind == "" {
		kind = Detect(input)
	}
	if kind == Handle {
		return checkHandle(input, list, brand)
	}
	value, err := Normalize(kind, input)
	if err != nil {
		return Verdict{}, err
	}
	v := Verdict{Kind: kind, Value: value}
	mine := ofKind(list, kind)
	for _, c := range mine {
		if same(kind, value, c.Value) {
			v.Official, v.Match = true, &c
			return v, nil
		}
	}
	v.NoneOfKind = len(mine) == 0
	names := append(brandWords(list), brand...)
	switch kind {
	case Website:
		v.lookalikeHost(value, list, names)
	case Email:
		v.lookalikeEmail(value, list, names)
	case Phone, WhatsApp:
		v.lookalikeNumber(value, list)
	case Telegram, WeChat:
		v.lookalikeName(value, list, names)
	}
	v.Lookalike = len(v.Signs) > 0
	return v, nil
}

// checkHandle checks a bare account name against the Telegram and WeChat
// channels both.
func checkHandle(input string, list []Channel, brand []string) (Verdict, error) {
	var tried []Verdict
	for _, kind := range []string{Telegram, WeChat} {
		v, err := Check(kind, input, list, brand)
		if err != nil {
			continue
		}
		if v.Official {
			return v, nil
		}
		tried = append(tried, v)
	}
	if len(tried) == 0 {
		return Verdict{}, ErrInvalid
	}
	v := tried[0]
	for _, t := range tried[1:] {
		if t.Lookalike && !v.Lookalike {
			v = t
		}
	}
	v.Kind, v.NoneOfKind = Handle, false
	return v, nil
}

func ofKind(list []Channel, kind string) []Channel {
	var out []Channel
	for _, c := range list {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// same reports whether two normalized values of kind are one channel: a
// host under an official website is that website's; a phone number
// written with or without its country code is one number.
func same(kind, a, official string) bool {
	switch kind {
	case Website:
		return a == official || strings.HasSuffix(a, "."+official)
	case Phone, WhatsApp:
		return samePhone(a, official)
	}
	return a == official
}

// samePhone: equal with country codes on both sides; or one national
// number (trunk zeros dropped) that the international one ends with,
// after a country code of one to three digits.
func samePhone(a, b string) bool {
	pa, pb := strings.HasPrefix(a, "+"), strings.HasPrefix(b, "+")
	da, db := strings.TrimPrefix(a, "+"), strings.TrimPrefix(b, "+")
	switch {
	case pa == pb:
		return strings.TrimLeft(da, "0") == strings.TrimLeft(db, "0")
	case pa:
		da, db = db, da // da national, db international
	}
	n := strings.TrimLeft(da, "0")
	cc := len(db) - len(n)
	return len(n) >= 5 && cc >= 1 && cc <= 3 && strings.HasSuffix(db, n)
}

// brandWords are the names of the official domains ("okwallet" of
// okwallet.example), words any imitation of them carries.
func brandWords(list []Channel) []string {
	var out []string
	for _, d := range domains(list) {
		if l := label(d); len(l) >= 4 {
			out = append(out, l)
		}
	}
	return out
}

// domains are the official websites and the domains of official
// addresses.
func domains(list []Channel) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range list {
		d := ""
		switch c.Kind {
		case Website:
			d = c.Value
		case Email:
			_, d, _ = strings.Cut(c.Value, "@")
		}
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// label is the name part of a host's registrable domain: "okwallet" of
// help.okwallet.example, "okwallet-support" of okwallet-support.com.
func label(host string) string {
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		reg = host
	}
	l, _, _ := strings.Cut(reg, ".")
	return l
}

func (v *Verdict) sign(s string, like Channel) {
	for _, have := range v.Signs {
		if have == s {
			return
		}
	}
	v.Signs = append(v.Signs, s)
	if v.Like == nil {
		v.Like = &like
	}
}

// lookalikeHost finds the signs of a host made to pass for an official
// domain.
func (v *Verdict) lookalikeHost(host string, list []Channel, names []string) {
	if u, err := idna.ToUnicode(host); err == nil {
		host = u
	}
	sk := skeleton(host)
	websites := ofKind(list, Website)
	like := func(d string) Channel {
		if len(websites) > 0 {
			return websites[0]
		}
		return Channel{Kind: Website, Value: d}
	}
	for _, d := range domains(list) {
		dsk := skeleton(d)
		switch {
		case sk == dsk || strings.HasSuffix(sk, "."+dsk):
			v.sign(SignHomoglyph, Channel{Kind: Website, Value: d})
		case skeleton(label(host)) == skeleton(label(d)):
			if label(host) != label(d) {
				v.sign(SignHomoglyph, like(d))
			} else {
				v.sign(SignOtherDomain, like(d))
			}
		case len(label(d)) >= 5 && distance(skeleton(label(host)), skeleton(label(d))) <= typos(label(d)):
			v.sign(SignTypo, like(d))
		}
	}
	// Our name with other words around it; the same name in other
	// letters is a homoglyph only.
	ds := domains(list)
	for _, d := range ds {
		if squeeze(sk) == squeeze(skeleton(d)) {
			return
		}
	}
	for _, n := range names {
		if strings.Contains(squeeze(sk), squeeze(skeleton(n))) {
			d := ""
			if len(ds) > 0 {
				d = ds[0]
			}
			v.sign(SignBrandWords, like(d))
		}
	}
}

// lookalikeEmail finds the signs of an address made to pass for ours: at
// our own domain but not one we write from, at a lookalike domain, or our
// name at somebody else's mail service.
func (v *Verdict) lookalikeEmail(addr string, list []Channel, names []string) {
	local, domain, _ := strings.Cut(addr, "@")
	emails := ofKind(list, Email)
	for _, d := range domains(list) {
		if same(Website, domain, d) {
			like := Channel{Kind: Website, Value: d}
			if len(emails) > 0 {
				like = emails[0]
			}
			v.sign(SignOfficialDomain, like)
			return
		}
	}
	var host Verdict
	host.lookalikeHost(domain, list, names)
	for _, s := range host.Signs {
		like := *host.Like
		if len(emails) > 0 {
			like = emails[0]
		}
		v.sign(s, like)
	}
	for _, n := range names {
		if strings.Contains(squeeze(skeleton(local)), squeeze(skeleton(n))) && len(emails) > 0 {
			v.sign(SignBrandWords, emails[0])
		}
	}
}

// lookalikeNumber finds a number a digit or two away from an official
// one, or an official number with digits added (seven digits or more:
// short service numbers are all alike).
func (v *Verdict) lookalikeNumber(number string, list []Channel) {
	for _, c := range append(ofKind(list, Phone), ofKind(list, WhatsApp)...) {
		for _, a := range nationals(number) {
			for _, b := range nationals(c.Value) {
				close := len(a) >= 7 && len(b) >= 7 && distance(a, b) <= typos(b)
				extra := len(b) >= 7 && len(a) > len(b) && strings.Contains(a, b)
				if close || extra {
					v.sign(SignCloseNumber, c)
				}
			}
		}
	}
}

// nationals are the forms of a number to compare digit by digit: a
// national one without trunk zeros, an international one without each
// possible country code.
func nationals(n string) []string {
	if !strings.HasPrefix(n, "+") {
		return []string{strings.TrimLeft(n, "0")}
	}
	d := n[1:]
	var out []string
	for cc := 1; cc <= 3 && len(d)-cc >= 5; cc++ {
		out = append(out, d[cc:])
	}
	return out
}

// lookalikeName finds a chat account name made to pass for an official
// one: the same name with lookalike characters, a typo away, or our name
// with other words.
func (v *Verdict) lookalikeName(name string, list []Channel, names []string) {
	sk := squeeze(skeleton(name))
	for _, c := range append(ofKind(list, Telegram), ofKind(list, WeChat)...) {
		csk := squeeze(skeleton(c.Value))
		switch {
		case sk == csk:
			v.sign(SignHomoglyph, c)
		case len(csk) >= 5 && distance(sk, csk) <= typos(csk):
			v.sign(SignTypo, c)
		}
	}
	for _, n := range names {
		if strings.Contains(sk, squeeze(skeleton(n))) {
			like := Channel{Kind: v.Kind}
			if hs := append(ofKind(list, Telegram), ofKind(list, WeChat)...); len(hs) > 0 {
				like = hs[0]
			}
			v.sign(SignBrandWords, like)
		}
	}
}

// confusable maps characters to the Latin letter they pass for.
var confusable = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x',
	'і': 'l', 'ї': 'l', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'l', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w',
	// Digits and signs
	'0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '|': 'l', '!': 'l', '$': 's', '@': 'a',
	// i, I and l are one stroke each
	'i': 'l', 'ı': 'l',
}

// skeleton is what a text looks like: width folded, lower case,
// confusable characters and "rn", "vv" replaced by what they pass for.
func skeleton(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	s = strings.Map(func(r rune) rune {
		if c, ok := confusable[r]; ok {
			return c
		}
		return r
	}, s)
	return strings.NewReplacer("rn", "m", "vv", "w").Replace(s)
}

// squeeze keeps letters and digits only, so that "ok-wallet", "ok_wallet"
// and "ok.wallet" meet.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// typos is how many edits away from an official name or number still
// reads as an imitation of it: one for up to nine characters, two for
// longer ones (more and every wallet's name would look like ours).
func typos(s string) int {
	if len([]rune(s)) < 10 {
		return 1
	}
	return 2
}

// distance is the optimal-string-alignment edit distance: insertions,
// deletions, substitutions and swaps of neighbours, in runes.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
