package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/faultproxy"
)

// natsAddr is the test NATS server (host:port): OKCARE_TEST_NATS, else the
// local default scripts/test starts.
func natsAddr() string {
	if u := os.Getenv("OKCARE_TEST_NATS"); u != "" {
		return strings.TrimPrefix(u, "nats://")
	}
	return "127.0.0.1:4222"
}

// TestServeWithoutNATS: okcare serve starts while NATS is unreachable
// (it used to exit), says so in /readyz's checks (not critical) and in
// okcare_nats_connected while staying ready, connects by itself once NATS
// is there, and notices when it goes away again.
func TestServeWithoutNATS(t *testing.T) {
	if c, err := net.DialTimeout("tcp", natsAddr(), time.Second); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no NATS at %s: %v", natsAddr(), err)
		}
		t.Skipf("no NATS at %s to bring up later: %v", natsAddr(), err)
	} else {
		c.Close()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port nobody listens on
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	m, _, logs := startMain(t, "--data-dir", dataDir(t), "--nats-url", "nats://"+addr)
	defer m.Close()
	base := "http://" + m.Listener.Addr().String()
	ready := func() (int, string) {
		t.Helper()
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v struct {
			Checks struct {
				NATS struct {
					OK       bool `json:"ok"`
					Critical bool `json:"critical"`
					Detail   struct {
						State string `json:"state"`
					} `json:"detail"`
				} `json:"nats"`
			} `json:"checks"`
		}
		json.NewDecoder(resp.Body).Decode(&v)
		n := v.Checks.NATS
		if n.Critical || n.OK != (n.Detail.State == "connected") {
			t.Fatalf("the nats check: %+v", n)
		}
		return resp.StatusCode, n.Detail.State
	}
	gauge := func() string {
		t.Helper()
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(line, "okcare_nats_connected ") {
				return strings.TrimPrefix(line, "okcare_nats_connected ")
			}
		}
		return "absent"
	}
	waitState := func(want, wantGauge string, within time.Duration) {
		t.Helper()
		var status int
		var state string
		for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if status, state = ready(); state == want && gauge() == wantGauge {
				break
			}
		}
		if status != http.StatusOK || state != want || gauge() != wantGauge {
			t.Fatalf("readyz %d nats %q, gauge %s; want 200 %q, gauge %s\nlogs:\n%s", status, state, gauge(), want, wantGauge, logs.String())
		}
	}
	waitState("disconnected", "0", time.Second)

	p, err := faultproxy.StartAt(addr, natsAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	waitState("connected", "1", 5*time.Second)
	p.Stop()
	waitState("disconnected", "0", 2*time.Second)
}
