// Package secretscan finds the secrets a wallet's customers paste into
// support conversations, and masks them before anything is stored: BIP-39
// recovery phrases (English, simplified and traditional Chinese lists),
// private keys (64 hex digits, WIF, extended private keys), keystore JSON
// files, and one-time codes or numeric passwords read out next to the
// word for them. It does no I/O.
//
// Precision against recall: a missed phrase can cost a customer all their
// funds, a wrongly masked sentence costs an agent a question. So the
// scanner masks a checksum-valid phrase wherever it stands, masks a phrase
// whose checksum fails when it is plainly a phrase (numbered, announced by
// a word like 助记词 or "seed", or fifteen and more list words in a row),
// and keeps ordinary prose, transaction hashes named as such, error codes
// and phone numbers. docs/benchmarks.md reports the precision and recall
// of the labelled set in testdata/.
package secretscan

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Kinds of secret.
const (
	Mnemonic   = "mnemonic"
	PrivateKey = "private_key"
	Keystore   = "keystore"
	Code       = "code"
	Password   = "password"
)

// Kinds lists every kind, in the order Result.Kinds uses.
var Kinds = []string{Mnemonic, PrivateKey, Keystore, Code, Password}

// markers are what a secret becomes, by kind and language.
var markers = map[string][2]string{ // zh-CN, en
	Mnemonic:   {"[助记词已隐藏]", "[recovery phrase hidden]"},
	PrivateKey: {"[私钥已隐藏]", "[private key hidden]"},
	Keystore:   {"[密钥文件已隐藏]", "[keystore file hidden]"},
	Code:       {"[验证码已隐藏]", "[code hidden]"},
	Password:   {"[密码已隐藏]", "[password hidden]"},
}

// allMarkers are the markers in both languages: scanning treats them as
// opaque, so that masking twice changes nothing.
var allMarkers = func() []string {
	var out []string
	for _, m := range markers {
		out = append(out, m[0], m[1])
	}
	sort.Strings(out)
	return out
}()

// Marker is the text that replaces a secret of kind in lang ("zh-CN" or
// anything else for English).
func Marker(kind, lang string) string {
	if lang == "zh-CN" {
		return markers[kind][0]
	}
	return markers[kind][1]
}

// Result is a masked text and what was hidden in it.
type Result struct {
	Text string
	// Kinds are the kinds found, each once, in the order of Kinds; nil
	// when the text had no secret.
	Kinds []string
}

// Found reports whether anything was masked.
func (r Result) Found() bool { return len(r.Kinds) > 0 }

// span is one secret found in a text.
type span struct {
	start, end int
	kind       string
}

// maxPasses bounds the masking rounds: masking a secret can leave text
// that, read again, shows another (a code right after a masked one), so
// Mask repeats until a round finds nothing.
const maxPasses = 4

// Mask replaces every secret in text with its marker. The markers are in
// the text's own language (Chinese if it has Chinese outside the secrets,
// else English if it has Latin letters), else in lang, the language of the
// conversation. Invalid UTF-8 is replaced with U+FFFD. Mask of its own
// output changes nothing.
func Mask(text, lang string) Result {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	var res Result
	found := map[string]bool{}
	for pass := 0; pass < maxPasses; pass++ {
		spans := scan(text)
		if len(spans) == 0 {
			break
		}
		if pass == 0 {
			lang = textLang(text, spans, lang)
		}
		text = replace(text, spans, lang)
		for _, s := range spans {
			found[s.kind] = true
		}
	}
	res.Text = text
	for _, k := range Kinds {
		if found[k] {
			res.Kinds = append(res.Kinds, k)
		}
	}
	return res
}

// scan finds the secrets in text, sorted and without overlaps.
func scan(text string) []span {
	sc := newScanner(text)
	var spans []span
	spans = sc.keystores(spans)
	spans = sc.keys(spans)
	spans = sc.mnemonics(spans)
	spans = sc.codes(spans)
	return merge(spans)
}

// merge sorts spans and joins overlapping ones; the joined span takes the
// kind of its longest part.
func merge(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := spans[:1]
	longest := spans[0].end - spans[0].start
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.start >= last.end {
			out, longest = append(out, s), s.end-s.start
			continue
		}
		if s.end-s.start > longest {
			last.kind, longest = s.kind, s.end-s.start
		}
		last.end = max(last.end, s.end)
	}
	return out
}

func replace(text string, spans []span, lang string) string {
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range spans {
		b.WriteString(text[at:s.start])
		b.WriteString(Marker(s.kind, lang))
		at = s.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// textLang is the language of what is left of text once the secrets are
// out: Chinese if any Chinese character is, English if any Latin letter
// is, else fallback.
func textLang(text string, spans []span, fallback string) string {
	latin := false
	at := 0
	for _, s := range append(spans, span{start: len(text), end: len(text)}) {
		for _, r := range text[at:s.start] {
			if isHan(r) {
				return "zh-CN"
			}
			if r < utf8.RuneSelf && isASCIILetter(byte(r)) {
				latin = true
			}
		}
		at = s.end
	}
	if latin {
		return "en"
	}
	return fallback
}
