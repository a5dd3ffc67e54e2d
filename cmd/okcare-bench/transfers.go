package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/sqldb"
)

// benchTransfers measures user-to-user transfers with idempotency keys
// against a baseline measured in the same run, on the same store, by the
// same clients. via "store" calls Move at the store; the baseline is the
// store's bare durable commit (one single-row INSERT per transaction).
// via "http" sends POST /api/v1/transfers to the real HTTP server over
// loopback, each client signed in as the sender (a session per user,
// created up front); the baseline is a bare net/http handler that decodes
// the same body and makes one durable single-row INSERT.
func benchTransfers(ctx context.Context, kind, dsn, via string, duration time.Duration, concurrency, writers int) error {
	if via != "store" && via != "http" {
		return fmt.Errorf("-via is store or http, not %q", via)
	}
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	if writers > 0 {
		db.SetGroupCommitWriters(writers)
	}
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
	insert := db.Rebind("INSERT INTO bench_commits (id, at) VALUES (?, ?)")
	commit := func(id int64) error {
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.Exec(insert, id, time.Now().UnixMicro()); err != nil {
			return err
		}
		return tx.Commit()
	}
	// The pairs and keys every run uses: worker w's seq-th transfer.
	pair := func(w, seq int) (int, int) {
		from, to := (w*131+seq)%users, (w*131+seq*7+1)%users
		if from == to {
			to = (w*131 + seq*7 + 2) % users
		}
		return from, to
	}
	fmt.Printf("%s store, %d users, %d clients, %s per run, via %s\n", kind, users, concurrency, duration, via)
	var base, ours result
	if via == "store" {
		base = drive("baseline commit", duration, concurrency, func(w, seq int) error { return commit(int64(w)<<32 | int64(seq)) })
		fmt.Println(" ", base)
		b0, m0 := db.GroupCommitStats()
		ours = drive("transfer (idempotent)", duration, concurrency, func(w, seq int) error {
			from, to := pair(w, seq)
			key := fmt.Sprintf("bench-%d-%d", w, seq)
			_, err := db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: ids[from], ToUser: ids[to], Asset: "CNY",
				Amount: "0.01", IdempotencyKey: key, RequestHash: key})
			return err
		})
		fmt.Println(" ", ours)
		printBatches(db, b0, m0)
	} else {
		if base, ours, err = benchTransfersHTTP(ctx, db, ids, pair, commit, duration, concurrency); err != nil {
			return err
		}
	}
	fmt.Printf("transfers/s: %.0f; ratio to the baseline: %.2f\n", ours.perSecond(), ours.perSecond()/base.perSecond())
	return db.CheckInvariants(ctx)
}

// benchTransfersHTTP runs the baseline handler, then the transfers, both
// over loopback HTTP.
func benchTransfersHTTP(ctx context.Context, db *sqldb.DB, ids []string, pair func(w, seq int) (int, int), commit func(int64) error,
	duration time.Duration, concurrency int) (base, ours result, err error) {
	tokens, err := db.ImportSessions(ctx, ids, nil)
	if err != nil {
		return base, ours, err
	}
	okcareURL, stop1, err := serve(okhttp.NewServer(db, quiet))
	if err != nil {
		return base, ours, err
	}
	defer stop1()
	var seq atomic.Int64
	baselineURL, stop2, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ To, Asset, Amount string }
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := commit(seq.Add(1)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"status":"completed"}`))
	}))
	if err != nil {
		return base, ours, err
	}
	defer stop2()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency * 2}}
	post := func(url, token, key string, to string) error {
		body, _ := json.Marshal(map[string]string{"to": to, "asset": "CNY", "amount": "0.01"})
		req, _ := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/transfers", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", key)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		answer, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("status %d: %s", resp.StatusCode, answer)
		}
		return nil
	}
	base = drive("baseline HTTP commit", duration, concurrency, func(w, seq int) error {
		from, to := pair(w, seq)
		return post(baselineURL, tokens[from], "", ids[to])
	})
	fmt.Println(" ", base)
	b0, m0 := db.GroupCommitStats()
	ours = drive("POST /api/v1/transfers", duration, concurrency, func(w, seq int) error {
		from, to := pair(w, seq)
		return post(okcareURL, tokens[from], fmt.Sprintf("bench-%d-%d", w, seq), ids[to])
	})
	fmt.Println(" ", ours)
	printBatches(db, b0, m0)
	return base, ours, nil
}

// printBatches prints the group committer's batches since (b0, m0).
func printBatches(db *sqldb.DB, b0, m0 int64) {
	b, m := db.GroupCommitStats()
	if b > b0 {
		fmt.Printf("  group commit: %d batches, %.0f movements each on average\n", b-b0, float64(m-m0)/float64(b-b0))
	}
}
