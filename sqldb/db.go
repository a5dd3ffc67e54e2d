// Package sqldb implements okcare's services on database/sql with
// hand-written SQL that runs unchanged on SQLite and PostgreSQL. The sqlite
// and postgres packages open a connection, supply their Dialect and
// migrations, and return a *DB; the storetest suite runs against both, so the
// two stores behave the same because they are the same code.
//
// Queries are written with "?" placeholders and rebound to "$n" for
// PostgreSQL. Times are stored as Unix microseconds; money as base-10
// integer text in minor units, because 18-decimal assets overflow int64.
package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/slaclock"
)

// Dialect is what differs between the SQL engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered placeholders ($1, $2) instead of "?".
	Numbered bool
	// ForUpdate is appended to SELECTs that lock rows for a write ("" on
	// SQLite, where a write transaction holds the database lock).
	ForUpdate string
	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation func(error) bool
	// IsRetryable reports whether err aborted a transaction that may simply
	// run again (PostgreSQL's deadlock victim or serialization failure);
	// nil where that cannot happen.
	IsRetryable func(error) bool
	// ArrayParams: a statement takes a whole column as one array
	// parameter (PostgreSQL's unnest), so a batch writes each table with
	// one statement of one shape.
	ArrayParams bool
	// LockMigrations, if set, runs inside the migration transaction to keep
	// two nodes from migrating at once.
	LockMigrations string
	// NextTicketNumber returns the next ticket number (one row, one column).
	NextTicketNumber string
	// Optimize, if set, refreshes the query planner's statistics where
	// they are stale (SQLite's PRAGMA optimize; PostgreSQL's autovacuum
	// does this by itself).
	Optimize string
	// AfterOptimize, if set, runs after Optimize.
	AfterOptimize func(ctx context.Context, db *sql.DB) error
	// Checkpoint, if set, is run by EnableBackgroundCheckpoints' goroutine
	// to copy SQLite's write-ahead log into the database.
	Checkpoint string
	// RestartCheckpoint, if set, is run by the same goroutine when the log
	// holds RestartFrames or more after a Checkpoint: it copies the rest,
	// waits for readers of the log to finish and starts the log again from
	// its beginning. CheckpointWait, a format with a number of
	// milliseconds, bounds the wait; it is run on the pool's connection
	// before each RestartCheckpoint, and PoolWait after it, which sets the
	// pool's own wait back.
	RestartCheckpoint string
	RestartFrames     int
	CheckpointWait    string
	PoolWait          string
	// DedicatedConnection, if set, is run on the connections that the
	// group committer and relaxed writes keep for themselves.
	DedicatedConnection string
	// RelaxCommit, if set, begins a transaction whose commit need not wait
	// for the disk (PostgreSQL's synchronous_commit=off). RelaxConnection,
	// if set, is run once on a connection that such transactions share
	// (SQLite's synchronous=NORMAL); see inRelaxedTx.
	RelaxCommit     string
	RelaxConnection string
}

// forUpdateOf locks the rows of one table of a join (PostgreSQL cannot lock
// the nullable side of an outer join).
func (d Dialect) forUpdateOf(alias string) string {
	if d.ForUpdate == "" {
		return ""
	}
	return d.ForUpdate + " OF " + alias
}

// LoginPolicy sets when repeated failed logins restrict an account.
type LoginPolicy struct {
	// MaxFailures within Window restrict logins from unknown devices.
	MaxFailures int
	Window      time.Duration
	// RestrictFor is how long the automatic restriction lasts.
	RestrictFor time.Duration
	// SessionIdle is how long an unused session stays valid; SessionMaxAge
	// how long any session does, used or not (a stolen token cannot be
	// kept alive for ever by using it).
	SessionIdle   time.Duration
	SessionMaxAge time.Duration
}

// DefaultLoginPolicy restricts after 5 failures in 15 minutes, for 15
// minutes; sessions end after 30 idle days, and after 90 days in any case.
var DefaultLoginPolicy = LoginPolicy{MaxFailures: 5, Window: 15 * time.Minute, RestrictFor: 15 * time.Minute,
	SessionIdle: 30 * 24 * time.Hour, SessionMaxAge: 90 * 24 * time.Hour}

