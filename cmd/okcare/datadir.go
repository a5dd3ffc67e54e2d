package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dataDirLock is the exclusive lock a process holds on its data directory
// (the SQLite database, the search index, the audit anchors) for as long
// as it runs. The kernel drops a flock(2) when its holder dies, kill -9
// included, so a crash never leaves a stale lock behind.
type dataDirLock struct {
	f *os.File
}

// lockDataDir takes the lock on dir, creating dir if needed, or fails at
// once, naming dir and the process holding it, when another okcare has
// it. It must come before anything else touches the directory or the
// database: a second process used to run the migrations, reset the demo
// passwords and start a job runner before hanging on the index lock.
func lockDataDir(dir string) (*dataDirLock, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", abs, err)
	}
	path := filepath.Join(abs, "okcare.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", abs, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := "another okcare process"
			if raw, err := os.ReadFile(path); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
					holder = fmt.Sprintf("okcare process %d", pid)
				}
			}
			return nil, fmt.Errorf("data directory %s is in use by %s (lock %s): stop it, or give this process its own --data-dir", abs, holder, path)
		}
		return nil, fmt.Errorf("lock data directory %s: %w", abs, err)
	}
	// Who holds it, for the message above; the lock, not the text, is
	// what counts.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dataDirLock{f: f}, nil
}

// release drops the lock; the file stays, so that the lock is always
// taken on the same inode.
func (l *dataDirLock) release() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}
