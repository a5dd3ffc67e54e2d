package version_test

import (
	"testing"

	"github.com/okcare/okcare/version"
)

func TestParse(t *testing.T) {
	valid := []string{"5.2.0", "5.2", "14", "17.4.1", "0.0.1", "6.0.0-beta.2", "1.0.0-rc.1+build.5", "1.0.0+20130313144700", "1.0.0-alpha-1", "18446744073709551615"}
	invalid := []string{"", "v5.2.0", "5.2.0.1", "05.2.0", "5..0", "5.2.", ".5", "5.2.0-", "5.2.0+", "5.2.0-01", "5.2.0-be ta", "a.b.c", "5.2.0-beta..1", "18446744073709551616", "１.２.３", "5.2.0\n"}
	for _, s := range valid {
		if _, err := version.Parse(s); err != nil {
			t.Errorf("Parse(%q) = %v, want ok", s, err)
		}
	}
	for _, s := range invalid {
		if v, err := version.Parse(s); err == nil {
			t.Errorf("Parse(%q) = %+v, want error", s, v)
		}
	}
}

func TestCompare(t *testing.T) {
	// Each version is lower than the next: the semver.org precedence example
	// plus the short forms the app and OSes use.
	ordered := []string{
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2", "1.10.0", "2", "5.1.9", "5.2.0", "14", "17.4.1",
	}
	for i := range ordered {
		for j := range ordered {
			a, _ := version.Parse(ordered[i])
			b, _ := version.Parse(ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := version.Compare(a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	if !version.Equal("5.2", "5.2.0") || !version.Equal("1.0.0+a", "1.0.0+b") {
		t.Error("short forms and build metadata should compare equal")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"5.2.0", "1.0.0-rc.1+b", "14", "0.0.0-0", "1.0.0-a.b.c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := version.Parse(s)
		if err != nil {
			return
		}
		if version.Compare(v, v) != 0 {
			t.Fatalf("%q does not equal itself", s)
		}
		w, err := version.Parse(s)
		if err != nil || version.Compare(v, w) != 0 {
			t.Fatalf("%q parses differently twice", s)
		}
	})
}
