package postgres_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.OpenPostgres)
}

// Deadlock victims and serialization failures are run again; other errors
// are not.
func TestRetryableErrors(t *testing.T) {
	for code, want := range map[string]bool{"40P01": true, "40001": true, "23505": false, "22021": false} {
		if got := postgres.Dialect.IsRetryable(fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code})); got != want {
			t.Errorf("IsRetryable(%s) = %v, want %v", code, got, want)
		}
	}
	if postgres.Dialect.IsRetryable(errors.New("plain")) {
		t.Error("a plain error is retryable")
	}
}
