package storetest

import (
	"database/sql"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// seedAssets adds the demo assets and a merchant.
func seedAssets(t *testing.T, db *sqldb.DB) {
	t.Helper()
	for _, a := range []*okcare.Asset{{Code: "CNY", Name: "Renminbi", Decimals: 2}, {Code: "ETH", Name: "Ether", Decimals: 18}} {
		if err := db.CreateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateMerchant(ctx, &okcare.Merchant{ID: "mch_coffee", Name: "Coffee"}); err != nil {
		t.Fatal(err)
	}
}

func balance(t *testing.T, db *sqldb.DB, userID, asset string) string {
	t.Helper()
	bals, err := db.Balances(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bals {
		if b.Asset == asset {
			return b.Minor.String()
		}
	}
	t.Fatalf("no %s balance", asset)
	return ""
}

func transfer(db *sqldb.DB, from, to, asset, amount, key string) (*okcare.Movement, error) {
	return db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: from, ToUser: to, Asset: asset, Amount: amount,
		IdempotencyKey: key, RequestHash: fmt.Sprintf("%s|%s|%s", to, asset, amount)})
}

func testLedger(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	wantCode(t, db.CreateAsset(ctx, &okcare.Asset{Code: "CNY", Name: "again", Decimals: 2}), okcare.ECONFLICT)
	wantCode(t, db.CreateAsset(ctx, &okcare.Asset{Code: "XX", Name: "too fine", Decimals: 19}), okcare.EINVALID)
	alice, bob := mustRegister(t, db, "alice@example.com"), mustRegister(t, db, "bob@example.com")
	if balance(t, db, alice.ID, "CNY") != "0" {
		t.Fatal("new user has a balance")
	}
	if _, err := db.Deposit(ctx, alice.ID, "CNY", "100.00", "top-up"); err != nil {
		t.Fatal(err)
	}
	// 10^21 wei is 1000 ETH: far past int64.
	if _, err := db.Deposit(ctx, alice.ID, "ETH", "1000", ""); err != nil {
		t.Fatal(err)
	}
	m, err := transfer(db, alice.ID, "bob@example.com", "CNY", "12.34", "k1")
	if err != nil || m.ToUserID != bob.ID || m.Minor.String() != "1234" {
		t.Fatalf("transfer = %+v, %v", m, err)
	}
	if _, err := transfer(db, alice.ID, bob.ID, "ETH", "999.999999999999999999", "k2"); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, db, alice.ID, "ETH"); got != "1" {
		t.Fatalf("alice ETH = %s wei, want 1", got)
	}
	if balance(t, db, alice.ID, "CNY") != "8766" || balance(t, db, bob.ID, "CNY") != "1234" {
		t.Fatal("CNY balances wrong after transfer")
	}

	for _, tc := range []struct {
		name, to, asset, amount, code string
	}{
		{"overdraft", bob.ID, "CNY", "87.67", okcare.EINSUFFICIENTFUNDS},
		{"too many decimals", bob.ID, "CNY", "1.001", okcare.EINVALIDAMOUNT},
		{"negative", bob.ID, "CNY", "-1", okcare.EINVALIDAMOUNT},
		{"unknown asset", bob.ID, "DOGE", "1", okcare.EUNKNOWNASSET},
		{"unknown recipient", "nobody@example.com", "CNY", "1", okcare.ENOTFOUND},
		{"self", alice.ID, "CNY", "1", okcare.EINVALID},
	} {
		_, err := transfer(db, alice.ID, tc.to, tc.asset, tc.amount, "bad-"+strings.ReplaceAll(tc.name, " ", "-"))
		if okcare.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	_, err = db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: alice.ID, ToUser: bob.ID, Asset: "CNY", Amount: "1"})
	wantCode(t, err, okcare.EIDEMPOTENCYMISSING)

	pay, err := db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: alice.ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "6.66", IdempotencyKey: "p1", RequestHash: "p"})
	if err != nil || pay.ToMerchantID != "mch_coffee" {
		t.Fatalf("payment = %+v, %v", pay, err)
	}
	_, err = db.Move(ctx, okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: alice.ID, ToMerchant: "mch_none", Asset: "CNY", Amount: "1", IdempotencyKey: "p2", RequestHash: "p"})
	wantCode(t, err, okcare.ENOTFOUND)

	// A sender who cannot cover the amount hears "insufficient funds"
	// whether or not the recipient exists; one who can learns only that
	// nobody has that login (as the app shows the payee before paying).
	prober := mustRegister(t, db, "prober@example.com")
	for _, to := range []string{"alice@example.com", "nobody@example.com", "+8613900000000", "usr_0000000000000000000000000"} {
		_, err = transfer(db, bob.ID, to, "CNY", "1000000", "probe-"+to)
		wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
		_, err = transfer(db, prober.ID, to, "ETH", "1", "probe-eth-"+to) // no account in the asset at all
		wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
	}
	_, err = transfer(db, alice.ID, "nobody@example.com", "CNY", "1", "probe-rich")
	wantCode(t, err, okcare.ENOTFOUND)

	// Frozen accounts cannot move money but can still receive it.
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: bob.ID, To: okcare.AccountFrozen, Reason: "review", Actor: "system"}); err != nil {
		t.Fatal(err)
	}
	_, err = transfer(db, bob.ID, alice.ID, "CNY", "1", "frozen-1")
	wantCode(t, err, okcare.EACCOUNTFROZEN)
	if _, err := transfer(db, alice.ID, bob.ID, "CNY", "1", "to-frozen"); err != nil {
		t.Fatalf("transfer to frozen: %v", err)
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}

