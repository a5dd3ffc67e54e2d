package http

import (
	"testing"

	"github.com/okcare/okcare"
)

func TestUnmarshalStrict(t *testing.T) {
	for _, tt := range []struct {
		body, code string
	}{
		{`{"login":"a","password":"b","device":{"id":"d","platform":"ios","os_version":"17","app_version":"5.0.0"}}`, ""},
		{`{"login":"a","pasword":"b"}`, okcare.EUNKNOWNFIELD},
		{`{"login":"a","device":{"id":"d","colour":"red"}}`, okcare.EUNKNOWNFIELD},
		{`{"login":"a"} {"login":"b"}`, okcare.EINVALIDJSON},
		{`{"login":"a"} x`, okcare.EINVALIDJSON},
		{`{"login":1}`, okcare.EINVALIDJSON},
		{`{"login":"a"`, okcare.EINVALIDJSON},
		{``, okcare.EINVALIDJSON},
		{`[]`, okcare.EINVALIDJSON},
		{"{\"login\":\"\xff\"}", okcare.EINVALIDUTF8},
		{"  {\"login\":\"钱包\"}\n", ""},
		{`null`, okcare.EINVALIDJSON},
		{` null `, okcare.EINVALIDJSON},
		{`{"login":"a","login":"b"}`, okcare.EINVALIDJSON},
		{`{"login":"a","device":{"id":"d","id":"e"}}`, okcare.EINVALIDJSON},
		{`{"device":{"id":"d"},"login":"a","device":{"id":"d"}}`, okcare.EINVALIDJSON},
		{`{"login":"a","device":{"id":"login","platform":"ios"},"password":"login"}`, ""},
		{`{"login":"a","device":{"model":"{\"id\":1,\"id\":2}"}}`, ""},
	} {
		var req okcare.LoginRequest
		if got := okcare.ErrorCode(unmarshalStrict([]byte(tt.body), &req)); got != tt.code {
			t.Errorf("unmarshalStrict(%q) = %q, want %q", tt.body, got, tt.code)
		}
	}
}

// FuzzUnmarshalStrict feeds arbitrary bodies to the request decoder: it must
// never panic, and must only ever fail with one of the decoding codes.
func FuzzUnmarshalStrict(f *testing.F) {
	for _, s := range []string{`{"login":"a","password":"b"}`, `{"to":"x","asset":"CNY","amount":"1.00"}`, `{"device":{"id":"1"}}`, "\xff", `{"a":1}{`, `null`} {
		f.Add([]byte(s))
	}
	allowed := map[string]bool{"": true, okcare.EINVALIDJSON: true, okcare.EINVALIDUTF8: true, okcare.EUNKNOWNFIELD: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		var login okcare.LoginRequest
		var move moveRequest
		for _, dst := range []any{&login, &move} {
			if code := okcare.ErrorCode(unmarshalStrict(body, dst)); !allowed[code] {
				t.Fatalf("body %q: code %q", body, code)
			}
		}
	})
}
