package postgres

import (
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/okcare/okcare"
)

func init() { okcare.RegisterErrorClass(classify) }

// classify names PostgreSQL's failures of the server or the connection,
// as opposed to the request: disk full (53100) is ESTORAGEFULL; a
// connection refused, lost or timed out, a server shutting down, out of
// connections or memory, a cancelled statement or a read-only standby is
// EUNAVAILABLE.
func classify(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "53100":
			return okcare.ESTORAGEFULL
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			strings.HasPrefix(pgErr.Code, "53"),                                 // insufficient resources
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // shutting down, cannot connect now
			pgErr.Code == "57014", // query cancelled (statement timeout)
			pgErr.Code == "25006": // read-only transaction: a standby
			return okcare.EUNAVAILABLE
		}
		return ""
	}
	// pgconn's own connection-level errors (lost connection, timeout,
	// context done before sending) all say whether a retry is safe.
	var connErr interface{ SafeToRetry() bool }
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || errors.As(err, &connErr) || pgconn.Timeout(err) || errors.Is(err, driver.ErrBadConn) {
		return okcare.EUNAVAILABLE
	}
	return ""
}
