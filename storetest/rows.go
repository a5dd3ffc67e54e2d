package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/okcare/okcare/sqldb"
)

// TableState is what a snapshot knows of one table: its row count and a
// digest of every row's content (order-independent), so that a refused
// request that updated a row in place shows as well as one that added or
// removed one.
type TableState struct {
	Rows   int
	Digest string
}

// volatileColumns change on requests that are refused by design, or are
// bookkeeping no request decides: they are left out of the digest. Each
// entry says why.
var volatileColumns = map[string]map[string]string{
	"node_heartbeats":    {"*": "written by /readyz and the node's own ticker"},
	"sessions":           {"last_seen_at": "a signed-in request marks its session seen (at most once a minute), answered or refused"},
	"river_job":          {"*": "River's own queue: periodic jobs run whatever a request does"},
	"river_leader":       {"*": "River's leader election"},
	"river_queue":        {"*": "River's queue bookkeeping"},
	"river_client":       {"*": "River's client bookkeeping"},
	"river_client_queue": {"*": "River's client bookkeeping"},
	"river_migration":    {"*": "River's schema version"},
}

// RowCounter returns a function taking a snapshot of every table of db's
// schema (row count and content digest) in one query, for tests that must
// show a refused request changed nothing. The table and column lists are
// read once.
func RowCounter(t testing.TB, db *sqldb.DB) func() map[string]TableState {
	t.Helper()
	tables := listTables(t, db)
	postgres := db.Dialect().Name == "postgres"
	var q strings.Builder
	for i, name := range tables {
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		row := "''"
		if vol := volatileColumns[name]; vol["*"] == "" {
			var cols []string
			for _, c := range listColumns(t, db, name) {
				if vol[c] == "" {
					cols = append(cols, `"`+c+`"`)
				}
			}
			if postgres {
				row = "ROW(" + strings.Join(cols, ",") + ")::text"
			} else {
				quoted := make([]string, len(cols))
				for j, c := range cols {
					quoted[j] = "quote(" + c + ")"
				}
				row = strings.Join(quoted, "||','||")
			}
		}
		if postgres {
			fmt.Fprintf(&q, `SELECT '%s', COUNT(*), COALESCE(md5(string_agg(r, chr(30) ORDER BY r)), '') FROM (SELECT %s AS r FROM "%s") s`, name, row, name)
		} else {
			fmt.Fprintf(&q, `SELECT '%s', COUNT(*), COALESCE(group_concat(r, char(30)), '') FROM (SELECT %s AS r FROM "%s" ORDER BY r) s`, name, row, name)
		}
	}
	query := q.String()
	return func() map[string]TableState {
		t.Helper()
		rows, err := db.SQL().Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := make(map[string]TableState, len(tables))
		for rows.Next() {
			var name, content string
			var n int
			if err := rows.Scan(&name, &n, &content); err != nil {
				t.Fatal(err)
			}
			if !postgres { // SQLite has no digest function: hash here
				sum := sha256.Sum256([]byte(content))
				content = hex.EncodeToString(sum[:8])
			}
			out[name] = TableState{Rows: n, Digest: content}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func listTables(t testing.TB, db *sqldb.DB) []string {
	t.Helper()
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Dialect().Name == "postgres" {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	tables := queryStrings(t, db, list)
	if len(tables) == 0 {
		t.Fatal("no tables to count")
	}
	return tables
}

func listColumns(t testing.TB, db *sqldb.DB, table string) []string {
	t.Helper()
	if db.Dialect().Name == "postgres" {
		return queryStrings(t, db, `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	}
	return queryStrings(t, db, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
}

func queryStrings(t testing.TB, db *sqldb.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.SQL().Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// RowChanges describes how after differs from before ("" when it does not):
// tables that gained or lost rows, and tables whose rows changed in place.
func RowChanges(before, after map[string]TableState) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(after)) {
		b, a := before[name], after[name]
		switch {
		case b.Rows != a.Rows:
			out = append(out, fmt.Sprintf("%s %d→%d", name, b.Rows, a.Rows))
		case b.Digest != a.Digest:
			out = append(out, name+" changed in place")
		}
	}
	return strings.Join(out, ", ")
}