func testIdempotency(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	alice, bob := mustRegister(t, db, "alice@example.com"), mustRegister(t, db, "bob@example.com")
	db.Deposit(ctx, alice.ID, "CNY", "10", "")
	first, err := transfer(db, alice.ID, bob.ID, "CNY", "3", "same-key")
	if err != nil {
		t.Fatal(err)
	}
	again, err := transfer(db, alice.ID, bob.ID, "CNY", "3", "same-key")
	if err != nil || again.ID != first.ID || !again.Replayed || first.Replayed {
		t.Fatalf("repeat = %+v, %v", again, err)
	}
	_, err = transfer(db, alice.ID, bob.ID, "CNY", "4", "same-key")
	wantCode(t, err, okcare.EIDEMPOTENCYMISMATCH)
	if balance(t, db, bob.ID, "CNY") != "300" {
		t.Fatal("a repeated key moved money twice")
	}
	// Keys belong to a user: bob may use the same key for his own transfer.
	if _, err := transfer(db, bob.ID, alice.ID, "CNY", "1", "same-key"); err != nil {
		t.Fatal(err)
	}
	// A rejected request stores nothing: the key can be used after topping up.
	_, err = transfer(db, alice.ID, bob.ID, "CNY", "100", "retry-later")
	wantCode(t, err, okcare.EINSUFFICIENTFUNDS)
	db.Deposit(ctx, alice.ID, "CNY", "100", "")
	if _, err := transfer(db, alice.ID, bob.ID, "CNY", "100", "retry-later"); err != nil {
		t.Fatal(err)
	}

	// Racing requests with one key move money once.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if m, err := transfer(db, alice.ID, bob.ID, "CNY", "0.01", "race"); err == nil {
				ids[i] = m.ID
			} else {
				t.Errorf("racing request: %v", err)
			}
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("racing requests got different movements: %v", ids)
		}
	}
	if got := balance(t, db, alice.ID, "CNY"); got != "799" {
		t.Fatalf("alice = %s, want 799", got)
	}
}

func testConcurrentTransfers(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	users := []*okcare.User{mustRegister(t, db, "u0@example.com"), mustRegister(t, db, "u1@example.com"), mustRegister(t, db, "u2@example.com")}
	for _, u := range users {
		db.Deposit(ctx, u.ID, "CNY", "10.00", "")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	// More workers than pooled connections, on statements not yet prepared:
	// this once deadlocked on the pool.
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 12; i++ {
				from, to := users[(w+i)%3], users[(w+i+1+w%2)%3]
				_, err := transfer(db, from.ID, to.ID, "CNY", "0.75", fmt.Sprintf("w%d-%d", w, i))
				switch okcare.ErrorCode(err) {
				case "":
					mu.Lock()
					ok++
					mu.Unlock()
				case okcare.EINSUFFICIENTFUNDS:
				default:
					t.Errorf("transfer: %v", err)
				}
			}
		}(w)
	}
	wg.Wait()
	total := new(big.Int)
	for _, u := range users {
		n, _ := new(big.Int).SetString(balance(t, db, u.ID, "CNY"), 10)
		if n.Sign() < 0 {
			t.Fatalf("%s went negative", u.Email)
		}
		total.Add(total, n)
	}
	if total.String() != "3000" || ok == 0 {
		t.Fatalf("total = %s after %d transfers, want 3000", total, ok)
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}

