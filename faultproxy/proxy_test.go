package faultproxy_test

import (
	"bufio"
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/okcare/okcare/faultproxy"
)

// echo is a line echo server.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadBytes('\n')
					if err != nil {
						return
					}
					c.Write(line)
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line and reads the echo, within wait.
func roundTrip(c net.Conn, r *bufio.Reader, wait time.Duration) (string, error) {
	c.SetDeadline(time.Now().Add(wait))
	defer c.SetDeadline(time.Time{})
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return "", err
	}
	return r.ReadString('\n')
}

// TestProxyFaults: bytes pass; frozen, they wait (on old and new
// connections) and pass on thaw; cut connections close; a stopped proxy
// refuses and comes back on the same address; RefuseIf closes chosen
// connections unforwarded.
func TestProxyFaults(t *testing.T) {
	p, err := faultproxy.Start(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(c)
	if got, err := roundTrip(c, r, 2*time.Second); err != nil || got != "ping\n" {
		t.Fatalf("through the proxy: %q %v", got, err)
	}

	p.Freeze()
	if _, err := roundTrip(c, r, 300*time.Millisecond); err == nil {
		t.Fatal("a frozen proxy let bytes through")
	}
	fresh, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal("a frozen proxy refused a connection:", err)
	}
	fr := bufio.NewReader(fresh)
	fresh.Write([]byte("held\n"))
	p.Thaw()
	fresh.SetDeadline(time.Now().Add(2 * time.Second))
	if got, err := fr.ReadString('\n'); err != nil || got != "held\n" {
		t.Fatalf("after thawing, the held line: %q %v", got, err)
	}
	// The old connection's held ping comes back too.
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if got, err := r.ReadString('\n'); err != nil || got != "ping\n" {
		t.Fatalf("after thawing, the old connection: %q %v", got, err)
	}

	p.Cut()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := r.ReadString('\n'); err == nil {
		t.Fatal("a cut connection still reads")
	}

	addr := p.Addr()
	p.Stop()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("a stopped proxy accepted a connection")
	}
	if err := p.Restart(); err != nil || p.Addr() != addr {
		t.Fatalf("restart: %v, at %s (was %s)", err, p.Addr(), addr)
	}

	p.RefuseIf(func(head []byte) bool { return bytes.HasPrefix(head, []byte("no")) })
	refused, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	refused.Write([]byte("no thanks\n"))
	refused.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := bufio.NewReader(refused).ReadString('\n'); err == nil {
		t.Fatal("a refused connection was forwarded")
	}
	ok, _ := net.Dial("tcp", p.Addr())
	if got, err := roundTrip(ok, bufio.NewReader(ok), 2*time.Second); err != nil || got != "ping\n" {
		t.Fatalf("an accepted connection: %q %v", got, err)
	}
}
