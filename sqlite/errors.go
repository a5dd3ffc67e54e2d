package sqlite

import (
	"errors"

	"github.com/okcare/okcare"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

func init() { okcare.RegisterErrorClass(classify) }

// classify names SQLite's failures of the disk and the lock, as opposed to
// the request: a full disk (or a database at its page limit) is
// ESTORAGEFULL; a lock not granted within busy_timeout, an I/O error or a
// query interrupted at its deadline is EUNAVAILABLE.
func classify(err error) string {
	var e *sqlite3.Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code() & 0xff { // the primary result code
	case sqlite3lib.SQLITE_FULL:
		return okcare.ESTORAGEFULL
	case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED, sqlite3lib.SQLITE_IOERR, sqlite3lib.SQLITE_INTERRUPT,
		sqlite3lib.SQLITE_CANTOPEN, sqlite3lib.SQLITE_READONLY, sqlite3lib.SQLITE_PROTOCOL:
		return okcare.EUNAVAILABLE
	}
	return ""
}