func testLedgerImmutable(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	u := mustRegister(t, db, "ivy@example.com")
	db.Deposit(ctx, u.ID, "CNY", "5", "")
	refused := []string{`UPDATE postings SET amount = '1'`, `DELETE FROM postings`, `UPDATE journal_entries SET memo = 'x'`, `DELETE FROM journal_entries`}
	if db.Dialect().Name == "postgres" {
		refused = append(refused, `TRUNCATE postings`, `TRUNCATE journal_entries`, `TRUNCATE audit_log`, `TRUNCATE journal_entries, postings CASCADE`)
	}
	// Refused to the application's role and, by the triggers, to the owner.
	for _, conn := range []*sql.DB{db.SQL(), Owner(t, db)} {
		for _, q := range refused {
			if _, err := conn.Exec(q); err == nil {
				t.Errorf("%s succeeded; ledger history must be immutable", q)
			}
		}
	}
}

func testTransactions(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	a, b := mustRegister(t, db, "jo@example.com"), mustRegister(t, db, "kim@example.com")
	db.Deposit(ctx, a.ID, "CNY", "50", "")
	for i := 0; i < 7; i++ {
		if _, err := transfer(db, a.ID, b.ID, "CNY", fmt.Sprintf("%d", i+1), fmt.Sprintf("t%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var all []*okcare.Transaction
	var cursor int64
	for page := 0; ; page++ {
		txs, next, err := db.Transactions(ctx, a.ID, cursor, 3)
		if err != nil || page > 5 {
			t.Fatalf("page %d: %v", page, err)
		}
		all = append(all, txs...)
		if next == 0 {
			break
		}
		cursor = next
	}
	if len(all) != 8 {
		t.Fatalf("got %d transactions, want 8", len(all))
	}
	if all[0].Minor.String() != "-700" || all[7].Kind != okcare.KindDeposit || all[7].Minor.String() != "5000" {
		t.Fatalf("order or signs wrong: first %+v last %+v", all[0], all[7])
	}
	txs, _, _ := db.Transactions(ctx, b.ID, 0, 100)
	if len(txs) != 7 || txs[0].Minor.Sign() <= 0 {
		t.Fatalf("recipient sees %d transactions", len(txs))
	}
}

// testMoveBatch runs movements in one transaction, as the group
// committer does: each sees the ones before it, and a rejected one leaves
// the others untouched.
func testMoveBatch(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	alice, bob, carol := mustRegister(t, db, "alice@example.com"), mustRegister(t, db, "bob@example.com"), mustRegister(t, db, "carol@example.com")
	frozen := mustRegister(t, db, "frozen@example.com")
	db.Deposit(ctx, alice.ID, "CNY", "10", "")
	db.Deposit(ctx, frozen.ID, "CNY", "10", "")
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: frozen.ID, To: okcare.AccountFrozen, Reason: "review", Actor: "system"}); err != nil {
		t.Fatal(err)
	}
	req := func(from, to, amount, key string) okcare.MovementRequest {
		return okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: from, ToUser: to, Asset: "CNY", Amount: amount,
			IdempotencyKey: key, RequestHash: fmt.Sprintf("%s|%s|%s", to, "CNY", amount)}
	}
	reqs := []okcare.MovementRequest{
		req(alice.ID, bob.ID, "3", "k1"),               // 0: ok
		req(alice.ID, bob.ID, "100", "k2"),             // 1: insufficient
		req(alice.ID, bob.ID, "3", "k1"),               // 2: repeat of 0 in the same batch
		req(alice.ID, bob.ID, "4", "k1"),               // 3: same key, other request
		req(bob.ID, carol.ID, "2", "k1"),               // 4: bob spends what 0 gave him; carol gets her first account
		req(frozen.ID, bob.ID, "1", "k5"),              // 5: frozen
		req(alice.ID, "nobody@example.com", "1", "k6"), // 6: unknown recipient
		req(alice.ID, bob.ID, "1.001", "k7"),           // 7: refused before the batch
		req(carol.ID, alice.ID, "5", "k8"),             // 8: carol has only 2
		req(alice.ID, carol.ID, "7", "k9"),             // 9: alice's last 7 after 0
	}
	ms, errs, err := db.MoveBatch(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", okcare.EINSUFFICIENTFUNDS, "", okcare.EIDEMPOTENCYMISMATCH, "", okcare.EACCOUNTFROZEN,
		okcare.ENOTFOUND, okcare.EINVALIDAMOUNT, okcare.EINSUFFICIENTFUNDS, ""} {
		if got := okcare.ErrorCode(errs[i]); got != want {
			t.Errorf("movement %d: error %v, want code %q", i, errs[i], want)
		}
	}
	if ms[2] == nil || ms[2].ID != ms[0].ID || !ms[2].Replayed || ms[0].Replayed {
		t.Fatalf("repeat in the batch = %+v, first = %+v", ms[2], ms[0])
	}
	for user, want := range map[string]string{alice.ID: "0", bob.ID: "100", carol.ID: "900", frozen.ID: "1000"} {
		if got := balance(t, db, user, "CNY"); got != want {
			t.Errorf("balance of %s = %s, want %s", user, got, want)
		}
	}
	// What the batch stored is what a lone Move finds afterwards.
	again, err := transfer(db, alice.ID, bob.ID, "CNY", "3", "k1")
	if err != nil || again.ID != ms[0].ID || !again.Replayed {
		t.Fatalf("repeat after the batch = %+v, %v", again, err)
	}
	// Rejected keys were not recorded.
	db.Deposit(ctx, alice.ID, "CNY", "100", "")
	if _, err := transfer(db, alice.ID, bob.ID, "CNY", "100", "k2"); err != nil {
		t.Fatalf("key of a rejected movement: %v", err)
	}
	// A recipient by email, one that starts like a user id.
	dave := mustRegister(t, db, "usr_dave@example.com")
	db.Deposit(ctx, alice.ID, "CNY", "1", "")
	if m, err := transfer(db, alice.ID, "USR_Dave@example.com", "CNY", "1", "k10"); err != nil || m.ToUserID != dave.ID {
		t.Fatalf("transfer to usr_dave@ by email = %+v, %v", m, err)
	}
	txs, _, err := db.Transactions(ctx, carol.ID, 0, 10)
	if err != nil || len(txs) != 2 {
		t.Fatalf("carol's transactions = %d, %v", len(txs), err)
	}
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}

