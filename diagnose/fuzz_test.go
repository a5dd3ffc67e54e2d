package diagnose_test

import (
	"encoding/json"
	"testing"

	"github.com/okcare/okcare/diagnose"
)

// FuzzDiagnose feeds arbitrary JSON bodies through decoding, validation and
// diagnosis: nothing may panic, and every accepted request gets at least one
// cause with a confidence in (0, 1], a title and steps.
func FuzzDiagnose(f *testing.F) {
	for _, s := range []string{
		`{"lang":"zh-CN","description":"打开就闪退"}`,
		`{"lang":"en","symptom":"crash","app":{"platform":"android","version":"5.1.2"},"device":{"os_version":"7","free_storage_mb":10}}`,
		`{"lang":"zh-CN","description":"帳號被凍結","network":{"type":"none"}}`,
		`{"lang":"en","error_text":"cannot connect","network":{"type":"wifi","latency_ms":9000,"public_wifi":true}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req diagnose.Request
		if json.Unmarshal(body, &req) != nil || diagnose.Validate(&req) != nil {
			return
		}
		res := diagnose.Diagnose(&req, facts())
		if len(res.Causes) == 0 {
			t.Fatal("no cause")
		}
		for _, c := range res.Causes {
			if c.Confidence <= 0 || c.Confidence > 1 || c.Title == "" || len(c.Steps) == 0 {
				t.Fatalf("bad cause %+v for %s", c, body)
			}
		}
	})
}
