package sqlite

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
)

// Under a steady stream of commits from a dedicated writer, with readers
// always in the log, SQLite never starts the log again by itself: the
// background checkpointer rewinds it once it is past RestartFrames (its
// wait growing from tick to tick while writer and readers keep it busy).
// A log started again has a new checkpoint sequence number in its header,
// which the first frame written after the rewind puts there.
func TestBackgroundCheckpointsRewindTheLog(t *testing.T) {
	saved := Dialect
	Dialect.RestartFrames = 300
	path := filepath.Join(t.TempDir(), "okcare.db")
	db, err := Open(context.Background(), path)
	Dialect = saved
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(ctx context.Context) error {
		d := &okcare.Diagnosis{Lang: "en", TopCause: "unknown", Request: []byte(`{}`), Result: []byte(`{}`)}
		return db.SaveDiagnosis(ctx, d)
	}
	if err := save(context.Background()); err != nil {
		t.Fatal(err)
	}
	sequence := func() uint32 {
		t.Helper()
		f, err := os.Open(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var header [32]byte
		if _, err := f.ReadAt(header[:], 0); err != nil {
			t.Fatal(err)
		}
		return binary.BigEndian.Uint32(header[12:16])
	}
	first := sequence()
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	var wg sync.WaitGroup
	commits := 0
	wg.Add(2)
	go func() { // the writer: advisory records, on a connection that never checkpoints
		defer wg.Done()
		for ctx.Err() == nil {
			if err := save(ctx); err != nil {
				if ctx.Err() == nil {
					t.Error(err)
				}
				return
			}
			commits++
		}
	}()
	go func() { // readers, one after another, always in the log
		defer wg.Done()
		defer stop()
		for ctx.Err() == nil {
			if restarts, _ := db.LogRewinds(); restarts >= 2 {
				return
			}
			var n int
			db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM diagnoses`).Scan(&n)
		}
	}()
	wg.Wait()
	if err := save(context.Background()); err != nil { // the frame that starts a rewound log
		t.Fatal(err)
	}
	restarts, refusals := db.LogRewinds()
	last := sequence()
	t.Logf("%d commits, %d rewinds, %d given up, log started %d times", commits, restarts, refusals, last-first)
	if restarts < 2 || last-first < 2 {
		t.Fatalf("the log was started again %d times in %d commits (%d rewinds, %d given up)", last-first, commits, restarts, refusals)
	}
	// The rewinds ran on connections of the pool, each given back with the
	// pool's own wait for locks.
	var conns []interface{ Close() error }
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < 4; i++ {
		c, err := db.SQL().Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var wait int
		if err := c.QueryRowContext(context.Background(), `PRAGMA busy_timeout`).Scan(&wait); err != nil || wait != busyTimeoutMS {
			t.Fatalf("pooled connection %d waits %d ms for locks, %v; want %d", i, wait, err, busyTimeoutMS)
		}
	}
}
