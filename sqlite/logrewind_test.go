package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
)

// Under a steady stream of commits from a dedicated writer, with readers
// always in the log, SQLite never starts the log again by itself: the
// background checkpointer rewinds it once it is past RestartFrames (its
// wait growing from tick to tick while writer and readers keep it busy);
// just after a second rewind it is shorter than the commits written into
// it, each at least a frame.
func TestBackgroundCheckpointsRewindTheLog(t *testing.T) {
	saved := Dialect
	Dialect.RestartFrames = 300
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "okcare.db"))
	Dialect = saved
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	var wg sync.WaitGroup
	commits := 0
	wg.Add(2)
	go func() { // the writer: advisory records, on a connection that never checkpoints
		defer wg.Done()
		for ctx.Err() == nil {
			d := &okcare.Diagnosis{Lang: "en", TopCause: "unknown", Request: []byte(`{}`), Result: []byte(`{}`)}
			if err := db.SaveDiagnosis(ctx, d); err != nil {
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
	frames, _, err := db.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	restarts, refusals := db.LogRewinds()
	t.Logf("%d commits, log %d frames long, %d rewinds, %d given up", commits, frames, restarts, refusals)
	if restarts == 0 || frames >= commits {
		t.Fatalf("the log was not started again: %d frames long after %d commits (%d rewinds, %d given up)", frames, commits, restarts, refusals)
	}
}
