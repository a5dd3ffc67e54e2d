package http

// safetyLabels are the console's words for the codes of account safety
// (the emergency freeze, password resets, official channels, alerts),
// with the prefixes of consoleLabels. They join consoleText at start.
var safetyLabels = map[string]map[string]string{
	"zh-CN": {
		"rs_customer_request":    "客户本人申请",
		"ev_self_freeze_code":    "紧急冻结验证码",
		"au_account.self_freeze": "客户在帮助中心紧急冻结账户",
		"note_self_frozen":       "客户在帮助中心用{channel}验证码冻结了账户：{sessions} 个会话已退出，所有设备已被遗忘。",
	},
	"en": {
		"rs_customer_request":    "Customer's request",
		"ev_self_freeze_code":    "Emergency-freeze code",
		"au_account.self_freeze": "Customer froze the account from the help center",
		"note_self_frozen":       "The customer froze the account from the help center with a code sent by {channel}; {sessions} session(s) signed out and every device forgotten.",
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
