package storetest

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testReleasePolicy(t *testing.T, db *sqldb.DB, _ *Clock) {
	_, err := db.ReleasePolicy(ctx, "android")
	wantCode(t, err, okcare.ENOTFOUND)
	p := &okcare.ReleasePolicy{Platform: "android", MinVersion: "5.0.0", LatestVersion: "5.3.1", MinOSVersion: "8", UpdateURL: "https://example.com/okwallet.apk",
		KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "闪退 / crashes on launch"}}, UpdatedBy: "agent:agt_1"}
	if err := db.SetReleasePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.LatestVersion = "5.4.0"
	if err := db.SetReleasePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := db.ReleasePolicy(ctx, "android")
	if err != nil || got.LatestVersion != "5.4.0" || len(got.KnownBad) != 1 || got.KnownBad[0].Note != "闪退 / crashes on launch" {
		t.Fatalf("ReleasePolicy = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		name string
		edit func(p *okcare.ReleasePolicy)
		code string
	}{
		{"platform", func(p *okcare.ReleasePolicy) { p.Platform = "windows" }, okcare.EINVALID},
		{"version", func(p *okcare.ReleasePolicy) { p.MinVersion = "five" }, okcare.EINVALIDVERSION},
		{"latest below min", func(p *okcare.ReleasePolicy) { p.LatestVersion = "4.0.0" }, okcare.EINVALID},
		{"url", func(p *okcare.ReleasePolicy) { p.UpdateURL = "javascript:alert(1)" }, okcare.EINVALID},
		{"known bad", func(p *okcare.ReleasePolicy) { p.KnownBad = []okcare.KnownBadVersion{{Version: "x"}} }, okcare.EINVALIDVERSION},
	} {
		bad := *p
		tc.edit(&bad)
		if got := okcare.ErrorCode(db.SetReleasePolicy(ctx, &bad)); got != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, got, tc.code)
		}
	}
	if got, _ := db.ReleasePolicy(ctx, "android"); got.LatestVersion != "5.4.0" {
		t.Fatal("a rejected policy changed the stored one")
	}
}

func testIncidents(t *testing.T, db *sqldb.DB, clock *Clock) {
	inc := &okcare.Incident{Title: "登录缓慢 / Slow sign-in", Message: "We are looking into it.", Severity: okcare.SeverityMajor}
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CreateIncident(ctx, &okcare.Incident{Title: "x", Severity: "apocalyptic"}), okcare.EINVALID)
	active, err := db.Incidents(ctx, true)
	if err != nil || len(active) != 1 || active[0].Status != okcare.IncidentInvestigating {
		t.Fatalf("active = %+v, %v", active, err)
	}
	clock.Advance(time.Hour)
	resolved, msg := okcare.IncidentResolved, "Fixed."
	got, err := db.UpdateIncident(ctx, inc.ID, okcare.IncidentPatch{Status: &resolved, Message: &msg})
	if err != nil || got.ResolvedAt == nil || len(got.Updates) != 2 || got.Updates[1].Message != "Fixed." {
		t.Fatalf("UpdateIncident = %+v, %v", got, err)
	}
	bogus := "exploded"
	_, err = db.UpdateIncident(ctx, inc.ID, okcare.IncidentPatch{Status: &bogus})
	wantCode(t, err, okcare.EINVALID)
	_, err = db.UpdateIncident(ctx, "inc_none", okcare.IncidentPatch{Status: &resolved})
	wantCode(t, err, okcare.ENOTFOUND)
	if active, _ := db.Incidents(ctx, true); len(active) != 0 {
		t.Fatalf("resolved incident still active: %+v", active)
	}
	if all, _ := db.Incidents(ctx, false); len(all) != 1 || all[0].Status != okcare.IncidentResolved {
		t.Fatalf("all = %+v", all)
	}
}

func testAgents(t *testing.T, db *sqldb.DB, _ *Clock) {
	a := &okcare.Agent{Email: "Lead@Support.example", Role: okcare.RoleAdmin}
	if err := db.CreateAgent(ctx, a, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CreateAgent(ctx, &okcare.Agent{Email: "lead@support.example", Role: okcare.RoleAgent}, "staff-pass-456"), okcare.ECONFLICT)
	wantCode(t, db.CreateAgent(ctx, &okcare.Agent{Email: "x@support.example", Role: "god"}, "staff-pass-456"), okcare.EINVALID)
	_, _, err := db.AgentLogin(ctx, "lead@support.example", "wrong-pass-1", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	got, tok, err := db.AgentLogin(ctx, "lead@support.example", "staff-pass-123", "")
	if err != nil || got.Role != okcare.RoleAdmin {
		t.Fatalf("AgentLogin = %+v, %v", got, err)
	}
	if who, err := db.AuthenticateAgent(ctx, tok); err != nil || who.ID != a.ID {
		t.Fatalf("AuthenticateAgent = %v, %v", who, err)
	}
	if err := db.SetAgentPassword(ctx, "lead@support.example", "new-staff-pass-9"); err != nil {
		t.Fatal(err)
	}
	_, err = db.AuthenticateAgent(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED) // sessions end with a password reset
}

func testOutbox(t *testing.T, db *sqldb.DB, clock *Clock) {
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "liu@example.com", Phone: "+8613900000000", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := login(db, "liu@example.com", "blue-kettle-42", "p", ""); err != nil {
		t.Fatal(err)
	}
	due, err := db.ClaimDue(ctx, 10, time.Minute)
	if err != nil || len(due) != 2 {
		t.Fatalf("ClaimDue = %d, %v; want email and sms", len(due), err)
	}
	if again, _ := db.ClaimDue(ctx, 10, time.Minute); len(again) != 0 {
		t.Fatal("leased notifications claimed twice")
	}
	if err := db.MarkSent(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, due[1].ID, "relay down", clock.Now().Add(time.Minute), 2); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	retry, _ := db.ClaimDue(ctx, 10, time.Minute)
	if len(retry) != 1 || retry[0].ID != due[1].ID || retry[0].Attempts != 1 {
		t.Fatalf("retry = %+v", retry)
	}
	db.MarkFailed(ctx, due[1].ID, "relay down", clock.Now(), 2)
	clock.Advance(time.Minute)
	if left, _ := db.ClaimDue(ctx, 10, time.Minute); len(left) != 0 {
		t.Fatal("gave-up notification claimed again")
	}
	all, _ := db.Outbox(ctx, 10)
	statuses := map[string]string{}
	for _, n := range all {
		statuses[n.ID] = n.Status
		if n.UserID != u.ID {
			t.Fatal("outbox has a stranger's notification")
		}
	}
	if statuses[due[0].ID] != okcare.NotificationSent || statuses[due[1].ID] != okcare.NotificationFailed {
		t.Fatalf("statuses %v", statuses)
	}
}
