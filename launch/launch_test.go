package launch_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/launch"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	policy := &okcare.ReleasePolicy{Platform: "android", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "8", UpdateURL: "https://example.com/app",
		KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "crashes on launch"}}}
	active := &okcare.Incident{ID: "inc_1", Status: okcare.IncidentInvestigating}
	resolved := &okcare.Incident{ID: "inc_0", Status: okcare.IncidentResolved}
	until := now.Add(time.Hour)
	for _, tt := range []struct {
		name       string
		app, os    string
		policy     *okcare.ReleasePolicy
		user       *okcare.User
		update     string
		blockers   []string
		knownBad   bool
		accountNil bool
		state      okcare.AccountState
		canMove    bool
	}{
		{name: "up to date", app: "5.3.0", os: "14", policy: policy, update: "none", blockers: []string{}, accountNil: true},
		{name: "newer than latest", app: "5.4.0-beta.1", os: "14", policy: policy, update: "none", blockers: []string{}, accountNil: true},
		{name: "recommended", app: "5.2.0", os: "14", policy: policy, update: "recommended", blockers: []string{}, accountNil: true},
		{name: "required", app: "4.9.9", os: "14", policy: policy, update: "required", blockers: []string{"update_required"}, accountNil: true},
		{name: "short form equals min", app: "5", os: "14", policy: policy, update: "recommended", blockers: []string{}, accountNil: true},
		{name: "known bad", app: "5.1.2", os: "14", policy: policy, update: "recommended", blockers: []string{}, knownBad: true, accountNil: true},
		{name: "old os", app: "5.3.0", os: "7.1", policy: policy, update: "none", blockers: []string{"os_unsupported"}, accountNil: true},
		{name: "both", app: "4.0", os: "7", policy: policy, update: "required", blockers: []string{"update_required", "os_unsupported"}, accountNil: true},
		{name: "no policy", app: "1.0.0", os: "1", update: "none", blockers: []string{}, accountNil: true},
		{name: "frozen", app: "5.3.0", os: "14", policy: policy, user: &okcare.User{State: okcare.AccountFrozen, StateReason: "suspicious_activity"},
			update: "none", blockers: []string{}, state: okcare.AccountFrozen},
		{name: "restricted", app: "5.3.0", os: "14", policy: policy, user: &okcare.User{State: okcare.AccountLoginRestricted, StateReason: "too_many_failed_logins", RestrictedUntil: &until},
			update: "none", blockers: []string{}, state: okcare.AccountLoginRestricted, canMove: true},
		{name: "restriction expired", app: "5.3.0", os: "14", policy: policy, user: &okcare.User{State: okcare.AccountLoginRestricted, RestrictedUntil: &now},
			update: "none", blockers: []string{}, state: okcare.AccountActive, canMove: true},
		{name: "closed", app: "5.3.0", os: "14", policy: policy, user: &okcare.User{State: okcare.AccountClosed},
			update: "none", blockers: []string{"account_closed"}, state: okcare.AccountClosed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := launch.Decide(launch.Input{Platform: "android", AppVersion: tt.app, OSVersion: tt.os, Policy: tt.policy,
				Incidents: []*okcare.Incident{active, resolved}, User: tt.user, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Update.Status != tt.update || !reflect.DeepEqual(r.Blockers, tt.blockers) || r.CanOpen != (len(tt.blockers) == 0) {
				t.Fatalf("update %s blockers %v can_open %v", r.Update.Status, r.Blockers, r.CanOpen)
			}
			if (r.KnownBad != nil) != tt.knownBad {
				t.Fatalf("known_bad = %v", r.KnownBad)
			}
			if len(r.Incidents) != 1 || r.Incidents[0].ID != "inc_1" {
				t.Fatalf("incidents = %v", r.Incidents)
			}
			if (r.Account == nil) != tt.accountNil {
				t.Fatalf("account = %+v", r.Account)
			}
			if r.Account != nil && (r.Account.State != tt.state || r.Account.CanMoveMoney != tt.canMove || len(r.Account.Actions) == 0) {
				t.Fatalf("account = %+v", r.Account)
			}
		})
	}
	for _, bad := range [][3]string{{"windows", "5.0.0", "14"}, {"android", "5.x", "14"}, {"ios", "5.0.0", ""}} {
		if _, err := launch.Decide(launch.Input{Platform: bad[0], AppVersion: bad[1], OSVersion: bad[2], Now: now}); err == nil {
			t.Errorf("Decide(%v) accepted", bad)
		}
	}
}
