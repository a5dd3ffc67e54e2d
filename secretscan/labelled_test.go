package secretscan

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "write testdata/generated.txt again")

// labelled is one text of the labelled set.
type labelled struct {
	kinds   []string // nil: no secret
	gone    []string // fragments that must not survive masking
	text    string
	source  string
	comment string
}

// readLabelled reads a file in the format of testdata/labelled.txt.
func readLabelled(t testing.TB, path string) []labelled {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []labelled
	var cur *labelled
	var lines []string
	flush := func() {
		if cur != nil {
			cur.text = strings.TrimRight(strings.Join(lines, "\n"), "\n")
			out = append(out, *cur)
		}
		lines = nil
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if head, ok := strings.CutPrefix(line, "=== "); ok {
			flush()
			head, gone, _ := strings.Cut(head, " ! ")
			cur = &labelled{source: filepath.Base(path)}
			if head = strings.TrimSpace(head); head != "none" {
				cur.kinds = strings.Split(head, ",")
			}
			for _, g := range strings.Split(gone, ",") {
				if g = strings.TrimSpace(g); g != "" {
					cur.gone = append(cur.gone, g)
				}
			}
			continue
		}
		if cur != nil {
			lines = append(lines, line)
		}
	}
	flush()
	return out
}

// kbParagraphs are the help center's articles, paragraph by paragraph:
// ordinary prose about exactly the things customers write about, none of
// which may be masked.
func kbParagraphs(t testing.TB) []labelled {
	files, _ := filepath.Glob("../kb/articles/*.md")
	var out []labelled
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(string(raw), "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, labelled{text: p, source: "kb/" + filepath.Base(f)})
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d help-center paragraphs", len(out))
	}
	return out
}

// ownTexts are okcare's own words to customers and staff, line by line:
// the message catalogs, the pages' and console's texts, the seed story and
// the docs. None is a secret, and many talk about them.
func ownTexts(t testing.TB) []labelled {
	var out []labelled
	for _, pattern := range []string{"../notice/locales/*.toml", "../http/html/*.html", "../http/*text*.go", "../http/i18n.go", "../http/consolelabels.go", "../docs/*.md", "../README.md", "../diagnose/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(string(raw), "\n") {
				if line = strings.TrimSpace(line); len(line) >= 20 {
					out = append(out, labelled{text: line, source: strings.TrimPrefix(f, "../")})
				}
			}
		}
	}
	if len(out) < 1000 {
		t.Fatalf("only %d lines of okcare's own texts", len(out))
	}
	return out
}

// score counts outcomes per kind.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestLabelledSet masks the labelled set and reports precision and recall
// per kind: a secret counts as found only if its kind is reported and none
// of its fragments is left; a text without secrets must come out as it
// went in. Run with -v for the table docs/benchmarks.md shows.
func TestLabelledSet(t *testing.T) {
	if *update {
		writeGenerated(t)
	}
	sets := map[string][]labelled{
		"hand-written": readLabelled(t, "testdata/labelled.txt"),
		"generated":    readLabelled(t, "testdata/generated.txt"),
		"help center":  kbParagraphs(t),
		"okcare texts": ownTexts(t),
	}
	scores := map[string]*score{}
	for _, k := range Kinds {
		scores[k] = &score{}
	}
	texts, clean, wronglyMasked := 0, 0, 0
	for _, name := range []string{"hand-written", "generated", "help center", "okcare texts"} {
		for _, c := range sets[name] {
			texts++
			res := Mask(c.text, "zh-CN")
			if len(c.kinds) == 0 {
				clean++
				if res.Text != c.text {
					wronglyMasked++
					t.Errorf("%s: prose masked:\n%s\n=> %s", c.source, c.text, res.Text)
				}
			}
			for _, k := range Kinds {
				want, got := slices.Contains(c.kinds, k), slices.Contains(res.Kinds, k)
				switch {
				case want && got && !leftOver(res.Text, c.gone):
					scores[k].tp++
				case want:
					scores[k].fn++
					t.Errorf("%s: %s missed:\n%s\n=> %s", c.source, k, c.text, res.Text)
				case got:
					scores[k].fp++
				}
			}
		}
	}
	var all score
	t.Logf("%d texts (%d hand-written, %d generated, %d help-center paragraphs, %d lines of okcare's own texts); %d without secrets, %d of them changed",
		texts, len(sets["hand-written"]), len(sets["generated"]), len(sets["help center"]), len(sets["okcare texts"]), clean, wronglyMasked)
	t.Logf("| kind | found | missed | wrongly masked | precision | recall |")
	for _, k := range Kinds {
		s := scores[k]
		all.tp, all.fp, all.fn = all.tp+s.tp, all.fp+s.fp, all.fn+s.fn
		t.Logf("| %s | %d | %d | %d | %.3f | %.3f |", k, s.tp, s.fn, s.fp, s.precision(), s.recall())
	}
	t.Logf("| all | %d | %d | %d | %.3f | %.3f |", all.tp, all.fn, all.fp, all.precision(), all.recall())
}

func leftOver(text string, gone []string) bool {
	for _, g := range gone {
		if strings.Contains(text, g) {
			return true
		}
	}
	return false
}