// DB is okcare's SQL store. It implements the okcare service interfaces.
type DB struct {
	releases releaseCache // see releasePolicyOnce
	sql      *sql.DB
	dialect  Dialect
	stmts    sync.Map // query text -> *sql.Stmt
	assets   sync.Map // code -> *okcare.Asset, as found (assets never change)
	hot      HotReader
	group    *groupCommitter
	chat     *chatCommitter
	// chatFault, set by tests only, fails a chat message after it was
	// written (sqldb/export_test.go).
	chatFault func(*okcare.TicketMessage) error
	// chatStats count what chatBatch ran (ChatCommitStats).
	chatStats struct{ batches, messages, reruns atomic.Int64 }
	relaxed   *relaxedWriter
	ckpt      *checkpointer
	touches   *sessionTouches
	// walletReads remembers when a staff member's read of a ticket's
	// wallet was last audited (per node).
	walletReads sync.Map
	// prepWG tracks background statement preparations; closing stops new
	// ones, so that none opens a connection (and the file) after Close.
	prepWG  sync.WaitGroup
	closing atomic.Bool
	// holidays is the holiday data the calendars read (sqldb/calendar.go).
	holidays *holidayState

	// Now is the clock; tests replace it.
	Now func() time.Time
	// PasswordParams are the argon2id costs for new hashes.
	PasswordParams password.Params
	// LoginPolicy is the failed-login policy.
	LoginPolicy LoginPolicy
	// SLAAlertTo, when set, is the team mailbox told about SLA breaches.
	SLAAlertTo string
	// Calendar and Policies set tickets' SLA targets; nil means the
	// mainland calendar, 09:00-18:00, and slaclock.Default(). Calendars
	// made on HolidayBook() follow imported holiday years.
	Calendar *slaclock.Calendar
	Policies slaclock.Policies
	// TeamCalendars, by channel, are the business calendars of the teams
	// that answer a channel (live chat staffed into the evening, say);
	// channels without one use Calendar.
	TeamCalendars map[string]*slaclock.Calendar
	// Secrets seals TOTP seeds at rest. Two-factor enrolment fails without it.
	Secrets *secretbox.Box
	// AuditKey signs audit entries and anchors; the database never holds
	// it (it comes from the secret key file). Without it nothing is signed.
	AuditKey []byte
	// MoneyAlertOver are the amounts per asset (major units, decimal text)
	// above which money leaving an account alerts its owner; nil means
	// DefaultMoneyAlertOver.
	MoneyAlertOver map[string]string
	// PublicURL is the help center's address as customers reach it
	// (https://help.example.com), the base of every link in mail and SMS.
	PublicURL string
	// DeliveryJobs, when set, queues the delivery of a new notification in
	// the transaction that wrote it (the riverjobs package provides it).
	// Without it notifications stay pending in the outbox.
	DeliveryJobs func(ctx context.Context, tx *sql.Tx, notificationID string) error
}

// moveAttempts bounds how often a money movement runs when the database
// aborted it as a deadlock victim: the transaction was rolled back whole,
// and the idempotency key makes a rerun safe.
const moveAttempts = 3

// retryable reports whether err is worth running the transaction again.
func (db *DB) retryable(err error) bool {
	return err != nil && db.dialect.IsRetryable != nil && db.dialect.IsRetryable(err)
}

// PublicLink is path (starting with "/") on the public base URL.
func (db *DB) PublicLink(path string) string {
	base := strings.TrimRight(db.PublicURL, "/")
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	return base + path
}

// HotReader runs a read that every authenticated call makes, outside
// database/sql (see the sqlite package). QueryRow scans the first row into
// dest and returns sql.ErrNoRows if there is none.
type HotReader interface {
	QueryRow(ctx context.Context, q string, args []any, dest ...any) error
	Close() error
}

// SetHotReader routes the session lookup through r; Close closes it.
func (db *DB) SetHotReader(r HotReader) { db.hot = r }

