package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Someone who can write the database but does not hold the audit key
// recomputes the chain, appends a forged entry, rewinds the head or wipes
// the log: the signatures and the anchors written outside the database
// catch each, and say which.
func testAuditSignaturesAndAnchors(t *testing.T, db *sqldb.DB, clock *Clock) {
	db.AuditKey = []byte("audit-key-the-database-never-holds")
	u := mustRegister(t, db, "hui@example.com")
	for _, st := range []okcare.AccountState{okcare.AccountFrozen, okcare.AccountActive, okcare.AccountFrozen} {
		if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: st, Reason: "review", Actor: "agent:agt_1"}); err != nil {
			t.Fatal(err)
		}
	}
	anchor, err := db.AuditAnchor(ctx)
	if err != nil || anchor.Seq != 3 {
		t.Fatalf("anchor %+v, %v", anchor, err)
	}
	anchors := []sqldb.AuditAnchor{*anchor}
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.VerifyAuditAnchors(ctx, anchors); err != nil {
		t.Fatal(err)
	}
	owner := Owner(t, db) // the attacker has the owner's password
	exec := func(q string) {
		t.Helper()
		if _, err := owner.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The attacker first disables the guard triggers.
	if db.Dialect().Name == "postgres" {
		exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_immutable`)
	} else {
		exec(`DROP TRIGGER audit_immutable_update`)
		exec(`DROP TRIGGER audit_immutable_delete`)
	}
	type row struct {
		seq, at                                         int64
		actor, action, target, details, prev, hash, mac string
	}
	entries := func() []row {
		rows, err := owner.Query(`SELECT seq, at, actor, action, target, details, prev_hash, hash, mac FROM audit_log ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			rows.Scan(&r.seq, &r.at, &r.actor, &r.action, &r.target, &r.details, &r.prev, &r.hash, &r.mac)
			out = append(out, r)
		}
		return out
	}
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	write := func(rs []row) { // the log and its head exactly as rs says
		exec(`DELETE FROM audit_log`)
		seq, hash := int64(0), ""
		for _, r := range rs {
			exec(fmt.Sprintf(`INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash, mac) VALUES (%d, %d, %s, %s, %s, %s, %s, %s, %s)`,
				r.seq, r.at, q(r.actor), q(r.action), q(r.target), q(r.details), q(r.prev), q(r.hash), q(r.mac)))
			seq, hash = r.seq, r.hash
		}
		exec(fmt.Sprintf(`UPDATE audit_head SET seq = %d, hash = %s WHERE id = 1`, seq, q(hash)))
	}
	rehash := func(rs []row) { // the chain recomputed, as anyone can
		prev := ""
		for i := range rs {
			rs[i].prev = prev
			rs[i].hash = sqldb.AuditHash(prev, rs[i].seq, rs[i].at, rs[i].actor, rs[i].action, rs[i].target, rs[i].details)
			prev = rs[i].hash
		}
	}
	original := entries()
	wantBroken := func(err error, says string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Fatalf("got %v, want it to say %q", err, says)
		}
	}

	// A recomputed chain: entry 2 no longer says who froze the account.
	forged := entries()
	forged[1].actor = "agent:someone_else"
	rehash(forged)
	write(forged)
	wantBroken(db.VerifyAuditAnchors(ctx, anchors), "recomputed")
	wantBroken(func() error { _, err := db.VerifyAudit(ctx); return err }(), "forged")

	// A forged entry appended after the anchor, chained correctly.
	forged = append(entries()[:0], original...)
	next := row{seq: 4, at: original[2].at + 1, actor: "agent:agt_1", action: "account.state_change", target: "user:" + u.ID, details: `{"to":"active"}`}
	forged = append(forged, next)
	rehash(forged)
	forged[3].mac = ""
	write(forged)
	if err := db.VerifyAuditAnchors(ctx, anchors); err != nil {
		t.Fatalf("the anchored part is intact: %v", err)
	}
	wantBroken(func() error { _, err := db.VerifyAudit(ctx); return err }(), "unsigned")
	forged[3].mac = strings.Repeat("0", 64)
	write(forged)
	wantBroken(func() error { _, err := db.VerifyAudit(ctx); return err }(), "forged")

	// The head rewound: the last entry removed, the head set back.
	write(original[:2])
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatalf("a rewound log is a consistent chain: %v", err)
	}
	wantBroken(db.VerifyAuditAnchors(ctx, anchors), "rewound")

	// Wiped.
	write(nil)
	wantBroken(db.VerifyAuditAnchors(ctx, anchors), "wiped")

	// A forged anchor is no anchor.
	fake := *anchor
	fake.Seq = 2
	wantBroken(db.VerifyAuditAnchors(ctx, []sqldb.AuditAnchor{fake}), "anchor of entry 2")

	write(original)
	if _, err := db.VerifyAudit(ctx); err != nil {
		t.Fatalf("restored: %v", err)
	}
	if err := db.VerifyAuditAnchors(ctx, anchors); err != nil {
		t.Fatalf("restored: %v", err)
	}
}
