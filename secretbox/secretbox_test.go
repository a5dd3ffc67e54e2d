package secretbox_test

import (
	"strings"
	"testing"

	"github.com/okcare/okcare/secretbox"
)

func TestSealOpen(t *testing.T) {
	key, err := secretbox.ParseKey(secretbox.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	box, _ := secretbox.New(key)
	sealed := box.Seal("JBSWY3DPEHPK3PXP", "usr_1")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || sealed == box.Seal("JBSWY3DPEHPK3PXP", "usr_1") {
		t.Fatal("sealed value shows the secret or is deterministic")
	}
	if got, err := box.Open(sealed, "usr_1"); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := box.Open(sealed, "usr_2"); err == nil {
		t.Fatal("opened with another user's context")
	}
	other, _ := secretbox.New(make([]byte, 32))
	if _, err := other.Open(sealed, "usr_1"); err == nil {
		t.Fatal("opened with another key")
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	for _, bad := range []string{tampered, "JBSWY3DPEHPK3PXP", "v1:!!", "v1:", ""} {
		if _, err := box.Open(bad, "usr_1"); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
	for _, bad := range []string{"", "short", strings.Repeat("A", 40)} {
		if _, err := secretbox.ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
}

func TestDerive(t *testing.T) {
	key, _ := secretbox.ParseKey(secretbox.NewKey())
	box, _ := secretbox.New(key)
	again, _ := secretbox.New(key)
	other, _ := secretbox.New(make([]byte, 32))
	a, b := box.Derive("mail"), box.Derive("other")
	if len(a) != 32 || string(a) != string(again.Derive("mail")) {
		t.Fatal("the same key and label derive different keys")
	}
	if string(a) == string(b) || string(a) == string(other.Derive("mail")) || string(a) == string(key) {
		t.Fatal("another label or key derives the same key, or the key itself")
	}
}
