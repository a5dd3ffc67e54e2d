package storetest

import (
	"fmt"
	"math/big"
	"sync"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testConcurrentBatches runs batches at once over the same accounts, each
// sending both ways between the same users: on PostgreSQL several batches
// run together and lock rows, and must neither deadlock nor move money
// they do not have.
func testConcurrentBatches(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	var users []*okcare.User
	for i := 0; i < 5; i++ {
		u := mustRegister(t, db, fmt.Sprintf("b%d@example.com", i))
		db.Deposit(ctx, u.ID, "CNY", "3", "")
		users = append(users, u)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			<-start
			for round := 0; round < 8; round++ {
				var reqs []okcare.MovementRequest
				for k := 0; k < 10; k++ {
					// Every batch pays around the ring, in both
					// directions, with more than some senders have.
					from, to := users[(w+k)%5], users[(w+k+1+k%2*2)%5]
					key, cents := fmt.Sprintf("w%d-r%d-%d", w, round, k), 40+k*7
					reqs = append(reqs, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: from.ID, ToUser: to.ID, Asset: "CNY",
						Amount: fmt.Sprintf("%d.%02d", cents/100, cents%100), IdempotencyKey: key, RequestHash: key})
				}
				_, errs, err := db.MoveBatch(ctx, reqs)
				if err != nil {
					t.Errorf("batch: %v", err)
					return
				}
				for _, err := range errs {
					if err != nil && okcare.ErrorCode(err) != okcare.EINSUFFICIENTFUNDS {
						t.Errorf("movement in a batch: %v", err)
					}
				}
			}
		}(w)
	}
	close(start)
	wg.Wait()
	total := new(big.Int)
	for _, u := range users {
		n, _ := new(big.Int).SetString(balance(t, db, u.ID, "CNY"), 10)
		if n.Sign() < 0 {
			t.Fatalf("%s went negative", u.Email)
		}
		total.Add(total, n)
	}
	if total.String() != "1500" {
		t.Fatalf("total = %s, want 1500", total)
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}

// testKeyInConcurrentBatches sends one idempotency key in batches that run
// at the same time: money moves once, and every batch answers with that
// movement (the later ones as a replay), none with an error.
func testKeyInConcurrentBatches(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	alice, bob := mustRegister(t, db, "alice@example.com"), mustRegister(t, db, "bob@example.com")
	carol := mustRegister(t, db, "carol@example.com")
	db.Deposit(ctx, alice.ID, "CNY", "100", "")
	db.Deposit(ctx, carol.ID, "CNY", "100", "")
	for round := 0; round < 5; round++ {
		key := fmt.Sprintf("shared-%d", round)
		same := okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: alice.ID, ToUser: bob.ID, Asset: "CNY", Amount: "1",
			IdempotencyKey: key, RequestHash: key}
		const batches = 4
		ids := make([]string, batches)
		replays := make([]bool, batches)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for b := 0; b < batches; b++ {
			wg.Add(1)
			go func(b int) {
				defer wg.Done()
				// Other movements around it, so that the batches differ.
				other := fmt.Sprintf("other-%d-%d", round, b)
				reqs := []okcare.MovementRequest{
					{Kind: okcare.KindTransfer, FromUserID: carol.ID, ToUser: bob.ID, Asset: "CNY", Amount: "0.01", IdempotencyKey: other, RequestHash: other},
					same,
				}
				<-start
				var m *okcare.Movement
				var err error
				if b%2 == 0 {
					ms, errs, berr := db.MoveBatch(ctx, reqs)
					if err = berr; err == nil {
						m, err = ms[1], errs[1]
					}
				} else {
					m, err = db.Move(ctx, same) // through the group committer, where there is one
				}
				if err != nil {
					t.Errorf("batch %d: %v", b, err)
					return
				}
				ids[b], replays[b] = m.ID, m.Replayed
			}(b)
		}
		close(start)
		wg.Wait()
		first := 0
		for b := range ids {
			if ids[b] != ids[0] {
				t.Fatalf("round %d: movements %v for one key", round, ids)
			}
			if !replays[b] {
				first++
			}
		}
		if first != 1 {
			t.Fatalf("round %d: %d answers were not replays, want 1", round, first)
		}
	}
	if got := balance(t, db, alice.ID, "CNY"); got != "9500" {
		t.Fatalf("alice = %s, want 9500 (5 keys, 1 CNY each)", got)
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}

// testBatchRefusals puts movements that must be refused beside ones that
// must not, in one batch: refusals decided in the batch (funds, a NUL in
// the memo, a recipient named with a NUL) leave the others to commit.
func testBatchRefusals(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	alice, bob := mustRegister(t, db, "alice@example.com"), mustRegister(t, db, "bob@example.com")
	db.Deposit(ctx, alice.ID, "CNY", "5", "")
	req := func(to, amount, memo, key string) okcare.MovementRequest {
		return okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: alice.ID, ToUser: to, Asset: "CNY", Amount: amount, Memo: memo,
			IdempotencyKey: key, RequestHash: key + amount}
	}
	ms, errs, err := db.MoveBatch(ctx, []okcare.MovementRequest{
		req(bob.ID, "2", "", "a"),
		req(bob.ID, "2", "nul\x00memo", "b"),
		req("bob\x00@example.com", "1", "", "c"),
		req(bob.ID, "4", "", "d"), // 3 left
		req(bob.ID, "3", "", "e"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", okcare.EINVALID, okcare.ENOTFOUND, okcare.EINSUFFICIENTFUNDS, ""} {
		if got := okcare.ErrorCode(errs[i]); got != want {
			t.Errorf("movement %d: %v, want code %q", i, errs[i], want)
		}
	}
	if ms[0] == nil || ms[4] == nil || balance(t, db, bob.ID, "CNY") != "500" {
		t.Fatalf("bob has %s, want 500", balance(t, db, bob.ID, "CNY"))
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}

// testRefusedFirstMovement refuses a first movement to a recipient with
// no account yet: no row changes, the account included; one that passes
// then creates it.
func testRefusedFirstMovement(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	alice, bob := mustRegister(t, db, "alice@example.com"), mustRegister(t, db, "bob@example.com")
	db.Deposit(ctx, alice.ID, "CNY", "1", "")
	accounts := func() int {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ledger_accounts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := accounts()
	_, err := db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: alice.ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "2",
		IdempotencyKey: "p1", RequestHash: "p1"})
	wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
	_, err = transfer(db, alice.ID, bob.ID, "CNY", "2", "t1")
	wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
	_, err = transfer(db, bob.ID, alice.ID, "CNY", "1", "t2") // bob has no account either
	wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
	if got := accounts(); got != before {
		t.Fatalf("refused movements left %d accounts, want %d", got, before)
	}
	if _, err := transfer(db, alice.ID, bob.ID, "CNY", "0.5", "t3"); err != nil {
		t.Fatal(err)
	}
	if got := accounts(); got != before+1 || balance(t, db, bob.ID, "CNY") != "50" {
		t.Fatalf("after a first transfer: %d accounts, bob %s", got, balance(t, db, bob.ID, "CNY"))
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}
