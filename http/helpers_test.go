package http_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func mustJSON(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

func readFull(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// assertNoSecretsLogged fails if any token or password appears in the logs.
func assertNoSecretsLogged(t *testing.T, ts *testServer, secrets ...string) {
	t.Helper()
	logs := ts.logs.String()
	if !strings.Contains(logs, "request") {
		t.Fatal("no request logs were captured")
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Fatalf("a secret appears in the logs")
		}
	}
}
