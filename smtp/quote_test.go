package smtp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okcare/okcare/smtp"
)

// TestStripQuoted runs every fixture in testdata/quotes: each is a reply
// shaped like one mail client's, then "==== kept ====" and what the
// sender wrote.
func TestStripQuoted(t *testing.T) {
	files, _ := filepath.Glob("testdata/quotes/*.txt")
	if len(files) < 15 {
		t.Fatalf("%d fixtures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in, want, ok := strings.Cut(string(raw), "\n==== kept ====\n")
			if !ok {
				t.Fatal("no ==== kept ==== line")
			}
			want = strings.TrimSpace(want)
			got, stripped := smtp.StripQuoted(in)
			if got != want {
				t.Fatalf("kept:\n%s\n---- want:\n%s", got, want)
			}
			if stripped != (want != strings.TrimSpace(in)) {
				t.Fatalf("stripped = %v", stripped)
			}
		})
	}
}

func FuzzStripQuoted(f *testing.F) {
	files, _ := filepath.Glob("testdata/quotes/*.txt")
	for _, file := range files {
		raw, _ := os.ReadFile(file)
		in, _, _ := strings.Cut(string(raw), "\n==== kept ====\n")
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, stripped := smtp.StripQuoted(in)
		if !stripped && got != strings.TrimSpace(strings.ReplaceAll(in, "\r\n", "\n")) && got != strings.TrimSpace(in) {
			t.Fatalf("changed the text without saying so: %q -> %q", in, got)
		}
		if stripped && (got == "" || len(got) >= len(in)) {
			t.Fatalf("stripped to %q from %q", got, in)
		}
		if again, _ := smtp.StripQuoted(got); stripped && len(again) > len(got) {
			t.Fatal("stripping grew the text")
		}
	})
}
