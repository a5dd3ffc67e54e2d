package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testReleasePolicy(t *testing.T, db *sqldb.DB, _ *Clock) {
	_, err := db.ReleasePolicy(ctx, "android")
	wantCode(t, err, okcare.ENOTFOUND)
	p := &okcare.ReleasePolicy{Platform: "android", MinVersion: "5.0.0", LatestVersion: "5.3.1", MinOSVersion: "8", UpdateURL: "https://example.com/okwallet.apk",
		KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "闪退", NoteEN: "crashes on launch"}}, UpdatedBy: "agent:agt_1"}
	if err := db.SetReleasePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.LatestVersion = "5.4.0"
	if err := db.SetReleasePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := db.ReleasePolicy(ctx, "android")
	if err != nil || got.LatestVersion != "5.4.0" || len(got.KnownBad) != 1 || got.KnownBad[0].Note != "闪退" || got.KnownBad[0].NoteEN != "crashes on launch" {
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
	inc := &okcare.Incident{Title: "登录缓慢", Message: "正在调查。", TitleEN: "Slow sign-in", MessageEN: "We are looking into it.", Severity: okcare.SeverityMajor, By: "agent:agt_ops"}
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CreateIncident(ctx, &okcare.Incident{Title: "x", Severity: "apocalyptic"}), okcare.EINVALID)
	active, err := db.Incidents(ctx, true)
	if err != nil || len(active) != 1 || active[0].Status != okcare.IncidentInvestigating {
		t.Fatalf("active = %+v, %v", active, err)
	}
	clock.Advance(time.Hour)
	resolved, msg, msgEN := okcare.IncidentResolved, "已修复。", "Fixed."
	got, err := db.UpdateIncident(ctx, inc.ID, okcare.IncidentPatch{By: "agent:agt_ops", Status: &resolved, Message: &msg, MessageEN: &msgEN})
	if log, _ := db.AuditLog(ctx, 2); len(log) != 2 || log[0].Action != "incident.update" || log[1].Action != "incident.create" || log[0].Actor != "agent:agt_ops" {
		t.Fatalf("incidents not audited: %+v", log)
	}
	if err != nil || got.ResolvedAt == nil || len(got.Updates) != 2 || got.Updates[1].MessageEN != "Fixed." || got.Updates[0].MessageEN != "We are looking into it." || got.TitleEN != "Slow sign-in" {
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
	_, _, err := db.AgentLogin(ctx, "lead@support.example", "wrong-pass-1", "", "")
	wantCode(t, err, okcare.EINVALIDCREDENTIALS)
	got, tok, err := db.AgentLogin(ctx, "lead@support.example", "staff-pass-123", "", "")
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

	_, tok, _ = db.AgentLogin(ctx, "lead@support.example", "new-staff-pass-9", "", "")
	if err := db.AgentLogout(ctx, tok); err != nil {
		t.Fatal(err)
	}
	_, err = db.AuthenticateAgent(ctx, tok)
	wantCode(t, err, okcare.EUNAUTHORIZED)
}

func testOutbox(t *testing.T, db *sqldb.DB, _ *Clock) {
	var queued []string
	db.DeliveryJobs = func(ctx context.Context, tx *sql.Tx, id string) error {
		queued = append(queued, id)
		return nil
	}
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "liu@example.com", Phone: "+8613900000000", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := login(db, "liu@example.com", "blue-kettle-42", "p", ""); err != nil {
		t.Fatal(err)
	}
	if len(queued) != 2 {
		t.Fatalf("queued %d deliveries, want email and sms", len(queued))
	}
	for _, id := range queued {
		n, err := db.Notification(ctx, id)
		if err != nil || n.Status != okcare.NotificationPending || n.UserID != u.ID || n.Event != okcare.EventNewDeviceLogin {
			t.Fatalf("Notification(%s) = %+v, %v", id, n, err)
		}
	}
	if err := db.MarkSent(ctx, queued[0]); err != nil {
		t.Fatal(err)
	}
	db.MarkFailed(ctx, queued[1], "relay down", false)
	if n, _ := db.Notification(ctx, queued[1]); n.Status != okcare.NotificationPending || n.Attempts != 1 || n.LastError != "relay down" {
		t.Fatalf("after a failed attempt: %+v", n)
	}
	db.MarkFailed(ctx, queued[1], "relay down", true)
	sent, _ := db.Notification(ctx, queued[0])
	failed, _ := db.Notification(ctx, queued[1])
	if sent.Status != okcare.NotificationSent || sent.SentAt == nil || failed.Status != okcare.NotificationFailed || failed.Attempts != 2 {
		t.Fatalf("sent %+v failed %+v", sent, failed)
	}
	_, err = db.Notification(ctx, "ntf_none")
	wantCode(t, err, okcare.ENOTFOUND)

	// A failing queue rolls back the event it would report: no login, no alert.
	db.DeliveryJobs = func(context.Context, *sql.Tx, string) error { return errors.New("queue down") }
	before, _ := db.Outbox(ctx, 100)
	if _, _, err := login(db, "liu@example.com", "blue-kettle-42", "another-phone", ""); err == nil {
		t.Fatal("login succeeded although its alert could not be queued")
	}
	after, _ := db.Outbox(ctx, 100)
	sessions, _ := db.ListSessions(ctx, u.ID)
	if len(after) != len(before) || len(sessions) != 1 {
		t.Fatalf("a failed queue left %d notifications (was %d) and %d sessions", len(after), len(before), len(sessions))
	}
}
