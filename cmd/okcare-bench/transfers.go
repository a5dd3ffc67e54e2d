package main

import (
	"context"
	"fmt"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/password"
)

// benchTransfers measures user-to-user transfers with idempotency keys at
// the store, against a baseline of the same store's bare durable commit
// rate (one single-row INSERT per transaction), measured in the same run.
func benchTransfers(ctx context.Context, kind, dsn string, duration time.Duration, concurrency int) error {
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	const users = 1000
	hash, _ := password.Hash("bench-password-1", password.TestParams)
	emails := make([]string, users)
	for i := range emails {
		emails[i] = fmt.Sprintf("t%04d@bench.okwallet.example", i)
	}
	ids, err := db.ImportUsers(ctx, emails, hash, "100000000", nil)
	if err != nil {
		return err
	}
	if _, err := db.SQL().Exec(`CREATE TABLE bench_commits (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)`); err != nil {
		return err
	}
	fmt.Printf("%s store, %d users, %d clients, %s per run\n", kind, users, concurrency, duration)
	rebind := func(q string) string {
		if kind == "postgres" {
			return "INSERT INTO bench_commits (id, at) VALUES ($1, $2)"
		}
		return q
	}
	insert := rebind("INSERT INTO bench_commits (id, at) VALUES (?, ?)")
	base := drive("baseline commit", duration, concurrency, func(w, seq int) error {
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.Exec(insert, int64(w)<<32|int64(seq), time.Now().UnixMicro()); err != nil {
			return err
		}
		return tx.Commit()
	})
	fmt.Println(" ", base)
	ours := drive("transfer (idempotent)", duration, concurrency, func(w, seq int) error {
		from, to := ids[(w*131+seq)%users], ids[(w*131+seq*7+1)%users]
		if from == to {
			to = ids[(w*131+seq*7+2)%users]
		}
		key := fmt.Sprintf("bench-%d-%d", w, seq)
		_, err := db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: from, ToUser: to, Asset: "CNY",
			Amount: "0.01", IdempotencyKey: key, RequestHash: key})
		return err
	})
	fmt.Println(" ", ours)
	fmt.Printf("transfers/s: %.0f; ratio to bare commits: %.2f\n", ours.perSecond(), ours.perSecond()/base.perSecond())
	return db.CheckInvariants(ctx)
}
