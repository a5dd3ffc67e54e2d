package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// child is a server under test running in its own process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	dir   string // a temporary directory to remove, if any
}

// startChild starts this binary's hidden chat server subcommand (sub)
// with args and reads its setup line.
func startChild(sub string, args ...string) (*child, chatSetup, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, chatSetup{}, err
	}
	cmd := exec.Command(self, append([]string{sub}, args...)...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, chatSetup{}, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, chatSetup{}, err
	}
	if err := cmd.Start(); err != nil {
		return nil, chatSetup{}, err
	}
	c := &child{cmd: cmd, stdin: in}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		c.stop()
		return nil, chatSetup{}, fmt.Errorf("%s: %v", sub, err)
	}
	var setup chatSetup
	if err := json.Unmarshal(line, &setup); err != nil {
		c.stop()
		return nil, chatSetup{}, err
	}
	go io.Copy(io.Discard, out)
	return c, setup, nil
}

// centrifugoConfig is the generated configuration: anonymous clients may
// connect without a token, subscribe to any channel without a namespace
// and publish into the channels they are subscribed to; no history, no presence, no recovery (okcare's
// store does that part, Centrifugo's peers would use its history); logs
// at error level only.
func centrifugoConfig(port int) string {
	return fmt.Sprintf(`{
  "http_server": {"address": "127.0.0.1", "port": %d},
  "log": {"level": "error"},
  "client": {"allow_anonymous_connect_without_token": true, "allowed_origins": ["*"]},
  "channel": {"without_namespace": {"allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true,
    "allow_publish_for_subscriber": true, "allow_publish_for_anonymous": true}}
}
`, port)
}

// startCentrifugo runs the Centrifugo binary at bin with a generated
// configuration on a free loopback port, once it accepts connections.
func startCentrifugo(bin string, chats int) (*child, chatSetup, error) {
	dir, err := os.MkdirTemp("", "okcare-bench-centrifugo")
	if err != nil {
		return nil, chatSetup{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, chatSetup{}, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	config := filepath.Join(dir, "config.json")
	if err := os.WriteFile(config, []byte(centrifugoConfig(port)), 0o600); err != nil {
		return nil, chatSetup{}, err
	}
	cmd := exec.Command(bin, "--config", config)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, chatSetup{}, err
	}
	if err := cmd.Start(); err != nil {
		return nil, chatSetup{}, err
	}
	c := &child{cmd: cmd, stdin: in, dir: dir}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			c.stop()
			return nil, chatSetup{}, fmt.Errorf("centrifugo did not listen on %s within 15 s", addr)
		}
	}
	setup := chatSetup{URL: "http://" + addr}
	for i := 0; i < chats; i++ {
		setup.Chats = append(setup.Chats, fmt.Sprintf("chat%d", i))
	}
	return c, setup, nil
}

// stop ends the child: its input closes (this binary's children return,
// writing their profiles), then, past a few seconds, it is killed.
func (c *child) stop() {
	c.stdin.Close()
	if c.dir != "" { // Centrifugo does not read its input
		c.cmd.Process.Signal(os.Interrupt)
	}
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// heapProfile asks this binary's child to write a heap profile to path.
func (c *child) heapProfile(path string) {
	fmt.Fprintf(c.stdin, "heap %s\n", path)
}

// cpu is the child's CPU time so far.
func (c *child) cpu() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks of 1/100 s.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// written is what the child has sent to storage so far, in bytes
// (write_bytes of /proc/PID/io: counted as its pages are dirtied, so a
// page written again before it reaches the disk counts once).
func (c *child) written() int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", c.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// rss is the child's resident set size, in bytes.
func (c *child) rss() int64 {
	rss, _ := c.memory()
	return rss
}

// memory is the child's resident set size and the part of it that is
// file-backed (RssFile: the store's memory-mapped database pages, which
// the kernel shares with its page cache and may drop), in bytes.
func (c *child) memory() (rss, file int64) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	kib := func(v string) int64 {
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		return kb << 10
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = kib(v)
		} else if v, ok := strings.CutPrefix(line, "RssFile:"); ok {
			file = kib(v)
		}
	}
	return rss, file
}
