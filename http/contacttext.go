package http

// contactText holds the words of the contact page, the live chat's queue
// and hours and the callback promises, in both languages. They join
// uiText at start (see init), so the templates reach them as .T.key and
// the i18n test holds them to the same rules.
var contactText = map[string]map[string]string{
	"zh-CN": {
		"nav_contact": "联系客服",
		"ct_title":    "联系客服", "ct_intro": "选择适合您的方式。以下时间均为北京时间，按国家法定节假日和调休安排。客服不会索要您的密码、验证码或助记词。",
		"ct_chat": "在线客服", "ct_chat_text": "和客服实时文字聊天。", "ct_chat_go": "开始聊天",
		"ct_phone": "电话回拨", "ct_phone_text": "留下手机号码和方便接听的时间，客服给您回电。", "ct_phone_go": "预约回拨",
		"ct_email": "电子邮件", "ct_email_text": "写信到 {address}，回复会发到您的邮箱。", "ct_email_go": "写邮件",
		"ct_web": "提交工单", "ct_web_text": "填写表单，可以附上截图，回复会发到您的邮箱。", "ct_web_go": "填写工单",
		"ct_hours":        "服务时间：工作日 {open}-{close}，周末和法定节假日休息，调休上班日照常服务",
		"ct_promise_chat": "首次回复：", "ct_promise_phone": "回电：", "ct_promise_email": "首次回复：", "ct_promise_web": "首次回复：",
		"ct_open_now": "现在有客服值班", "ct_closed_now": "现在休息，{when} 恢复服务",
		"promise_minutes": "通常 {n} 分钟内", "promise_minutes_1": "通常 1 分钟内", "promise_hours_1": "1 个工作小时内", "promise_days_1": "1 个工作日内", "promise_hours": "{n} 个工作小时内", "promise_days": "{n} 个工作日内", "promise_eod": "当个工作日结束前",
		"day_today": "今天", "day_tomorrow": "明天", "day_at": "{day} {time}",
		"window_day": "{day} {from}-{to}", "window_span": "{from} 至 {to}",
		"cb_window_part": "{label} {from}-{to}", "cb_promise": "我们会在这段时间内给您回电：",
		"chat_closed_title": "在线客服现在休息", "chat_closed_text": "在线客服的服务时间是工作日 {open}-{close}（北京时间），{when} 恢复服务。您可以现在留言，我们会通过邮件回复您（{promise}）。",
		"chat_nobody_title": "现在没有客服在线", "chat_nobody_text": "抱歉，现在没有客服在线。您可以留言，我们会通过邮件回复您（{promise}）。",
		"chat_leave": "发送留言", "chat_left_title": "留言已收到", "chat_left_text": "我们会通过邮件回复到 {email}，最晚", "chat_left_mail": "回复邮件即可补充信息。",
		"chat_queue": "您在排队中，排第 {position} 位，预计等待约 {minutes} 分钟。", "chat_queue_next": "您是下一位，预计等待约 {minutes} 分钟。",
		"chat_queue_nobody": "现在没有客服在线，您的消息已保存。", "chat_leave_instead": "改为留言，通过邮件回复",
		"chat_joined": "客服已加入对话。", "chat_typing_agent": "客服正在输入…", "chat_typing_customer": "客户正在输入…",
		"chat_end": "结束对话", "chat_ended": "对话已结束。谢谢您的耐心。", "chat_rate": "为这次聊天打分", "chat_rated": "谢谢您的评价！",
		"chat_unread": "条未读", "chat_need_email": "请留下邮箱，我们才能回复您。",
		"chat_too_fast": "您发送得太快了，请稍等片刻再发。", "chat_too_long": "消息太长，请分几次发送。", "chat_not_sent": "消息没有发出，请稍后再试。",
	},
	"en": {
		"nav_contact": "Contact us",
		"ct_title":    "Contact support", "ct_intro": "Choose the way that suits you. Times are Beijing time and follow China's public holidays and make-up working days. Support never asks for your password, a verification code or your recovery phrase.",
		"ct_chat": "Live chat", "ct_chat_text": "Chat with an agent in real time.", "ct_chat_go": "Start chatting",
		"ct_phone": "Phone callback", "ct_phone_text": "Leave your number and a time that suits you, and an agent calls you.", "ct_phone_go": "Request a call",
		"ct_email": "Email", "ct_email_text": "Write to {address}; the answer comes to your mailbox.", "ct_email_go": "Write an email",
		"ct_web": "Ticket form", "ct_web_text": "Fill in the form, with a screenshot if you like; the answer comes to your mailbox.", "ct_web_go": "Open a ticket",
		"ct_hours":        "Hours: working days {open}-{close}; closed at weekends and on public holidays, open on make-up working days",
		"ct_promise_chat": "First answer: ", "ct_promise_phone": "Call back: ", "ct_promise_email": "First answer: ", "ct_promise_web": "First answer: ",
		"ct_open_now": "Staffed now", "ct_closed_now": "Closed now; back {when}",
		"promise_minutes": "usually within {n} minutes", "promise_minutes_1": "usually within a minute", "promise_hours": "within {n} business hours", "promise_hours_1": "within one business hour",
		"promise_days": "within {n} business days", "promise_days_1": "within one business day", "promise_eod": "by the end of the working day",
		"day_today": "today", "day_tomorrow": "tomorrow", "day_at": "{day} at {time}",
		"window_day": "{day}, {from}-{to}", "window_span": "between {from} and {to}",
		"cb_window_part": "{label}, {from}-{to}", "cb_promise": "We will call you within this window:",
		"chat_closed_title": "Live chat is closed now", "chat_closed_text": "Live chat is staffed on working days {open}-{close} Beijing time and opens again {when}. Leave a message now and we will answer by email, {promise}.",
		"chat_nobody_title": "No agent is online right now", "chat_nobody_text": "Sorry, no agent is online right now. Leave a message and we will answer by email, {promise}.",
		"chat_leave": "Send the message", "chat_left_title": "Message received", "chat_left_text": "We will answer by email to {email}, at the latest by", "chat_left_mail": "Reply to our email to add anything.",
		"chat_queue": "You are number {position} in the queue; the estimated wait is about {minutes} minutes.", "chat_queue_next": "You are next; the estimated wait is about {minutes} minutes.",
		"chat_queue_nobody": "No agent is online right now; your messages are saved.", "chat_leave_instead": "Leave a message to be answered by email instead",
		"chat_joined": "An agent has joined the chat.", "chat_typing_agent": "Support is typing…", "chat_typing_customer": "The customer is typing…",
		"chat_end": "End the chat", "chat_ended": "This chat has ended. Thank you for your patience.", "chat_rate": "Rate this chat", "chat_rated": "Thank you for your rating!",
		"chat_unread": "unread", "chat_need_email": "Leave your email address so that we can answer you.",
		"chat_too_fast": "You are sending messages too fast; wait a moment.", "chat_too_long": "The message is too long; send it in parts.", "chat_not_sent": "The message was not sent; try again in a moment.",
	},
}

func init() {
	for lang, texts := range contactText {
		for k, v := range texts {
			uiText[lang][k] = v
		}
	}
}
