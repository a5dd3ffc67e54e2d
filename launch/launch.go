// Package launch decides what the app is told when it opens: whether it must
// or should update, whether its version is known to be broken, whether the
// OS is still supported, which incidents are under way, and, for a signed-in
// user, the account's state and what the user can do about it. It is pure:
// the HTTP handler gathers the inputs and renders the result.
package launch

import (
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/version"
)

// Update statuses.
const (
	UpdateNone        = "none"
	UpdateRecommended = "recommended"
	UpdateRequired    = "required"
)

// Blockers: reasons the app cannot be used at all until the user acts.
const (
	BlockUpdateRequired = "update_required"
	BlockOSUnsupported  = "os_unsupported"
	BlockAccountClosed  = "account_closed"
)

// Input is everything the decision depends on.
type Input struct {
	Platform   string
	AppVersion string
	OSVersion  string
	// Policy is nil when no policy is configured for the platform.
	Policy    *okcare.ReleasePolicy
	Incidents []*okcare.Incident
	// User is nil without a valid bearer token.
	User *okcare.User
	Now  time.Time
}

// Update tells the app about newer versions.
type Update struct {
	Status         string `json:"status"`
	CurrentVersion string `json:"current_version"`
	LatestVersion  string `json:"latest_version,omitempty"`
	MinVersion     string `json:"min_version,omitempty"`
	UpdateURL      string `json:"update_url,omitempty"`
}

// OS tells the app whether the device's OS is supported.
type OS struct {
	Supported    bool   `json:"supported"`
	Version      string `json:"version"`
	MinOSVersion string `json:"min_os_version,omitempty"`
}

// Account is the signed-in user's account state and the actions open to them.
type Account struct {
	State           okcare.AccountState `json:"state"`
	Reason          string              `json:"reason,omitempty"`
	RestrictedUntil *time.Time          `json:"restricted_until,omitempty"`
	CanMoveMoney    bool                `json:"can_move_money"`
	Actions         []string            `json:"actions"`
}

// Result is the bootstrap answer.
type Result struct {
	ServerTime time.Time               `json:"server_time"`
	Platform   string                  `json:"platform"`
	CanOpen    bool                    `json:"can_open"`
	Blockers   []string                `json:"blockers"`
	Update     Update                  `json:"update"`
	KnownBad   *okcare.KnownBadVersion `json:"known_bad"`
	OS         OS                      `json:"os"`
	Incidents  []*okcare.Incident      `json:"incidents"`
	Account    *Account                `json:"account"`
}

// Decide computes the answer. It returns EINVALID for an unknown platform and
// EINVALIDVERSION for versions that do not parse.
func Decide(in Input) (*Result, error) {
	if !okcare.ValidPlatform(in.Platform) {
		return nil, okcare.Errorf(okcare.EINVALID, "platform must be android or ios.")
	}
	app, err := version.Parse(in.AppVersion)
	if err != nil {
		return nil, okcare.Errorf(okcare.EINVALIDVERSION, "app_version %q is not a version.", in.AppVersion)
	}
	osv, err := version.Parse(in.OSVersion)
	if err != nil {
		return nil, okcare.Errorf(okcare.EINVALIDVERSION, "os_version %q is not a version.", in.OSVersion)
	}
	r := &Result{
		ServerTime: in.Now.UTC(),
		Platform:   in.Platform,
		Blockers:   []string{},
		Update:     Update{Status: UpdateNone, CurrentVersion: in.AppVersion},
		OS:         OS{Supported: true, Version: in.OSVersion},
		Incidents:  []*okcare.Incident{},
	}
	if p := in.Policy; p != nil {
		r.Update.LatestVersion, r.Update.MinVersion, r.Update.UpdateURL = p.LatestVersion, p.MinVersion, p.UpdateURL
		r.OS.MinOSVersion = p.MinOSVersion
		if below(app, p.MinVersion) {
			r.Update.Status = UpdateRequired
			r.Blockers = append(r.Blockers, BlockUpdateRequired)
		} else if below(app, p.LatestVersion) {
			r.Update.Status = UpdateRecommended
		}
		for _, kb := range p.KnownBad {
			if v, err := version.Parse(kb.Version); err == nil && version.Compare(v, app) == 0 {
				kb := kb
				r.KnownBad = &kb
				if r.Update.Status == UpdateNone && below(app, p.LatestVersion) {
					r.Update.Status = UpdateRecommended
				}
			}
		}
		if below(osv, p.MinOSVersion) {
			r.OS.Supported = false
			r.Blockers = append(r.Blockers, BlockOSUnsupported)
		}
	}
	for _, inc := range in.Incidents {
		if inc.Status != okcare.IncidentResolved {
			r.Incidents = append(r.Incidents, inc)
		}
	}
	if in.User != nil {
		r.Account = account(in.User, in.Now)
		if r.Account.State == okcare.AccountClosed {
			r.Blockers = append(r.Blockers, BlockAccountClosed)
		}
	}
	r.CanOpen = len(r.Blockers) == 0
	return r, nil
}

// below reports whether v is lower than the policy version text; a policy
// version that does not parse (validated on write, so never) counts as no limit.
func below(v version.Version, limit string) bool {
	l, err := version.Parse(limit)
	return err == nil && version.Compare(v, l) < 0
}

// account describes the user's state and the actions that help.
func account(u *okcare.User, now time.Time) *Account {
	a := &Account{State: u.EffectiveState(now)}
	if a.State != okcare.AccountActive {
		a.Reason = u.StateReason
	}
	switch a.State {
	case okcare.AccountActive:
		a.CanMoveMoney = true
		a.Actions = []string{"transfer", "pay", "view_balances"}
	case okcare.AccountFrozen:
		a.Actions = []string{"view_balances", "contact_support"}
	case okcare.AccountLoginRestricted:
		a.RestrictedUntil = u.RestrictedUntil
		a.CanMoveMoney = true // this device is signed in; the restriction stops new sign-ins
		a.Actions = []string{"view_balances", "change_password", "contact_support"}
	case okcare.AccountClosed:
		a.Actions = []string{"contact_support"}
	}
	return a
}
