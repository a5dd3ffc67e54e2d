package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/okcare/okcare/sqldb"
)

// The audit log's head is anchored where the database cannot rewrite it:
// a signed line appended to the anchors file (--audit-anchors) and to the
// logs, every minute while it moves and when okcare stops. `okcare admin
// audit verify` checks the log against every anchor.

// anchorsPath is where the anchors are appended.
func (c *Config) anchorsPath() string {
	if c.AuditAnchors != "" {
		return c.AuditAnchors
	}
	return filepath.Join(c.DataDir, "audit-anchors.jsonl")
}

// writeAnchor appends the current head to the anchors file unless it is
// the last one written, and logs it.
func writeAnchor(ctx context.Context, db *sqldb.DB, path string, last *sqldb.AuditAnchor, logger *slog.Logger) (*sqldb.AuditAnchor, error) {
	a, err := db.AuditAnchor(ctx)
	if err != nil {
		return last, err
	}
	if last != nil && last.Seq == a.Seq && last.Hash == a.Hash {
		return last, nil
	}
	line, _ := json.Marshal(a)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return last, err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return last, err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return last, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return last, err
	}
	if err := f.Close(); err != nil {
		return last, err
	}
	logger.Info("audit anchor", "seq", a.Seq, "hash", a.Hash, "mac", a.MAC)
	return a, nil
}

// anchorLoop anchors the head every interval until stop is closed, and
// once more then.
func (m *Main) anchorLoop(interval time.Duration, stop <-chan struct{}, done chan<- struct{}, logger *slog.Logger) {
	defer close(done)
	path := m.Config.anchorsPath()
	var last *sqldb.AuditAnchor
	anchor := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if last, err = writeAnchor(ctx, m.DB, path, last, logger); err != nil {
			logger.Error("audit anchor not written", "path", path, "error", err)
		}
	}
	anchor()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			anchor()
			return
		case <-tick.C:
			anchor()
		}
	}
}

// readAnchors reads an anchors file; a missing file is no anchors.
func readAnchors(path string) ([]sqldb.AuditAnchor, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []sqldb.AuditAnchor
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var a sqldb.AuditAnchor
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s line %d: %v", path, n, err)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}
