package main

import (
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run okcare as the real binary: the test binary
// started with OKCARE_TEST_RUN_MAIN=1 is `okcare` (its arguments are
// okcare's), signals, exit status and all.
func TestMain(m *testing.M) {
	if os.Getenv("OKCARE_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// process is okcare running as a process of its own.
type process struct {
	t              *testing.T
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	err            error // the exit, once done is closed
}

// startProcess starts `okcare args...` (the test binary re-executed) and
// kills it at the end of the test if it is still running.
func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{t: t, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(append(os.Environ(), "OKCARE_TEST_RUN_MAIN=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

var listeningLine = regexp.MustCompile(`msg=listening addr=http://(\S+)`)

// addr waits until the process serves and returns its HTTP address.
func (p *process) addr(within time.Duration) string {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if m := listeningLine.FindStringSubmatch(p.stderr.String()); m != nil {
			return m[1]
		}
		select {
		case <-p.done:
			p.t.Fatalf("okcare exited (%v) before listening:\n%s", p.err, p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	p.t.Fatalf("okcare not listening after %s:\n%s", within, p.stderr.String())
	return ""
}

// wait waits for the process to exit, up to within, and returns its exit
// status (-1 if it was killed by a signal).
func (p *process) wait(within time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		p.t.Fatalf("okcare still running after %s:\n%s", within, p.stderr.String())
	}
	if p.err == nil {
		return 0
	}
	if e, ok := p.err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	p.t.Fatal(p.err)
	return 0
}

// signal sends sig to the process.
func (p *process) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}
