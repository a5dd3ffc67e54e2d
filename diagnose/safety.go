package diagnose

// Causes that are not about the app at all but about the customer's
// safety: someone posing as support, a lost or stolen phone, money gone.
// They are told before any launch cause (only the account's own state,
// frozen or restricted, goes before them), since the steps protect funds,
// and they are always offered a ticket.
const (
	ScamContact  = "scam_contact"
	DeviceLost   = "device_lost"
	FundsMissing = "funds_missing"
)

// CodeNotReceived is a verification code (or reset link) that does not
// arrive: not a safety cause, but told apart from one, since the words
// ("验证码") are the same as in a scam story.
const CodeNotReceived = "code_not_received"

// safetyCauses are the causes above.
var safetyCauses = map[string]bool{ScamContact: true, DeviceLost: true, FundsMissing: true}

// safetyFirst is the confidence from which a safety cause goes first.
const safetyFirst = 0.4

// Help-center pages the safety steps point to.
const (
	linkFreeze  = "/support/freeze"
	linkVerify  = "/verify"
	linkContact = "/support/contact"
	linkForgot  = "/support/forgot"
)

// linkedStep is a step with the help-center page that does it (none:
// done in the app or elsewhere).
type linkedStep struct {
	stepText
	link string
}

// linkedSteps are the steps, on every platform, of the causes whose steps
// lead to help-center pages.
var linkedSteps = map[string][]linkedStep{
	ScamContact: {
		{stepText{"立即停止和对方联系。OK 钱包客服绝不会索要助记词、私钥、密码或验证码，也不会让您把资金转到“安全账户”。", "Stop talking to them now. OK Wallet support never asks for your recovery phrase, private key, password or codes, and never asks you to move money to a \"safe account\".", "", ""}, ""},
		{stepText{"如果已经告诉对方助记词、验证码或密码，马上冻结账户（不需要登录）。", "If you already gave them a recovery phrase, code or password, freeze your account now (no sign-in needed).", "冻结后任何人都无法登录或转出资金，资产不会丢失。", "Once frozen nobody can sign in or move money; no funds are lost."}, linkFreeze},
		{stepText{"在「核实官方渠道」页面查一查对方的电话、网址或聊天账号。", "Check their phone number, website or chat account on the official-channel page.", "", ""}, linkVerify},
		{stepText{"通过帮助中心联系真正的客服，告诉我们发生了什么。", "Reach the real support through the help center and tell us what happened.", "", ""}, linkContact},
	},
	DeviceLost: {
		{stepText{"马上冻结账户：不需要那部手机，用注册邮箱或手机号收验证码即可，所有设备会立即退出登录。", "Freeze your account now: you need neither that phone nor a sign-in, just a code to your registered email or phone, and every device is signed out at once.", "冻结后任何人都无法登录或转出资金，资产不会丢失。", "Once frozen nobody can sign in or move money; no funds are lost."}, linkFreeze},
		{stepText{"找运营商补办手机卡，防止别人用您的号码收验证码；之后重置 OK 钱包密码。", "Have your carrier replace the SIM card so nobody receives codes on your number; then reset your OK Wallet password.", "", ""}, linkForgot},
		{stepText{"联系客服解冻：客服核实身份后，由两位工作人员批准。", "Contact support to unfreeze: after verifying you, two staff members approve.", "", ""}, linkContact},
	},
	FundsMissing: {
		{stepText{"先查看交易记录：转账可能仍在处理中，或者转给了别的收款人。", "Check your transaction history first: a transfer may still be on its way, or have gone to another recipient.", "", ""}, ""},
		{stepText{"如果有不是您本人操作的交易，马上冻结账户。", "If there is a transaction you did not make, freeze your account now.", "冻结后任何人都无法登录或转出资金，资产不会丢失。", "Once frozen nobody can sign in or move money; no funds are lost."}, linkFreeze},
		{stepText{"联系客服，附上交易编号、金额和时间，客服可以按交易编号查到这笔交易。", "Contact support with the transaction number, amount and time: support can look the transaction up by its number.", "", ""}, linkContact},
		{stepText{"有人以客服名义让您转账或“解冻资金”？先核实对方身份。", "Someone claiming to be support asks you to send money or \"release funds\"? Check who they are first.", "", ""}, linkVerify},
	},
	CodeNotReceived: {
		{stepText{"确认填写的是注册时用的邮箱或手机号；邮件请查看垃圾邮件文件夹。", "Check that you entered the email or phone number you registered with; for mail, look in the spam folder.", "", ""}, ""},
		{stepText{"短信收不到时：确认手机有信号、没有拦截陌生短信，等一分钟再重发。同一个联系方式一小时内最多发送 3 次。", "For SMS: check the phone has signal and does not block unknown senders, and wait a minute before asking again. One contact gets at most 3 codes an hour.", "", ""}, ""},
		{stepText{"双重认证的 6 位码是身份验证器应用生成的，不是短信；换了手机请用恢复码登录。", "The 6-digit two-factor code comes from your authenticator app, not by SMS; on a new phone, sign in with a recovery code.", "", ""}, ""},
		{stepText{"验证码只在 OK 钱包的页面和应用里输入，不要告诉任何人，包括自称客服的人。", "Type a code only into OK Wallet's own pages and app, and tell it to nobody, not even someone who says they are support.", "", ""}, linkVerify},
		{stepText{"仍然收不到，请联系客服核实身份。", "Still nothing? Contact support to verify your identity.", "", ""}, linkContact},
	},
}

func init() {
	titles[ScamContact] = [2]string{"有人冒充客服或官方，可能是诈骗", "Someone posing as support or OK Wallet: likely a scam"}
	titles[DeviceLost] = [2]string{"手机丢失或被盗", "Lost or stolen phone"}
	titles[FundsMissing] = [2]string{"资金不见了或转账没有到账", "Money missing, or a transfer has not arrived"}
	articles[ScamContact] = []string{"scams-and-fake-support", "verification-code-not-received", "contact-support"}
	articles[DeviceLost] = []string{"lost-or-stolen-phone", "reset-password", "account-frozen"}
	articles[FundsMissing] = []string{"money-not-arrived", "scams-and-fake-support", "contact-support"}
	titles[CodeNotReceived] = [2]string{"收不到验证码", "A verification code does not arrive"}
	articles[CodeNotReceived] = []string{"verification-code-not-received", "enable-2fa", "contact-support"}
}

// StepLinks lists the help-center pages that steps lead to.
func StepLinks() []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range linkedSteps {
		for _, s := range list {
			if s.link != "" && !seen[s.link] {
				seen[s.link] = true
				out = append(out, s.link)
			}
		}
	}
	return out
}

// linkSteps returns a cause's linked steps in the language.
func linkSteps(code string, zh bool) []Step {
	out := make([]Step, 0, len(linkedSteps[code]))
	for _, s := range linkedSteps[code] {
		st := Step{Text: s.en, Risk: s.riskEn, Link: s.link}
		if zh {
			st.Text, st.Risk = s.zh, s.riskZh
		}
		out = append(out, st)
	}
	return out
}

// rank orders causes for the answer: the account's own state when it
// blocks, then a safety cause the text speaks for, then other blockers,
// then confidence.
func rank(c Cause) int {
	switch {
	case c.Blocking && (c.Code == AccountFrozen || c.Code == AccountLoginRestricted):
		return 0
	case safetyCauses[c.Code] && c.Confidence >= safetyFirst:
		return 1
	case c.Blocking:
		return 2
	}
	return 3
}
