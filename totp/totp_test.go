package totp_test

import (
	"encoding/base32"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/totp"
)

// rfcSecret is the SHA-1 seed of RFC 6238 appendix B, "12345678901234567890".
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

func TestRFC6238Vectors(t *testing.T) {
	for _, tt := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		got, err := totp.Code(rfcSecret, time.Unix(tt.unix, 0), 8)
		if err != nil || got != tt.want {
			t.Errorf("Code at %d = %q, %v; want %s", tt.unix, got, err, tt.want)
		}
	}
}

// TestAgainstOathtool checks our codes against an independent implementation.
func TestAgainstOathtool(t *testing.T) {
	if _, err := exec.LookPath("oathtool"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("oathtool is not installed; the test script installs it")
		}
		t.Skip("oathtool not installed")
	}
	secret, _, err := totp.Generate("alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, unix := range []int64{59, 1111111109, 1700000000, time.Now().Unix()} {
		at := time.Unix(unix, 0).UTC()
		out, err := exec.Command("oathtool", "--totp", "--base32", "--now", at.Format("2006-01-02 15:04:05 UTC"), secret).Output()
		if err != nil {
			t.Fatal(err)
		}
		ours, _ := totp.Code(secret, at, 6)
		if theirs := strings.TrimSpace(string(out)); theirs != ours {
			t.Errorf("at %d: oathtool %s, okcare %s", unix, theirs, ours)
		}
	}
}

func TestMatchWindowAndReplay(t *testing.T) {
	secret, url, err := totp.Generate("bob@example.com")
	if err != nil || !strings.HasPrefix(url, "otpauth://totp/") {
		t.Fatalf("Generate = %q, %v", url, err)
	}
	now := time.Unix(1700000015, 0)
	step := totp.Step(now)
	at := func(d int64) string {
		c, _ := totp.Code(secret, time.Unix((step+d)*totp.Period, 0), 6)
		return c
	}
	for _, tt := range []struct {
		name     string
		code     string
		lastStep int64
		wantStep int64
		ok       bool
	}{
		{"current", at(0), 0, step, true},
		{"previous step", at(-1), 0, step - 1, true},
		{"next step", at(1), 0, step + 1, true},
		{"two steps old", at(-2), 0, 0, false},
		{"replayed", at(0), step, 0, false},
		{"older than last accepted", at(-1), step - 1, 0, false},
		{"newer than last accepted", at(1), step, step + 1, true},
		{"wrong length", "12345", 0, 0, false},
		{"garbage", "abcdef", 0, 0, false},
		{"spaces trimmed", " " + at(0) + " ", 0, step, true},
	} {
		got, ok := totp.Match(secret, tt.code, now, tt.lastStep)
		if ok != tt.ok || got != tt.wantStep {
			t.Errorf("%s: Match = %d, %v; want %d, %v", tt.name, got, ok, tt.wantStep, tt.ok)
		}
	}
}
