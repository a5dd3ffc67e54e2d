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
	} {
		if got := password.Problem(tt.pw, tt.ids...); (got == "") != tt.fine {
			t.Errorf("Problem(%q) = %q, want fine=%v", tt.pw, got, tt.fine)
		}
	}
}