// writeGenerated writes testdata/generated.txt: valid phrases of every
// length in the three lists, written the ways customers write them, and
// keys, keystores and codes made from random bytes (fixed seed).
func writeGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(39, 2026))
	var b strings.Builder
	b.WriteString("# Made by `go test -run TestLabelledSet -update ./secretscan/` (fixed seed): do not edit.\n\n")
	add := func(kind string, gone []string, text string) {
		fmt.Fprintf(&b, "=== %s ! %s\n%s\n", kind, strings.Join(gone, ", "), text)
	}
	for _, l := range []*wordlist{english, simplified, traditional} {
		for _, n := range phraseSizes {
			for style := 0; style < 4; style++ {
				w := newPhrase(rng, l, n)
				gone := []string{w[1] + " " + w[2], w[n-2] + " " + w[n-1]}
				var text string
				switch style {
				case 0:
					text = strings.Join(w, " ")
				case 1:
					text = numbered(w, "\n")
					gone = []string{w[1], w[n-1]}
				case 2:
					text = strings.Join(w, ", ")
					gone = []string{w[1] + ", " + w[2]}
				case 3:
					if l == english {
						text = "please check my phrase " + strings.Join(w, "  ")
						gone = []string{w[1] + "  " + w[2]}
					} else {
						text = strings.Join(w, "")
						gone = []string{w[1] + w[2], w[n-2] + w[n-1]}
					}
				}
				if l != english && style == 0 {
					text = "我的助记词：" + text
				}
				add(Mnemonic, gone, text)
			}
		}
	}
	for i := 0; i < 20; i++ {
		key := randomBytes(rng, 32)
		h := hex.EncodeToString(key)
		add(PrivateKey, []string{h}, []string{"私钥 ", "0x", "my key: ", "", "导出的私钥是"}[i%5]+h)
		wif := base58CheckEncode(append(append([]byte{0x80}, key...), 0x01))
		add(PrivateKey, []string{wif}, "WIF "+wif)
		ext := base58CheckEncode(slices.Concat([]byte{0x04, 0x88, 0xad, 0xe4, 0}, randomBytes(rng, 8), randomBytes(rng, 32), []byte{0}, key))
		add(PrivateKey, []string{ext}, ext)
		ct := hex.EncodeToString(randomBytes(rng, 32))
		add(Keystore, []string{ct}, fmt.Sprintf(`{"crypto":{"cipher":"aes-128-ctr","ciphertext":"%s","cipherparams":{"iv":"%s"},"kdf":"scrypt","kdfparams":{"n":8192,"salt":"%s"},"mac":"%s"},"version":3}`,
			ct, hex.EncodeToString(randomBytes(rng, 16)), hex.EncodeToString(randomBytes(rng, 32)), hex.EncodeToString(randomBytes(rng, 32))))
		code := fmt.Sprintf("%06d", rng.IntN(1000000))
		add(Code, []string{code}, []string{"验证码是" + code, "验证码：" + code + "，麻烦快点", "my code is " + code, "OTP " + code, "动态码 " + code}[i%5])
		tx := hex.EncodeToString(randomBytes(rng, 32))
		fmt.Fprintf(&b, "=== none\n%s\n", []string{"交易哈希：0x" + tx, "txid " + tx, "tx hash 0x" + tx, "https://etherscan.io/tx/0x" + tx, "区块浏览器 " + tx}[i%5])
	}
	if err := os.WriteFile("testdata/generated.txt", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	return b
}

// base58CheckEncode encodes payload with its checksum.
func base58CheckEncode(payload []byte) string {
	h := sha256.Sum256(payload)
	h = sha256.Sum256(h[:])
	in := append(append([]byte{}, payload...), h[:4]...)
	var digits []byte // little-endian base58 digits
	for _, c := range in {
		carry := int(c)
		for k := range digits {
			carry += int(digits[k]) << 8
			digits[k] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	var out []byte
	for _, c := range in {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for k := len(digits) - 1; k >= 0; k-- {
		out = append(out, base58Alphabet[digits[k]])
	}
	return string(out)
}

// TestChineseProseWindows is the hardest case for Chinese phrases written
// without spaces: every stretch of 12 to 24 list characters of the help
// center's and the labelled set's Chinese prose, put alone on a line (the
// form in which a phrase needs no announcing word). The checksum passes
// for about 1 in 16 of the 12-character ones; the randomness test must
// turn nearly all of those away.
func TestChineseProseWindows(t *testing.T) {
	var prose []string
	for _, c := range append(kbParagraphs(t), readLabelled(t, "testdata/labelled.txt")...) {
		if len(c.kinds) == 0 {
			prose = append(prose, c.text)
		}
	}
	windows, checksums, masked := 0, 0, 0
	for _, p := range prose {
		var run []rune
		flush := func() {
			for _, n := range phraseSizes {
				for s := 0; s+n <= len(run); s++ {
					w := string(run[s : s+n])
					idx := make([]int, n)
					for i, r := range run[s : s+n] {
						idx[i] = int(hanIndex[r][0])
					}
					windows++
					if validChecksum(idx) {
						checksums++
					}
					if Mask(w, "zh-CN").Found() {
						masked++
					}
				}
			}
			run = run[:0]
		}
		for _, r := range p {
			if v, ok := hanIndex[r]; ok && v[0] >= 0 {
				run = append(run, r)
			} else {
				flush()
			}
		}
		flush()
	}
	t.Logf("%d prose windows alone on a line: %d with a valid checksum, %d masked (%.2f%%)", windows, checksums, masked, 100*ratio(masked, windows))
	if windows < 200 || ratio(masked, windows) > 0.01 {
		t.Errorf("%d of %d prose windows masked", masked, windows)
	}
}
