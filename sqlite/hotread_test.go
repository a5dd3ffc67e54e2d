package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
)

func TestHotReader(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hot.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (s TEXT, n INTEGER, b INTEGER, maybe INTEGER); INSERT INTO t VALUES ('x', 7, 1, NULL), ('y', 8, 0, 9)`); err != nil {
		t.Fatal(err)
	}
	r, err := newHotReader("file:"+path+"?_pragma=query_only(1)", 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s     string
		n     int64
		b     bool
		maybe sql.NullInt64
	}{{"x", 7, true, sql.NullInt64{}}, {"y", 8, false, sql.NullInt64{Int64: 9, Valid: true}}} {
		var s string
		var n int64
		var b bool
		var maybe sql.NullInt64
		if err := r.QueryRow(ctx, `SELECT s, n, b, maybe FROM t WHERE s = ?`, []any{c.s}, &s, &n, &b, &maybe); err != nil {
			t.Fatal(err)
		}
		if s != c.s || n != c.n || b != c.b || maybe != c.maybe {
			t.Fatalf("row %q = %q %d %v %v", c.s, s, n, b, maybe)
		}
	}
	var s string
	if err := r.QueryRow(ctx, `SELECT s FROM t WHERE s = ?`, []any{"none"}, &s); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("no row: %v", err)
	}
	var f float64
	if err := r.QueryRow(ctx, `SELECT n FROM t WHERE s = ?`, []any{"x"}, &f); err == nil {
		t.Fatal("scanned into an unsupported destination")
	}
	// A failed call does not poison the pool, and the connections are read-only.
	if err := r.QueryRow(ctx, `SELECT s FROM t WHERE n = ?`, []any{8}, &s); err != nil || s != "y" {
		t.Fatalf("after a failure: %q, %v", s, err)
	}
	if err := r.QueryRow(ctx, `DELETE FROM t RETURNING s`, nil, &s); err == nil {
		t.Fatal("a hot reader connection wrote")
	}
	// The driver runs without the caller's context (see QueryRow), but a
	// call whose context has ended is still refused, every time.
	done, cancel := context.WithCancel(ctx)
	cancel()
	for i := 0; i < 20; i++ {
		if err := r.QueryRow(done, `SELECT s FROM t WHERE n = ?`, []any{8}, &s); !errors.Is(err, context.Canceled) {
			t.Fatalf("call %d with an ended context: %v", i, err)
		}
	}
	r.Close()
	if err := r.QueryRow(ctx, `SELECT s FROM t`, nil, &s); err == nil {
		t.Fatal("query after Close")
	}
}
