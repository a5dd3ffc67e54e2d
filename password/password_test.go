package password_test

import (
	"strings"
	"testing"

	"github.com/okcare/okcare/password"
)

func TestHashVerify(t *testing.T) {
	h, err := password.Hash("correct horse battery", password.TestParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if ok, err := password.Verify("correct horse battery", h); !ok || err != nil {
		t.Fatalf("Verify(right) = %v, %v", ok, err)
	}
	if ok, _ := password.Verify("correct horse batterY", h); ok {
		t.Fatal("Verify(wrong) = true")
	}
	h2, _ := password.Hash("correct horse battery", password.TestParams)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5"} {
		if _, err := password.Verify("x", bad); err == nil {
			t.Errorf("Verify with malformed hash %q: no error", bad)
		}
	}
}

func TestProblem(t *testing.T) {
	for _, tt := range []struct {
		pw   string
		ids  []string
		fine bool
	}{
		{"short", nil, false},
		{"1234567", nil, false},
		{"Password1", nil, false}, // common, any case
		{"12345678", nil, false},
		{"woaini1314", nil, false},
		{"alice@example.com", []string{"alice@example.com"}, false},
		{"blue-kettle-42", nil, true},
		{"钱包密码很长很安全", nil, true}, // 9 characters, not bytes
		{strings.Repeat("x", 64), nil, true},
		{strings.Repeat("y", 129), nil, false},
		{"bad\xffutf8!", nil, false},
		{"OKWallet2026!", nil, false},                         // the service's name with a year
		{"okcare123", nil, false},                             // ditto
		{"lanlan1988", []string{"lanlan@example.com"}, false}, // the email's name
		{"13800138000", []string{"+8613800138000"}, false},    // the phone, without +86
		{"tiger-lily-harbor", []string{"lanlan@example.com"}, true},
	} {
		if got := password.Problem(tt.pw, tt.ids...); (got == "") != tt.fine {
			t.Errorf("Problem(%q) = %q, want fine=%v", tt.pw, got, tt.fine)
		}
	}
}

// TestWellKnownPasswordsRefused: passwords every guessing list starts with,
// Western and Chinese, are refused (the list ships 10,000+ of them).
func TestWellKnownPasswordsRefused(t *testing.T) {
	for _, pw := range []string{
		"password1", "Qwerty123", "iloveyou", "Passw0rd", "1q2w3e4r", "qwertyuiop", "sunshine", "princess",
		"football", "baseball", "welcome1", "trustno1", "superman", "11111111", "87654321", "1qaz2wsx",
		"aa123456", "a1234567", "5201314", "woaini520", "qq123456", "88888888", "147258369", "zxcvbnm",
		"dearbook", "abc123456", "asdfghjkl", "123qweasd", "Aa123456", "1234qwer", "qazwsxedc",
	} {
		if password.Problem(pw) == "" {
			t.Errorf("%q is accepted", pw)
		}
	}
}

func TestCommonListSize(t *testing.T) {
	if n := password.CommonCount(); n < 10000 {
		t.Fatalf("%d common passwords shipped, want at least 10,000", n)
	}
}
