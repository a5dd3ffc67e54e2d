package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	sqlite3 "modernc.org/sqlite"
)

// hotReader runs the store's most frequent read, the session lookup of
// every authenticated call, on read-only connections of its own (one per
// core, see hotConns) through the driver interface directly. database/sql's
// pool, statement and row bookkeeping cost about a third of that query
// (measured: 124-131k lookups/s through the driver against 78-98k/s
// through database/sql on two cores). Each connection prepares a statement
// once and keeps it.
type hotReader struct {
	connector driver.Connector
	conns     chan *hotConn // idle connections; nil slots may be opened
	closed    atomic.Bool
}

type hotConn struct {
	conn   driver.Conn
	stmts  map[string]driver.Stmt
	named  []driver.NamedValue // reused from call to call
	values []driver.Value
}

func newHotReader(dsn string, size int) (*hotReader, error) {
	c, err := sqlite3.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	r := &hotReader{connector: c, conns: make(chan *hotConn, size)}
	for i := 0; i < size; i++ {
		r.conns <- nil
	}
	return r, nil
}

// QueryRow runs q with args and scans its first row into dest (*string,
// *int64, *bool or *sql.NullInt64). It returns sql.ErrNoRows without one.
func (r *hotReader) QueryRow(ctx context.Context, q string, args []any, dest ...any) (err error) {
	if r.closed.Load() {
		return errors.New("sqlite: store is closed")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var hc *hotConn
	select {
	case hc = <-r.conns:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() {
		if err != nil && !errors.Is(err, sql.ErrNoRows) && hc != nil {
			// Whatever went wrong, the next call gets a fresh connection.
			hc.close()
			hc = nil
		}
		r.conns <- hc
	}()
	// The driver watches a context that can end with a goroutine, a
	// channel and a progress handler of its own per query (5-8 % of the
	// session lookup's CPU). These reads are point lookups of a few
	// pages, over before an interrupt could land; a request that ended
	// is refused above, and a wait for a lock is bounded by busy_timeout.
	dctx := context.WithoutCancel(ctx)
	if hc == nil {
		conn, err := r.connector.Connect(dctx)
		if err != nil {
			return err
		}
		hc = &hotConn{conn: conn, stmts: map[string]driver.Stmt{}}
	}
	st, ok := hc.stmts[q]
	if !ok {
		if st, err = hc.conn.(driver.ConnPrepareContext).PrepareContext(dctx, q); err != nil {
			return err
		}
		hc.stmts[q] = st
	}
	named := hc.named[:0]
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a) // int to int64, as database/sql does
		if err != nil {
			return err
		}
		named = append(named, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	hc.named = named
	rows, err := st.(driver.StmtQueryContext).QueryContext(dctx, named)
	if err != nil {
		return err
	}
	defer rows.Close()
	if n := len(rows.Columns()); cap(hc.values) < n {
		hc.values = make([]driver.Value, n)
	}
	values := hc.values[:len(rows.Columns())]
	if err := rows.Next(values); errors.Is(err, io.EOF) {
		return sql.ErrNoRows
	} else if err != nil {
		return err
	}
	if len(values) != len(dest) {
		return fmt.Errorf("hot read: %d columns into %d destinations", len(values), len(dest))
	}
	for i, v := range values {
		if err := assign(dest[i], v); err != nil {
			return fmt.Errorf("hot read column %d: %w", i, err)
		}
	}
	return nil
}

// assign stores a driver value in one of the destinations QueryRow takes.
func assign(dest any, v driver.Value) error {
	switch d := dest.(type) {
	case *string:
		switch s := v.(type) {
		case string:
			*d = s
		case []byte:
			*d = string(s)
		default:
			return fmt.Errorf("%T into *string", v)
		}
	case *int64:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T into *int64", v)
		}
		*d = n
	case *bool:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T into *bool", v)
		}
		*d = n != 0
	case *sql.NullInt64:
		if v == nil {
			*d = sql.NullInt64{}
			return nil
		}
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T into *sql.NullInt64", v)
		}
		*d = sql.NullInt64{Int64: n, Valid: true}
	default:
		return fmt.Errorf("unsupported destination %T", dest)
	}
	return nil
}

// Close waits for calls in progress and closes the connections.
func (r *hotReader) Close() error {
	r.closed.Store(true)
	for i := 0; i < cap(r.conns); i++ {
		if hc := <-r.conns; hc != nil {
			hc.close()
		}
	}
	for i := 0; i < cap(r.conns); i++ {
		r.conns <- nil // later calls fail on closed instead of blocking
	}
	return nil
}

func (hc *hotConn) close() {
	for _, st := range hc.stmts {
		st.Close()
	}
	hc.conn.Close()
}