// queryRowHot is queryRow(...).Scan(dest...) through the hot reader, if any.
func (db *DB) queryRowHot(ctx context.Context, q string, args []any, dest ...any) error {
	if db.hot == nil {
		return db.queryRow(ctx, q, args...).Scan(dest...)
	}
	return db.hot.QueryRow(ctx, db.rebind(q), scrubNUL(args), dest...)
}

// New wraps an open *sql.DB. Call Migrate before use.
func New(db *sql.DB, d Dialect) *DB {
	store := &DB{
		sql:            db,
		dialect:        d,
		Now:            time.Now,
		PasswordParams: password.DefaultParams,
		LoginPolicy:    DefaultLoginPolicy,
		holidays:       newHolidayState(),
	}
	store.touches = newSessionTouches(store)
	return store
}

// CalendarFor is the business calendar of the team answering a channel,
// by which its tickets' SLA clocks run.
func (db *DB) CalendarFor(channel string) *slaclock.Calendar { return db.calendarFor(channel) }

// calendarFor is the business calendar of the team answering a channel.
func (db *DB) calendarFor(channel string) *slaclock.Calendar {
	if c, ok := db.TeamCalendars[channel]; ok {
		return c
	}
	return db.calendar()
}

func (db *DB) calendar() *slaclock.Calendar {
	if db.Calendar != nil {
		return db.Calendar
	}
	return db.holidays.office
}

func (db *DB) policies() slaclock.Policies {
	if db.Policies != nil {
		return db.Policies
	}
	return slaclock.Default()
}

// Optimize refreshes the planner's statistics where the data changed a
// lot. It is cheap when nothing did; serve runs it hourly and the bulk
// imports after loading. Without it SQLite can pick the wrong index for
// the filtered agent queue (measured: 18 ms instead of 1 ms at 100k
// tickets).
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect.Optimize == "" {
		return nil
	}
	if _, err := db.sql.ExecContext(ctx, db.dialect.Optimize); err != nil {
		return err
	}
	if db.dialect.AfterOptimize != nil {
		return db.dialect.AfterOptimize(ctx, db.sql)
	}
	return nil
}

// SQL returns the underlying connection pool.
func (db *DB) SQL() *sql.DB { return db.sql }

// Dialect returns the store's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the prepared statements and the connection pool.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	if db.chat != nil {
		db.chat.close()
	}
	db.touches.close()
	if db.relaxed != nil {
		db.relaxed.close()
	}
	if db.ckpt != nil {
		db.ckpt.close()
	}
	if db.hot != nil {
		db.hot.Close()
	}
	db.closing.Store(true)
	db.prepWG.Wait()
	db.stmts.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
	return db.sql.Close()
}

// Ping checks that the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.sql.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Rebind is rebind for callers of SQL() (tests, tools), which write "?".
func (db *DB) Rebind(q string) string { return db.rebind(q) }

// rebind turns "?" placeholders into "$1", "$2"... for PostgreSQL.
// Queries never contain a literal question mark.
func (db *DB) rebind(q string) string {
	if !db.dialect.Numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
		} else {
			b.WriteByte(q[i])
		}
	}
	return b.String()
}

// querier is what both *DB and *Tx offer, for helpers that run either
// inside or outside a transaction.
type querier interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// Tx is a transaction that rebinds its queries.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
	// releases, when not nil, keeps the release policies this transaction
	// has read (see releasePolicyOnce).
	releases map[string]releaseRead
}

// begin starts a write transaction. On SQLite the driver begins it
// IMMEDIATE, so writers queue on the lock instead of failing to upgrade.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, db: db, now: db.Now().UTC()}, nil
}

// inTx runs fn in a write transaction, committing if it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	return tx.run(fn)
}

