// Package faultproxy is a TCP proxy for fault-injection tests on loopback.
// It forwards each connection it accepts to a target and, on command,
// freezes them (nothing passes either way, as when the process behind has
// stopped: connections are still accepted, bytes wait), cuts them (closed;
// what was in flight is lost), refuses some new ones by their first bytes,
// or stops listening altogether and starts again on the same address (the
// process is gone, then back).
package faultproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// Proxy forwards connections from its address to Target.
type Proxy struct {
	// Target is the address connections are forwarded to.
	Target string

	mu     sync.Mutex
	addr   string
	ln     net.Listener
	links  map[*link]struct{}
	thaw   chan struct{} // nil while not frozen; closed when thawed
	refuse func(head []byte) bool
	wg     sync.WaitGroup
}

// link is one forwarded connection.
type link struct {
	client, server net.Conn
	once           sync.Once
	done           chan struct{}
}

func (l *link) close() {
	l.once.Do(func() {
		close(l.done)
		l.client.Close()
		if l.server != nil {
			l.server.Close()
		}
	})
}

// Start listens on a free loopback port and forwards to target.
func Start(target string) (*Proxy, error) { return StartAt("127.0.0.1:0", target) }

// StartAt listens on addr and forwards to target.
func StartAt(addr, target string) (*Proxy, error) {
	p := &Proxy{Target: target, addr: addr, links: map[*link]struct{}{}}
	return p, p.Restart()
}

// Addr is the address the proxy listens on (host:port).
func (p *Proxy) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addr
}

// Restart listens again on the proxy's address after Stop; a proxy
// already listening is left as it is.
func (p *Proxy) Restart() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return err
	}
	p.ln, p.addr = ln, ln.Addr().String()
	p.wg.Add(1)
	go p.accept(ln)
	return nil
}

// Stop closes the listener and every connection: new ones are refused
// until Restart.
func (p *Proxy) Stop() {
	p.mu.Lock()
	ln := p.ln
	p.ln = nil
	p.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	p.Cut()
}

// Close stops the proxy for good and waits for its goroutines.
func (p *Proxy) Close() {
	p.Thaw()
	p.Stop()
	p.wg.Wait()
}

// Freeze stops every byte, on open connections and new ones, until Thaw.
func (p *Proxy) Freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.thaw == nil {
		p.thaw = make(chan struct{})
	}
}

// Thaw lets bytes pass again, those held while frozen first.
func (p *Proxy) Thaw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.thaw != nil {
		close(p.thaw)
		p.thaw = nil
	}
}

// Cut closes every open connection; bytes held while frozen are dropped.
// New connections are accepted as before.
func (p *Proxy) Cut() {
	p.mu.Lock()
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	for _, l := range links {
		l.close()
	}
}

// Connections counts the open connections.
func (p *Proxy) Connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

// RefuseIf closes, at once and unforwarded, each new connection whose
// first bytes from the client satisfy refuse (nil: refuse none). Only for
// protocols where the client speaks first, such as HTTP.
func (p *Proxy) RefuseIf(refuse func(head []byte) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = refuse
}

func (p *Proxy) accept(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		l := &link{client: c, done: make(chan struct{})}
		p.mu.Lock()
		p.links[l] = struct{}{}
		refuse := p.refuse
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(l, refuse)
	}
}

func (p *Proxy) serve(l *link, refuse func([]byte) bool) {
	defer p.wg.Done()
	defer func() {
		l.close()
		p.mu.Lock()
		delete(p.links, l)
		p.mu.Unlock()
	}()
	var head []byte
	if refuse != nil {
		buf := make([]byte, 4096)
		l.client.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := l.client.Read(buf)
		l.client.SetReadDeadline(time.Time{})
		if err != nil || refuse(buf[:n]) {
			return
		}
		head = buf[:n]
	}
	server, err := net.DialTimeout("tcp", p.Target, 5*time.Second)
	if err != nil {
		return
	}
	l.server = server
	select {
	case <-l.done: // cut while dialling
		server.Close()
		return
	default:
	}
	if len(head) > 0 && !p.pass(l, server, head) {
		return
	}
	go func() {
		p.copy(l, l.client, server)
		l.close()
	}()
	p.copy(l, server, l.client)
}

// copy forwards src to dst until either closes, holding bytes while the
// proxy is frozen.
func (p *Proxy) copy(l *link, dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.pass(l, dst, buf[:n]) {
			return
		}
		if err != nil {
			// A close passes no sooner than bytes would.
			if !p.thawed(l) || !errors.Is(err, io.EOF) {
				return
			}
			if tc, ok := dst.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
			return
		}
	}
}

// thawed waits until the proxy is not frozen; false if the link was cut
// meanwhile.
func (p *Proxy) thawed(l *link) bool {
	for {
		p.mu.Lock()
		thaw := p.thaw
		p.mu.Unlock()
		if thaw == nil {
			break
		}
		select {
		case <-thaw:
		case <-l.done:
			return false
		}
	}
	select {
	case <-l.done:
		return false
	default:
		return true
	}
}

// pass writes b to dst once the proxy is not frozen; false if the link
// was cut meanwhile or the write failed.
func (p *Proxy) pass(l *link, dst net.Conn, b []byte) bool {
	if !p.thawed(l) {
		return false
	}
	_, err := dst.Write(b)
	return err == nil
}
