package demo

import (
	"context"

	"github.com/okcare/okcare"
)

// DeskStore is what the support-desk demo writes through.
type DeskStore interface {
	Store
	okcare.TicketService
	okcare.ConsoleService
}

// Staff are the demo's agent and supervisor; they share the admin's
// password of the run.
var Staff = []okcare.Agent{
	{Email: "agent@okcare.example", Name: "Demo Agent", Role: okcare.RoleAgent},
	{Email: "supervisor@okcare.example", Name: "Demo Supervisor", Role: okcare.RoleSupervisor},
}

// macros are canned replies for the won't-open cases, in both languages.
var macros = []okcare.Macro{
	{Name: "请更新应用", Lang: okcare.LangZH, SetStatus: okcare.TicketPending, Tags: []string{"app_outdated"},
		Body: "您好，您的 OK 钱包版本过旧，已无法连接服务器。请在应用商店更新到最新版本后重新打开；更新不会影响您的资产。如仍有问题，直接回复本工单（#{number}）即可。"},
	{Name: "Please update the app", Lang: okcare.LangEN, SetStatus: okcare.TicketPending, Tags: []string{"app_outdated"},
		Body: "Hello, your version of OK Wallet is too old to reach our servers. Please update it from your app store and open it again; updating never affects your funds. If it still fails, reply to this ticket (#{number})."},
	{Name: "清除缓存步骤", Lang: okcare.LangZH, SetStatus: okcare.TicketPending,
		Body: "请按以下步骤操作：安卓：设置 → 应用 → OK 钱包 → 存储 → 清除缓存；iOS：设置 → 通用 → iPhone 存储空间 → OK 钱包 → 卸载应用，然后重新安装。重新安装不会丢失资金，但需要重新输入密码和双重认证验证码。"},
	{Name: "问题已解决", Lang: okcare.LangZH, SetStatus: okcare.TicketSolved,
		Body: "很高兴问题已经解决。建议开启双重认证、定期更换密码，并避免在公共 Wi-Fi 下操作钱包。稍后您会收到一份满意度调查，感谢您的反馈！"},
	{Name: "Solved", Lang: okcare.LangEN, SetStatus: okcare.TicketSolved,
		Body: "Glad it works again. We recommend turning on two-factor authentication, changing your password now and then, and avoiding public Wi-Fi for your wallet. You will get a short survey; thank you for your feedback!"},
}

// sampleTickets fill the queue so the console has something to show; the
// mailed ones come without a category, as mail does, and are classified.
var sampleTickets = []struct {
	user, contact, channel, lang, category, subject, text string
}{
	{"chen@demo.okwallet.example", "", okcare.ChannelWeb, okcare.LangZH, "account_frozen", "打开钱包提示账户已冻结", "今天早上打开钱包就提示账户已冻结，无法转账。我没有做过异常操作。"},
	{"dana@demo.okwallet.example", "", okcare.ChannelAPI, okcare.LangZH, "account_login_restricted", "登录受限，进不去", "输错几次密码后一直提示登录受限。"},
	{"", "li.wei@example.com", okcare.ChannelMail, okcare.LangZH, "", "打开就闪退", "华为手机，打开 OK 钱包就闪退，已经重启过手机。"},
	{"", "sam@example.com", okcare.ChannelMail, okcare.LangEN, "", "Stuck on the loading screen", "The app keeps spinning on the loading screen on hotel Wi-Fi."},
}

// LoadDesk adds the demo staff (with the run's admin password), macros and,
// on an empty desk, a few tickets. It is idempotent.
func LoadDesk(ctx context.Context, s DeskStore, creds *Credentials) error {
	for _, a := range Staff {
		a := a
		err := s.CreateAgent(ctx, &a, creds.AdminPassword)
		if okcare.ErrorCode(err) == okcare.ECONFLICT {
			err = s.SetAgentPassword(ctx, a.Email, creds.AdminPassword)
		}
		if err != nil {
			return err
		}
		creds.Staff = append(creds.Staff, a.Email)
	}
	for _, m := range macros {
		m := m
		m.CreatedBy = "system:demo"
		if err := s.CreateMacro(ctx, &m); err != nil && okcare.ErrorCode(err) != okcare.ECONFLICT {
			return err
		}
	}
	if _, err := s.FindTicketByNumber(ctx, 100001); err == nil {
		return nil // the desk already has tickets
	}
	for _, st := range sampleTickets {
		req := okcare.NewTicket{ContactEmail: st.contact, Channel: st.channel, Lang: st.lang, Category: st.category, Subject: st.subject,
			Intake: okcare.Intake{Description: st.text}}
		if st.user != "" {
			u, err := s.FindUserByLogin(ctx, st.user)
			if err != nil {
				return err
			}
			req.UserID = u.ID
		}
		if _, err := s.CreateTicket(ctx, req); err != nil {
			return err
		}
	}
	return nil
}
