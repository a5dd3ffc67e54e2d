package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestProfilerOnItsOwnAddress: /debug/pprof is served only on
// --debug-listen, never on the public listener, and is off by default.
func TestProfilerOnItsOwnAddress(t *testing.T) {
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	off, _, _ := startMain(t, "--data-dir", dataDir(t))
	defer off.Close()
	if off.debug.addr() != "" {
		t.Fatal("the profiler listens without --debug-listen")
	}
	if status, _ := get("http://" + off.Listener.Addr().String() + "/debug/pprof/"); status != http.StatusNotFound {
		t.Fatalf("the public listener serves the profiler: %d", status)
	}

	on, _, _ := startMain(t, "--data-dir", dataDir(t), "--debug-listen", "127.0.0.1:0")
	defer on.Close()
	if status, body := get("http://" + on.debug.addr() + "/debug/pprof/"); status != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Fatalf("profiler index: %d %.200s", status, body)
	}
	if status, body := get("http://" + on.debug.addr() + "/debug/pprof/heap?debug=1"); status != http.StatusOK || !strings.Contains(body, "heap profile") {
		t.Fatalf("heap profile: %d %.200s", status, body)
	}
	if status, _ := get("http://" + on.Listener.Addr().String() + "/debug/pprof/"); status != http.StatusNotFound {
		t.Fatalf("the public listener serves the profiler: %d", status)
	}
}
