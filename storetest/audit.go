package storetest

import (
	"database/sql"
	"strings"
	"sync"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testAudit(t *testing.T, db *sqldb.DB, _ *Clock) {
	u := mustRegister(t, db, "rui@example.com")
	change := func(to okcare.AccountState, actor string) {
		t.Helper()
		if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: to, Reason: "security_review", Actor: actor}); err != nil {
			t.Fatal(err)
		}
	}
	change(okcare.AccountFrozen, "agent:agt_1")
	change(okcare.AccountActive, "agent:agt_2")
	change(okcare.AccountLoginRestricted, "system") // the system's own actions are in the state history, not the staff audit
	if err := db.SetReleasePolicy(ctx, &okcare.ReleasePolicy{Platform: "ios", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "15",
		UpdateURL: "https://apps.example/ok", UpdatedBy: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	// Concurrent agent actions still form one chain.
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v := mustRegister(t, db, "c"+string(rune('a'+i))+"@example.com")
			if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: v.ID, To: okcare.AccountFrozen, Reason: "review", Actor: "agent:agt_3"}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	n, err := db.VerifyAudit(ctx)
	if err != nil || n != 9 {
		t.Fatalf("VerifyAudit = %d, %v; want 9 entries intact", n, err)
	}
	log, _ := db.AuditLog(ctx, 100)
	if log[len(log)-1].Action != "account.state_change" || log[len(log)-1].Actor != "agent:agt_1" || !strings.Contains(string(log[len(log)-1].Details), `"to":"frozen"`) {
		t.Fatalf("first entry: %+v", log[len(log)-1])
	}
	// Neither the application's role nor the owner's may rewrite it.
	owner := Owner(t, db)
	for _, conn := range []*sql.DB{db.SQL(), owner} {
		if _, err := conn.Exec(`UPDATE audit_log SET actor = 'agent:someone_else' WHERE seq = 1`); err == nil {
			t.Fatal("the audit log accepted an UPDATE")
		}
		if _, err := conn.Exec(`DELETE FROM audit_log WHERE seq = 9`); err == nil {
			t.Fatal("the audit log accepted a DELETE")
		}
	}

	// Someone with the database's keys disables the guard and edits history:
	// verification names the entry.
	disable := []string{`DROP TRIGGER audit_immutable_update`, `DROP TRIGGER audit_immutable_delete`}
	if db.Dialect().Name == "postgres" {
		disable = []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_immutable`}
	}
	for _, q := range disable {
		if _, err := owner.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := owner.Exec(`UPDATE audit_log SET details = '{"to":"active"}' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "entry 2 was altered") {
		t.Fatalf("altered entry: %v", err)
	}
	restore := `UPDATE audit_log SET details = ? WHERE seq = 2`
	if db.Dialect().Numbered {
		restore = `UPDATE audit_log SET details = $1 WHERE seq = 2`
	}
	if _, err := owner.Exec(restore, string(log[len(log)-2].Details)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatalf("restored entry: %v", err)
	}
	if _, err := owner.Exec(`DELETE FROM audit_log WHERE seq = 9`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "ends at entry 8 but 9") {
		t.Fatalf("removed newest entry: %v", err)
	}
}
