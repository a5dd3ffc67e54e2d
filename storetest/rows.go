package storetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/okcare/okcare/sqldb"
)

// RowCounter returns a function counting the rows of every table of db's
// schema in one query, for tests that must show a refused request changed
// nothing. The table list is read once.
func RowCounter(t testing.TB, db *sqldb.DB) func() map[string]int {
	t.Helper()
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Dialect().Name == "postgres" {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := db.SQL().Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) == 0 {
		t.Fatal("no tables to count")
	}
	var q strings.Builder
	for i, name := range tables {
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&q, `SELECT '%s', COUNT(*) FROM "%s"`, name, name)
	}
	query := q.String()
	return func() map[string]int {
		t.Helper()
		rows, err := db.SQL().Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := make(map[string]int, len(tables))
		for rows.Next() {
			var name string
			var n int
			if err := rows.Scan(&name, &n); err != nil {
				t.Fatal(err)
			}
			out[name] = n
		}
		return out
	}
}

// RowChanges describes how after differs from before ("" when it does not).
func RowChanges(before, after map[string]int) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(after)) {
		if before[name] != after[name] {
			out = append(out, fmt.Sprintf("%s %d→%d", name, before[name], after[name]))
		}
	}
	return strings.Join(out, ", ")
}
