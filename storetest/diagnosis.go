package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testDiagnoses(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "pia@example.com")
	save := func(userID string) *okcare.Diagnosis {
		d := &okcare.Diagnosis{UserID: userID, Lang: "zh-CN", TopCause: "network_offline",
			Request: json.RawMessage(`{"lang":"zh-CN","description":"连不上"}`), Result: json.RawMessage(`{"causes":[]}`)}
		if err := db.SaveDiagnosis(ctx, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	mine, anon := save(u.ID), save("")
	save("") // unanswered: counts as a diagnosis, not as an outcome
	got, err := db.FindDiagnosis(ctx, mine.ID)
	if err != nil || got.UserID != u.ID || string(got.Request) != string(mine.Request) || got.TopCause != "network_offline" {
		t.Fatalf("FindDiagnosis = %+v, %v", got, err)
	}
	wantCode(t, db.SetDiagnosisOutcome(ctx, mine.ID, "usr_someone_else", okcare.OutcomeSolved), okcare.ENOTFOUND)
	wantCode(t, db.SetDiagnosisOutcome(ctx, mine.ID, u.ID, "meh"), okcare.EINVALID)
	wantCode(t, db.SetDiagnosisOutcome(ctx, "dgn_none", "", okcare.OutcomeSolved), okcare.ENOTFOUND)
	if err := db.SetDiagnosisOutcome(ctx, mine.ID, u.ID, okcare.OutcomeSolved); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDiagnosisOutcome(ctx, anon.ID, "", okcare.OutcomeStillBroken); err != nil {
		t.Fatal(err)
	}
	r, err := db.Deflection(ctx, clock.Now().Add(-time.Hour))
	if err != nil || r.Diagnoses != 3 || r.Solved != 1 || r.StillBroken != 1 || r.Rate != 0.5 {
		t.Fatalf("Deflection = %+v, %v", r, err)
	}
	if r, _ := db.Deflection(ctx, clock.Now().Add(time.Hour)); r.Diagnoses != 0 || r.Rate != 0 {
		t.Fatalf("Deflection in the future = %+v", r)
	}
}
