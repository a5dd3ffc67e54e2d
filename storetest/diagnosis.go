package storetest

import (
	"encoding/json"
	"strings"
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
	if mine.Key != "" || !strings.HasPrefix(anon.Key, "dgk_") {
		t.Fatalf("keys: signed in %q, anonymous %q", mine.Key, anon.Key)
	}
	// An anonymous diagnosis opens with its key only; a signed-in one for
	// its owner only. Its id alone (seen by staff, in logs) opens nothing.
	if d, err := db.OpenDiagnosis(ctx, anon.ID, "", anon.Key); err != nil || d.ID != anon.ID {
		t.Fatalf("OpenDiagnosis with the key = %+v, %v", d, err)
	}
	for _, try := range []struct{ id, user, key string }{
		{anon.ID, "", ""}, {anon.ID, "", mine.ID}, {anon.ID, u.ID, ""}, {anon.ID, "", "dgk_" + anon.Key[4:10] + "AAAAAAAAAAAAAAAAAAAA"},
		{mine.ID, "", ""}, {mine.ID, "usr_someone_else", ""}, {mine.ID, "", anon.Key}, {"dgn_none", "", anon.Key},
	} {
		_, err := db.OpenDiagnosis(ctx, try.id, try.user, try.key)
		wantCode(t, err, okcare.ENOTFOUND)
	}
	if d, err := db.OpenDiagnosis(ctx, mine.ID, u.ID, ""); err != nil || d.ID != mine.ID {
		t.Fatalf("OpenDiagnosis by its owner = %+v, %v", d, err)
	}
	wantCode(t, db.SetDiagnosisOutcome(ctx, mine.ID, "usr_someone_else", "", okcare.OutcomeSolved), okcare.ENOTFOUND)
	wantCode(t, db.SetDiagnosisOutcome(ctx, mine.ID, u.ID, "", "meh"), okcare.EINVALID)
	wantCode(t, db.SetDiagnosisOutcome(ctx, "dgn_none", "", "", okcare.OutcomeSolved), okcare.ENOTFOUND)
	wantCode(t, db.SetDiagnosisOutcome(ctx, anon.ID, "", "", okcare.OutcomeSolved), okcare.ENOTFOUND)
	if err := db.SetDiagnosisOutcome(ctx, mine.ID, u.ID, "", okcare.OutcomeSolved); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDiagnosisOutcome(ctx, anon.ID, "", anon.Key, okcare.OutcomeStillBroken); err != nil {
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
