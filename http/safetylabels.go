package http

// safetyLabels are the console's words for account safety (the emergency
// freeze, password resets, official channels and staff codes, alerts),
// with the prefixes of consoleLabels (ck_: channel kinds). They join
// consoleText at start.
var safetyLabels = map[string]map[string]string{
	"zh-CN": {
		"rs_customer_request":         "客户本人申请",
		"ev_self_freeze_code":         "紧急冻结验证码",
		"ev_anti_phishing_code_set":   "防钓鱼码已修改",
		"ev_password_reset_waits":     "冻结期间申请了重置密码",
		"ev_money_sent_new_recipient": "资金转给新收款人",
		"ev_money_sent_large":         "大额资金转出",
		"ev_recovery_code_used":       "使用了恢复码",
		"au_account.self_freeze":      "客户在帮助中心紧急冻结账户",
		"note_self_frozen":            "客户在帮助中心用{channel}验证码冻结了账户：{sessions} 个会话已退出，所有设备已被遗忘。",
		"au_channel.add":              "添加官方渠道",
		"au_channel.remove":           "移除官方渠道",
		"channels":                    "官方渠道",
		"channels_text":               "客户在帮助中心的「核实官方渠道」页面（/verify）核对的就是这个列表：不在列表里的电话、邮箱、网站和账号都会被告知“不是官方渠道”，形似的还会被警告是冒充。",
		"ch_kind":                     "类型",
		"ch_value":                    "电话、邮箱、网址或账号",
		"ch_note":                     "说明",
		"ch_note_zh":                  "中文说明（客户看到的用途）",
		"ch_note_en":                  "英文说明",
		"ch_added":                    "添加于",
		"ch_removed":                  "移除于",
		"ch_add":                      "添加官方渠道",
		"ch_remove":                   "移除",
		"ch_none":                     "还没有官方渠道。",
		"ch_history":                  "已移除的渠道",
		"ck_phone":                    "电话",
		"ck_email":                    "邮箱",
		"ck_website":                  "网站",
		"ck_telegram":                 "Telegram",
		"ck_wechat":                   "微信",
		"ck_whatsapp":                 "WhatsApp",
		"staff_code_title":            "您的客服验证码",
		"staff_code_help":             "客户问您是不是真的 OK 钱包客服时，把这个验证码告诉他，请他在帮助中心的「核实官方渠道」页面（/verify）核实。验证码只对这位客户的这张工单有效。",
		"staff_code_checked":          "客户已核实这个验证码",
	},
	"en": {
		"rs_customer_request":         "Customer's request",
		"ev_self_freeze_code":         "Emergency-freeze code",
		"ev_anti_phishing_code_set":   "Anti-phishing code changed",
		"ev_password_reset_waits":     "Reset asked for while frozen",
		"ev_money_sent_new_recipient": "Money sent to a new recipient",
		"ev_money_sent_large":         "Large amount sent",
		"ev_recovery_code_used":       "Recovery code used",
		"au_account.self_freeze":      "Customer froze the account from the help center",
		"note_self_frozen":            "The customer froze the account from the help center with a code sent by {channel}; {sessions} session(s) signed out and every device forgotten.",
		"au_channel.add":              "Official channel added",
		"au_channel.remove":           "Official channel removed",
		"channels":                    "Official channels",
		"channels_text":               "Customers check contacts against this list on the help center (/verify): any phone number, address, website or account not on it is \"not official\", and lookalikes get a warning that they imitate us.",
		"ch_kind":                     "Kind",
		"ch_value":                    "Number, address, web address or account",
		"ch_note":                     "What it is",
		"ch_note_zh":                  "Chinese note (what customers read it is for)",
		"ch_note_en":                  "English note",
		"ch_added":                    "added",
		"ch_removed":                  "removed",
		"ch_add":                      "Add an official channel",
		"ch_remove":                   "Remove",
		"ch_none":                     "No official channels yet.",
		"ch_history":                  "Removed channels",
		"ck_phone":                    "Phone",
		"ck_email":                    "Email",
		"ck_website":                  "Website",
		"ck_telegram":                 "Telegram",
		"ck_wechat":                   "WeChat",
		"ck_whatsapp":                 "WhatsApp",
		"staff_code_title":            "Your staff code",
		"staff_code_help":             "When the customer asks whether you really are OK Wallet staff, give them this code to check on the help center (/verify). It works only for this customer's ticket.",
		"staff_code_checked":          "The customer checked this code",
	},
}

func init() {
	for lang, labels := range safetyLabels {
		for k, v := range labels {
			if _, dup := consoleText[lang][k]; dup {
				panic("console text " + lang + " " + k + " defined twice")
			}
			consoleText[lang][k] = v
		}
	}
}
