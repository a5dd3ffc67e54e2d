package postgres_test

import (
	"testing"

	"github.com/okcare/okcare/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.OpenPostgres)
}
