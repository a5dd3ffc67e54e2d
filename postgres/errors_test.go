package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/postgres"
)

// TestInfrastructureErrors: PostgreSQL's failures of the server, disk or
// connection get the codes clients can retry on; a refused statement
// stays internal. The unreachable server is real: nothing listens on
// the port.
func TestInfrastructureErrors(t *testing.T) {
	for code, want := range map[string]string{
		"53100": okcare.ESTORAGEFULL, // disk_full
		"08006": okcare.EUNAVAILABLE, // connection_failure
		"57P01": okcare.EUNAVAILABLE, // admin_shutdown
		"57014": okcare.EUNAVAILABLE, // query_canceled
		"53300": okcare.EUNAVAILABLE, // too_many_connections
		"42601": okcare.EINTERNAL,    // syntax_error: a bug, not an outage
	} {
		if got := okcare.ErrorCode(fmt.Errorf("query: %w", &pgconn.PgError{Code: code})); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://postgres@"+addr+"/none?sslmode=disable")
	if err == nil || okcare.ErrorCode(err) != okcare.EUNAVAILABLE {
		t.Fatalf("unreachable server: %v (%s)", err, okcare.ErrorCode(err))
	}
	if okcare.ErrorCode(errors.New("plain")) != okcare.EINTERNAL {
		t.Fatal("a plain error is not internal")
	}
}
