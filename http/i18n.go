package http

// uiText holds the page strings in both languages.
var uiText = map[string]map[string]string{
	"zh-CN": {
		"brand": "OK 钱包", "helpcenter": "帮助中心", "nav_help": "帮助中心", "nav_diagnose": "打不开诊断", "nav_status": "服务状态",
		"other_lang": "English", "footer": "OK 钱包客服 · 资产由 OK 钱包托管，重装应用不会丢失资金。客服不会索要您的密码。",
		"hero_title": "钱包打不开？我们帮您找到原因", "hero_text": "搜索帮助文章，或用诊断工具一步步排查。",
		"search": "搜索", "search_placeholder": "例如：闪退、一直转圈、账号被冻结", "popular": "常见问题",
		"wizard_title": "打不开诊断", "wizard_text": "告诉我们发生了什么，我们结合您的设备、网络和账户情况给出原因与解决步骤。", "wizard_start": "开始诊断",
		"no_results": "没有找到相关文章。", "article_help": "没有解决？试试诊断工具。",
		"q_symptom": "发生了什么？", "s_crash": "一打开就闪退", "s_stuck": "一直停在加载页", "s_error": "出现错误提示", "s_other": "其他情况",
		"q_phone": "您的手机", "f_platform": "系统", "f_app_version": "OK 钱包版本（在应用商店或“关于”中查看，可不填）", "f_os_version": "系统版本（可不填）",
		"q_words": "用您自己的话说说", "f_error_text": "应用显示的提示（可不填）", "f_description": "具体情况（可不填）", "diagnose": "开始诊断",
		"result_title": "可能的原因", "read_more": "相关文章：", "did_it_help": "问题解决了吗？", "solved": "已解决", "still_broken": "还是不行，联系客服",
		"thanks_title": "太好了！", "thanks_text": "感谢您的反馈。建议开启双重认证并保持应用更新。",
		"contact_title": "联系客服", "contact_text": "联系客服时请附上以下信息，您不需要重复描述问题。邮件通常在 1-3 个工作日内回复，在线聊天几分钟内回复。",
		"diagnosis_id": "诊断编号", "contact_support": "查看联系方式",
		"status_title": "服务状态", "active_incidents": "正在处理的问题", "recent_incidents": "最近 14 天", "no_recent": "最近 14 天没有故障。",
		"bad_request": "提交的内容有误：",
	},
	"en": {
		"brand": "OK Wallet", "helpcenter": "Help Center", "nav_help": "Help Center", "nav_diagnose": "Won't open?", "nav_status": "Status",
		"other_lang": "中文", "footer": "OK Wallet support · Your funds are held by OK Wallet; reinstalling the app never loses them. Support never asks for your password.",
		"hero_title": "Wallet won't open? Let's find out why", "hero_text": "Search the help articles, or let the diagnosis walk you through it.",
		"search": "Search", "search_placeholder": "e.g. crashes on launch, stuck loading, account frozen", "popular": "Common questions",
		"wizard_title": "Won't-open diagnosis", "wizard_text": "Tell us what happens; we combine it with your device, network and account to find the cause and the steps.", "wizard_start": "Start the diagnosis",
		"no_results": "No matching articles.", "article_help": "Not solved? Try the diagnosis.",
		"q_symptom": "What happens?", "s_crash": "It crashes as soon as it opens", "s_stuck": "It stays on the loading screen", "s_error": "It shows an error message", "s_other": "Something else",
		"q_phone": "Your phone", "f_platform": "System", "f_app_version": "OK Wallet version (in the app store or About; optional)", "f_os_version": "OS version (optional)",
		"q_words": "In your own words", "f_error_text": "The message the app shows (optional)", "f_description": "What happens (optional)", "diagnose": "Diagnose",
		"result_title": "Likely causes", "read_more": "Read:", "did_it_help": "Did this solve it?", "solved": "Solved", "still_broken": "Still broken, contact support",
		"thanks_title": "Great!", "thanks_text": "Thanks for letting us know. Consider turning on two-factor authentication and keeping the app updated.",
		"contact_title": "Contact support", "contact_text": "Give support the details below so you need not explain again. Email is answered within 1-3 business days, live chat within minutes.",
		"diagnosis_id": "Diagnosis number", "contact_support": "See how to reach us",
		"status_title": "Service status", "active_incidents": "Under way", "recent_incidents": "Last 14 days", "no_recent": "No incidents in the last 14 days.",
		"bad_request": "Please check your answers: ",
	},
}