// testMoveBatchConcurrent runs batches beside lone movements over the same
// accounts, payments included: on PostgreSQL both lock rows, and must do
// so in one order, or they deadlock.
func testMoveBatchConcurrent(t *testing.T, db *sqldb.DB, _ *Clock) {
	seedAssets(t, db)
	var users []*okcare.User
	for i := 0; i < 4; i++ {
		u := mustRegister(t, db, fmt.Sprintf("c%d@example.com", i))
		db.Deposit(ctx, u.ID, "CNY", "50", "")
		users = append(users, u)
	}
	// Batches send from users 0 and 1 (to 2 and 3, and to the merchant);
	// lone movements pay from users 2 and 3, whose accounts the batches
	// lock as recipients: the case where lock order matters.
	movement := func(w, i int) okcare.MovementRequest {
		key := fmt.Sprintf("w%d-%d", w, i)
		if w%2 == 0 {
			from := users[i%2]
			if i%3 == 0 {
				return okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: from.ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "0.5",
					IdempotencyKey: key, RequestHash: key}
			}
			return okcare.MovementRequest{Kind: okcare.KindTransfer, FromUserID: from.ID, ToUser: users[2+i%2].ID, Asset: "CNY", Amount: "0.75",
				IdempotencyKey: key, RequestHash: key}
		}
		return okcare.MovementRequest{Kind: okcare.KindPayment, FromUserID: users[2+i%2].ID, ToMerchant: "mch_coffee", Asset: "CNY", Amount: "0.25",
			IdempotencyKey: key, RequestHash: key}
	}
	acceptable := func(err error) bool {
		return err == nil || okcare.ErrorCode(err) == okcare.EINSUFFICIENTFUNDS
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				if w%2 == 0 {
					var reqs []okcare.MovementRequest
					for k := 0; k < 6; k++ {
						reqs = append(reqs, movement(w, i*6+k))
					}
					_, errs, err := db.MoveBatch(ctx, reqs)
					if err != nil {
						t.Errorf("batch: %v", err)
						return
					}
					for _, err := range errs {
						if !acceptable(err) {
							t.Errorf("movement in a batch: %v", err)
						}
					}
				} else if _, err := db.Move(ctx, movement(w, i)); !acceptable(err) {
					t.Errorf("lone movement: %v", err)
				}
			}
		}(w)
	}
	wg.Wait()
	if err := db.CheckInvariants(ctx); err != nil {
		t.Fatal(err)
	}
}