// inConnTx is inTx on a dedicated connection.
func (db *DB) inConnTx(ctx context.Context, conn *sql.Conn, fn func(tx *Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return (&Tx{tx: tx, db: db, now: db.Now().UTC()}).run(fn)
}

func (tx *Tx) run(fn func(tx *Tx) error) error {
	defer tx.tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.tx.Commit()
}

// stmt returns the prepared statement of q, preparing it once. database/sql
// keeps one prepared copy per connection, so after warm-up no query is
// parsed again: parsing was most of the cost of a simple SQLite query.
// Queries are constant strings, so the cache is bounded.
func (db *DB) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(q); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.sql.PrepareContext(ctx, db.rebind(q))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(q, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// txStmt returns q as a statement of tx if it is cached. If not, it returns
// nil and prepares q for the cache in the background: preparing on the pool
// here would wait for a second connection while tx holds one, and with every
// connection inside a transaction that wait would never end.
func (tx *Tx) txStmt(ctx context.Context, q string) *sql.Stmt {
	if s, ok := tx.db.stmts.Load(q); ok {
		return tx.tx.StmtContext(ctx, s.(*sql.Stmt))
	}
	if !tx.db.closing.Load() {
		tx.db.prepWG.Add(1)
		go func() {
			defer tx.db.prepWG.Done()
			if !tx.db.closing.Load() {
				tx.db.stmt(context.WithoutCancel(ctx), q)
			}
		}()
	}
	return nil
}

// errNUL refuses text with NUL characters, which PostgreSQL cannot store:
// both stores refuse it the same way, as bad input.
var errNUL = okcare.Errorf(okcare.EINVALID, "Text may not contain NUL characters.")

// hasNUL reports whether a string argument contains a NUL character.
func hasNUL(args []any) bool {
	for _, a := range args {
		if s, ok := a.(string); ok && strings.IndexByte(s, 0) >= 0 {
			return true
		}
	}
	return false
}

// scrubNUL replaces NUL characters in string arguments of a read: such a
// value can match nothing stored, and PostgreSQL would fail on it.
func scrubNUL(args []any) []any {
	if !hasNUL(args) {
		return args
	}
	out := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			a = scrubText(s)
		}
		out[i] = a
	}
	return out
}

// scrubText is scrubNUL for one string.
func scrubText(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if hasNUL(args) {
		return nil, errNUL
	}
	if s := tx.txStmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	args = scrubNUL(args)
	if s := tx.txStmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	args = scrubNUL(args)
	if s := tx.txStmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(q), args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	args = scrubNUL(args)
	s, err := db.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	args = scrubNUL(args)
	s, err := db.stmt(ctx, q)
	if err != nil {
		return db.sql.QueryRowContext(ctx, db.rebind(q), args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// idList runs a query whose single column is an id and returns them all,
// reading everything before any caller opens a transaction per id.
func (db *DB) idList(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// micros stores a time; fromMicros reads it back.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func fromNullMicros(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMicros(n.Int64)
	return &t
}

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return micros(*t)
}

// MigrationFiles returns the "migrations" directory of an embedded file
// system, where each store package keeps its schema.
func MigrationFiles(fsys fs.FS) fs.FS {
	sub, err := fs.Sub(fsys, "migrations")
	if err != nil {
		panic(err) // only for an invalid constant path
	}
	return sub
}

// Migrate applies the *.sql files of migrations in name order, each once,
// each in its own transaction, recording them in schema_migrations.
func (db *DB) Migrate(ctx context.Context, migrations fs.FS) error {
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if db.migrated(ctx, names) {
		return nil // nothing to do, and no DDL an application role may not run
	}
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, name := range names {
		body, err := fs.ReadFile(migrations, name)
		if err != nil {
			return err
		}
		err = db.inTx(ctx, func(tx *Tx) error {
			// Migration bodies hold several statements: run them unprepared.
			if db.dialect.LockMigrations != "" {
				if _, err := tx.tx.ExecContext(ctx, db.dialect.LockMigrations); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, micros(tx.now))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// migrated reports whether every one of names is recorded as applied. Any
// error (no schema_migrations yet, say) means "not known to be": the
// migration path then creates or reports what is missing.
func (db *DB) migrated(ctx context.Context, names []string) bool {
	rows, err := db.sql.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return false
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			return false
		}
		applied[name] = true
	}
	if rows.Err() != nil {
		return false
	}
	for _, name := range names {
		if !applied[name] {
			return false
		}
	}
	return true
}
