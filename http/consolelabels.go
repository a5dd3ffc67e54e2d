package http

import (
	"fmt"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// consoleLabels put the codes the console shows into words: account states
// (acct_), state reasons (rs_), outbox events (ev_), notification channels
// (nc_) and statuses (ns_), movement kinds (tx_), intake symptoms (sy_) and
// tried steps (tried_), diagnosis outcomes (oc_), account actions as nouns
// (act_) and as approval requests (ap_), audit actions (au_), languages (lang_), platforms (plat_), staff roles (role_), the
// words for actors that are not staff (actor_), mail authentication
// results (auth_), and the notes the store and the mail receiver write
// (note_, with {argument} places; fmt_ are pieces of them). They join
// consoleText at start.
var consoleLabels = map[string]map[string]string{
	"zh-CN": {
		"acct_active": "正常", "acct_frozen": "已冻结", "acct_login_restricted": "登录受限", "acct_closed": "已注销",
		"rs_too_many_failed_logins": "多次登录失败", "rs_identity_verified": "已验证身份", "rs_identity_verified_four_eyes": "已验证身份并经第二人批准",
		"rs_password_reset": "用户重置了密码", "rs_suspicious_activity": "可疑活动", "rs_risk_review": "风控审核", "rs_security_review": "安全审核", "rs_user_request": "用户申请",
		"ev_new_device_login": "新设备登录", "ev_password_changed": "密码已修改", "ev_totp_enabled": "开启双重认证", "ev_totp_disabled": "关闭双重认证",
		"ev_account_frozen": "账户被冻结", "ev_account_unfrozen": "账户已解冻", "ev_login_restricted": "登录受限", "ev_login_restriction_lifted": "登录限制已解除",
		"ev_identity_verification_code": "身份验证码", "ev_password_reset_link": "重置密码链接", "ev_ticket_ack": "工单受理通知",
		"nc_email": "邮件", "nc_sms": "短信", "ns_pending": "待发送", "ns_sent": "已发送", "ns_failed": "发送失败",
		"tx_deposit": "充值", "tx_transfer": "转账", "tx_payment": "付款",
		"sy_crash": "一打开就闪退", "sy_stuck_loading": "一直停在加载页", "sy_error_message": "出现错误提示", "sy_other": "其他情况",
		"tried_network": "检查网络", "tried_update": "更新应用", "tried_cache": "清除缓存", "tried_reinstall": "重新安装", "tried_restart": "重启手机",
		"oc_solved": "用户反馈已解决", "oc_still_broken": "用户反馈仍未解决",
		"act_lift_restriction": "解除登录限制", "act_revoke_sessions": "注销所有会话", "act_send_password_reset": "发送重置密码链接", "act_unfreeze": "解冻账户", "ap_unfreeze": "解冻账户",
		"lang_zh-CN": "中文", "lang_en": "英文", "plat_android": "Android", "plat_ios": "iOS",
		"role_agent": "客服", "role_supervisor": "主管", "role_admin": "管理员",
		"actor_system": "系统", "actor_customer": "客户", "actor_staff": "客服",
		"au_account.password_reset_link": "发送重置密码链接", "au_account.revoke_sessions": "注销所有会话", "au_account.state_change": "更改账户状态", "au_account.unfreeze_requested": "申请解冻",
		"au_article.publish": "发布帮助文章", "au_identity.code_sent": "发送身份验证码", "au_identity.verified": "身份验证通过", "au_incident.create": "创建故障", "au_incident.update": "更新故障",
		"au_release.set_policy": "设置版本策略", "au_ticket.incident": "关联故障", "au_ticket.linked": "工单关联钱包账户", "au_ticket.reassign": "转派工单", "au_wallet.read": "查看用户钱包", "au_staff.totp_enabled": "开启双重认证",
		"note_followup_scheduled":      "{by} 安排了回访，发送时间：{due}。",
		"note_followup_canceled":       "{by} 取消了一次回访。",
		"note_status_set":              "{by} 将状态改为「{status}」。",
		"note_priority_set":            "{by} 将优先级改为「{priority}」。",
		"note_auto_solved":             "提醒后用户仍未回复，工单已自动解决。",
		"note_reminder_sent":           "已提醒用户：工单在等待用户回复。",
		"note_macro_applied":           "{by} 使用了快捷回复「{macro}」。",
		"note_identity_code_sent":      "已开始身份验证：验证码已通过{channel}发送至 {to}（账户的注册联系方式）。",
		"note_identity_verified":       "身份已验证：用户读回了发送至 {to} 的验证码。",
		"note_unfreeze_requested":      "{by} 申请解冻账户，等待第二位工作人员批准。",
		"note_unfreeze_approved":       "{by} 批准了解冻（申请人：{requested_by}），账户已恢复正常。",
		"note_action_taken":            "身份验证后，{by} 执行了操作：{action}。",
		"note_assigned":                "{by} 将工单分配给 {assignee}。",
		"note_sla_first_breached":      "已超时：首次回复时限为 {due}。",
		"note_sla_first_warning":       "即将超时：首次回复时限为 {due}。",
		"note_sla_resolution_breached": "已超时：解决时限为 {due}。",
		"note_sla_resolution_warning":  "即将超时：解决时限为 {due}。",
		"note_call_logged":             "{by} 记录了通话：{outcome}",
		"note_mail_auth":               "发件人验证：DKIM {dkim}{dkim_domain} · SPF 未检查 · DMARC {dmarc}{dmarc_detail}",
		"note_mail_other_sender":       "这封邮件发自 {from}，不是工单的联系地址；它带有工单的回复令牌。",
		"fmt_paren":                    "（{v}）", "fmt_policy": "，策略 {v}", "auth_pass": "通过", "auth_fail": "未通过", "auth_temperror": "暂时无法验证", "auth_none": "无",
	},
	"en": {
		"acct_active": "Active", "acct_frozen": "Frozen", "acct_login_restricted": "Login restricted", "acct_closed": "Closed",
		"rs_too_many_failed_logins": "Too many failed logins", "rs_identity_verified": "Identity verified", "rs_identity_verified_four_eyes": "Identity verified, second approver",
		"rs_password_reset": "Customer reset the password", "rs_suspicious_activity": "Suspicious activity", "rs_risk_review": "Risk review", "rs_security_review": "Security review", "rs_user_request": "Customer's request",
		"ev_new_device_login": "Login from a new device", "ev_password_changed": "Password changed", "ev_totp_enabled": "2FA turned on", "ev_totp_disabled": "2FA turned off",
		"ev_account_frozen": "Account frozen", "ev_account_unfrozen": "Account unfrozen", "ev_login_restricted": "Login restricted", "ev_login_restriction_lifted": "Login restriction lifted",
		"ev_identity_verification_code": "Identity verification code", "ev_password_reset_link": "Password-reset link", "ev_ticket_ack": "Ticket acknowledgement",
		"nc_email": "email", "nc_sms": "SMS", "ns_pending": "pending", "ns_sent": "sent", "ns_failed": "failed",
		"tx_deposit": "Deposit", "tx_transfer": "Transfer", "tx_payment": "Payment",
		"sy_crash": "Crashes on opening", "sy_stuck_loading": "Stuck on the loading screen", "sy_error_message": "Shows an error message", "sy_other": "Something else",
		"tried_network": "Checked the network", "tried_update": "Updated the app", "tried_cache": "Cleared the cache", "tried_reinstall": "Reinstalled", "tried_restart": "Restarted the phone",
		"oc_solved": "Customer says solved", "oc_still_broken": "Customer says still broken",
		"act_lift_restriction": "lift the login restriction", "act_revoke_sessions": "sign out all sessions", "act_send_password_reset": "send a password-reset link", "act_unfreeze": "unfreeze the account", "ap_unfreeze": "Unfreeze the account",
		"lang_zh-CN": "Chinese", "lang_en": "English", "plat_android": "Android", "plat_ios": "iOS",
		"role_agent": "agent", "role_supervisor": "supervisor", "role_admin": "admin",
		"actor_system": "System", "actor_customer": "Customer", "actor_staff": "Staff member",
		"au_account.password_reset_link": "Password-reset link sent", "au_account.revoke_sessions": "All sessions signed out", "au_account.state_change": "Account state changed", "au_account.unfreeze_requested": "Unfreeze requested",
		"au_article.publish": "Help article published", "au_identity.code_sent": "Identity code sent", "au_identity.verified": "Identity verified", "au_incident.create": "Incident created", "au_incident.update": "Incident updated",
		"au_release.set_policy": "Release policy set", "au_ticket.incident": "Ticket linked to an incident", "au_ticket.linked": "Ticket linked to a wallet account", "au_ticket.reassign": "Ticket reassigned", "au_wallet.read": "Customer wallet viewed", "au_staff.totp_enabled": "Two-factor turned on",
		"note_followup_scheduled":      "Follow-up scheduled for {due} by {by}.",
		"note_followup_canceled":       "A follow-up was canceled by {by}.",
		"note_status_set":              "Status set to {status} by {by}.",
		"note_priority_set":            "Priority set to {priority} by {by}.",
		"note_auto_solved":             "Solved automatically: no answer from the customer after the reminder.",
		"note_reminder_sent":           "Reminder sent: pending on the customer.",
		"note_macro_applied":           "Macro “{macro}” applied by {by}.",
		"note_identity_code_sent":      "Identity check started: code sent by {channel} to {to} (the account's registered contact).",
		"note_identity_verified":       "Identity verified: the customer read back the code sent to {to}.",
		"note_unfreeze_requested":      "Unfreeze requested by {by}; waiting for a second staff member's approval.",
		"note_unfreeze_approved":       "Unfreeze approved by {by} (requested by {requested_by}); the account is active.",
		"note_action_taken":            "After identity verification, {by} chose to {action}.",
		"note_assigned":                "Assigned to {assignee} by {by}.",
		"note_sla_first_breached":      "SLA breached: the first response was due {due}.",
		"note_sla_first_warning":       "SLA warning: the first response is due {due}.",
		"note_sla_resolution_breached": "SLA breached: resolution was due {due}.",
		"note_sla_resolution_warning":  "SLA warning: resolution is due {due}.",
		"note_call_logged":             "Call by {by}: {outcome}",
		"note_mail_auth":               "DKIM: {dkim}{dkim_domain} · SPF: not checked · DMARC: {dmarc}{dmarc_detail}",
		"note_mail_other_sender":       "Sent from {from}, not the ticket's address; it carried the ticket's reply token.",
		"fmt_paren":                    " ({v})", "fmt_policy": ", p={v}", "auth_pass": "pass", "auth_fail": "fail", "auth_temperror": "temporary error", "auth_none": "none",
	},
}

func init() {
	for lang, labels := range consoleLabels {
		for k, v := range labels {
			if _, dup := consoleText[lang][k]; dup {
				panic("console text " + lang + " " + k + " defined twice")
			}
			consoleText[lang][k] = v
		}
	}
}

// staffNames maps agent ids to how the console names them: the display
// name if they have one, else their email.
func staffNames(team []*okcare.AgentStatus) map[string]string {
	names := make(map[string]string, len(team))
	for _, m := range team {
		names[m.ID] = m.Email
		if m.Name != "" {
			names[m.ID] = m.Name
		}
	}
	return names
}

// actorName puts an actor in words: staff by name, anyone else as the
// customer or the system. An agent id no longer on the team keeps its id,
// without the "agent:" prefix.
func actorName(c, names map[string]string, actor string) string {
	switch {
	case actor == "system" || strings.HasPrefix(actor, "system:"):
		return c["actor_system"]
	case actor == "contact" || strings.HasPrefix(actor, "user:"):
		return c["actor_customer"]
	case strings.HasPrefix(actor, "agent:"):
		id := strings.TrimPrefix(actor, "agent:")
		if n, ok := names[id]; ok {
			return n
		}
		return c["actor_staff"] + " " + id
	}
	return actor
}

// noteArgLabels are the note arguments that hold a code, with the prefix
// of its label.
var noteArgLabels = map[string]string{"status": "st_", "priority": "pr_", "channel": "nc_", "action": "act_", "outcome": "call_"}

// noteText is what a message says in the console's language: a note the
// store wrote, from its key and arguments, with actors named and codes in
// words; any other message (or a note this version has no words for) as
// its body.
func noteText(c, names map[string]string, m *okcare.TicketMessage) string {
	if m.Note == nil {
		return m.Body
	}
	tmpl, ok := c["note_"+m.Note.Key]
	if !ok {
		return m.Body
	}
	args := m.Note.Args
	if m.Note.Key == "mail_auth" { // smtp.NoteMailAuth
		args = mailAuthArgs(c, args)
	}
	pairs := make([]string, 0, 2*len(args))
	for k, v := range args {
		switch k {
		case "by", "requested_by", "assignee":
			v = actorName(c, names, v)
		case "kinds": // sqldb.NoteSecretMasked
			v = secretKindsText(c, v)
		case "due":
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = t.In(chinaCalendar.Location).Format("2006-01-02 15:04 (UTC+8)")
			}
		default:
			if prefix, ok := noteArgLabels[k]; ok {
				v = labelOf(c, prefix, v)
			}
		}
		pairs = append(pairs, "{"+k+"}", v)
	}
	s := strings.NewReplacer(pairs...).Replace(tmpl)
	if notes := m.Note.Args["notes"]; notes != "" {
		s += "\n" + notes // the agent's own words, as written
	}
	return s
}

// mailAuthArgs puts a mail authentication note's results in words, with
// the signing domain and the DMARC domain and policy when there are any,
// as the English body has them.
func mailAuthArgs(c, in map[string]string) map[string]string {
	out := map[string]string{"dkim": labelOf(c, "auth_", in["dkim"]), "dmarc": labelOf(c, "auth_", in["dmarc"]), "dkim_domain": "", "dmarc_detail": ""}
	if d := in["dkim_domain"]; d != "" {
		out["dkim_domain"] = strings.ReplaceAll(c["fmt_paren"], "{v}", d)
	}
	if in["dmarc"] != "none" || in["policy"] != "" {
		detail := in["from_domain"]
		if p := in["policy"]; p != "" {
			detail += strings.ReplaceAll(c["fmt_policy"], "{v}", p)
		}
		out["dmarc_detail"] = strings.ReplaceAll(c["fmt_paren"], "{v}", detail)
	}
	return out
}

// labelAny is labelOf for any code type (account states and movement kinds
// are named string types).
func labelAny(m map[string]string, prefix string, key any) string {
	return labelOf(m, prefix, fmt.Sprint(key))
}
