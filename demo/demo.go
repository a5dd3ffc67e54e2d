// Package demo loads the demo data of `okcare serve --demo`: assets, users
// with balances (one frozen, one login-restricted), a merchant, release
// policies, a resolved incident and an admin agent. Loading is idempotent:
// what exists is left alone.
package demo

import (
	"context"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
)

// Store is what the demo loader writes through.
type Store interface {
	okcare.UserService
	okcare.LedgerService
	okcare.ReleaseService
	okcare.AgentService
}

// UserPassword is every demo user's password.
const UserPassword = "demo-wallet-2026"

// AdminEmail is the demo admin's login.
const AdminEmail = "admin@okcare.example"

// Credentials are printed when the demo starts.
type Credentials struct {
	AdminEmail    string
	AdminPassword string
	Users         []string
	UserPassword  string
	// Staff are the other staff accounts; they share AdminPassword.
	Staff []string
}

// Assets are the demo assets.
var Assets = []*okcare.Asset{
	{Code: "CNY", Name: "人民币 Renminbi", Decimals: 2},
	{Code: "USDT", Name: "Tether USD", Decimals: 6},
	{Code: "BTC", Name: "Bitcoin", Decimals: 8},
	{Code: "ETH", Name: "Ether", Decimals: 18},
}

type demoUser struct {
	email, phone string
	state        okcare.AccountState
	reason       string
	deposits     [][2]string
}

var users = []demoUser{
	{"alice@demo.okwallet.example", "+8613800000001", okcare.AccountActive, "", [][2]string{{"CNY", "8888.88"}, {"USDT", "1200.5"}, {"BTC", "0.0315"}, {"ETH", "2.75"}}},
	{"bob@demo.okwallet.example", "+8613800000002", okcare.AccountActive, "", [][2]string{{"CNY", "520.00"}, {"USDT", "88"}}},
	{"chen@demo.okwallet.example", "+8613800000003", okcare.AccountFrozen, "suspicious_activity", [][2]string{{"CNY", "1314.00"}, {"BTC", "0.5"}}},
	{"dana@demo.okwallet.example", "+8613800000004", okcare.AccountLoginRestricted, "security_review", [][2]string{{"CNY", "66.60"}}},
}

// Load writes the demo data and (re)sets the admin password to a fresh
// random one, returned so that the caller can print it: the password is
// never stored in clear anywhere.
func Load(ctx context.Context, s Store) (*Credentials, error) {
	for _, a := range Assets {
		if err := s.CreateAsset(ctx, a); err != nil && okcare.ErrorCode(err) != okcare.ECONFLICT {
			return nil, err
		}
	}
	if err := s.CreateMerchant(ctx, &okcare.Merchant{ID: "mch_coffee", Name: "街角咖啡 Corner Coffee"}); err != nil && okcare.ErrorCode(err) != okcare.ECONFLICT {
		return nil, err
	}
	creds := &Credentials{AdminEmail: AdminEmail, UserPassword: UserPassword}
	for _, du := range users {
		creds.Users = append(creds.Users, du.email)
		if err := loadUser(ctx, s, du); err != nil {
			return nil, err
		}
	}
	if err := loadReleases(ctx, s); err != nil {
		return nil, err
	}
	if err := loadIncident(ctx, s); err != nil {
		return nil, err
	}
	creds.AdminPassword = token.New("demo-")
	err := s.CreateAgent(ctx, &okcare.Agent{Email: AdminEmail, Name: "Demo Admin", Role: okcare.RoleAdmin}, creds.AdminPassword)
	if okcare.ErrorCode(err) == okcare.ECONFLICT {
		err = s.SetAgentPassword(ctx, AdminEmail, creds.AdminPassword)
	}
	return creds, err
}

func loadUser(ctx context.Context, s Store, du demoUser) error {
	if _, err := s.FindUserByLogin(ctx, du.email); err == nil {
		return nil // already loaded
	}
	u, err := s.Register(ctx, okcare.RegisterRequest{Email: du.email, Phone: du.phone, Password: UserPassword})
	if err != nil {
		return err
	}
	for _, d := range du.deposits {
		if err := deposit(ctx, s, u.ID, du.email, d[0], d[1]); err != nil {
			return err
		}
	}
	if du.state != okcare.AccountActive {
		_, err = s.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: du.state, Reason: du.reason, Actor: "system:demo"})
	}
	return err
}

func loadReleases(ctx context.Context, s Store) error {
	policies := []*okcare.ReleasePolicy{
		{Platform: okcare.PlatformAndroid, MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "8", UpdateURL: "https://okwallet.example/download/android",
			KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "该版本在部分安卓 14 设备上启动闪退，请更新。", NoteEN: "Crashes on launch on some Android 14 devices; please update."}}, UpdatedBy: "system:demo"},
		{Platform: okcare.PlatformIOS, MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "15", UpdateURL: "https://okwallet.example/download/ios", UpdatedBy: "system:demo"},
	}
	for _, p := range policies {
		if _, err := s.ReleasePolicy(ctx, p.Platform); err == nil {
			continue
		}
		if err := s.SetReleasePolicy(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func loadIncident(ctx context.Context, s Store) error {
	all, err := s.Incidents(ctx, false)
	if err != nil || len(all) > 0 {
		return err
	}
	inc := &okcare.Incident{By: "system:demo", Title: "部分用户无法连接服务器", Message: "我们正在调查部分地区的连接问题。",
		TitleEN: "Some users could not connect", MessageEN: "We are investigating connection problems in some regions.", Severity: okcare.SeverityMajor}
	if err := s.CreateIncident(ctx, inc); err != nil {
		return err
	}
	status, msg, msgEN := okcare.IncidentResolved, "问题已修复，服务已恢复正常。", "Fixed; service is back to normal."
	_, err = s.UpdateIncident(ctx, inc.ID, okcare.IncidentPatch{By: "system:demo", Status: &status, Message: &msg, MessageEN: &msgEN})
	return err
}
