package secretscan

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMask: Mask never panics, returns valid UTF-8, keeps clean text as
// it is, and changes nothing the second time.
func FuzzMask(f *testing.F) {
	raw, err := os.ReadFile("testdata/labelled.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range strings.Split(string(raw), "=== ") {
		f.Add(c)
	}
	f.Add("验证码 123456 789012")
	f.Add("code 5678 1234")
	f.Add("[code hidden] 1234 验证码")
	f.Add(`{"ciphertext":"{"kdf"`)
	f.Fuzz(func(t *testing.T, in string) {
		res := Mask(in, "en")
		if !utf8.ValidString(res.Text) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		if !res.Found() && utf8.ValidString(in) && res.Text != in {
			t.Fatalf("nothing found, yet %q became %q", in, res.Text)
		}
		if again := Mask(res.Text, "en"); again.Text != res.Text {
			t.Fatalf("not idempotent:\n%q\n-> %q\n-> %q", in, res.Text, again.Text)
		}
	})
}
