package search

// A concept is one thing a question can be about (an intent, a symptom, a
// part of the product), however it is worded, in Chinese or English.
// Articles name the concepts they are about in their front matter
// (`topics: frozen, transfer`, the first one the article's main subject);
// a question's concepts then rank the articles about them above articles
// that merely share its words. The lexicon says how people put things,
// not which article answers them: which articles are about what is the
// articles' business, so a new article needs only its front matter.
type concept struct {
	id string
	// forms are ways to say it: Chinese forms match anywhere in the
	// folded query (simplified, half-width, lower case); English forms
	// match whole words in order, a few words apart at most, and a word
	// ending in "*" matches any word it starts.
	forms []string
	// needs, when set, lists words of which one must be present too: a
	// form that is the concept only in company ("处理" with 客服: how
	// support handles a case, not how to handle a crash).
	needs []string
	// unless lists words that, present in the query, mean something
	// else was meant ("the app freezes" is not an account freeze).
	unless []string
	// refines names a broader concept this one narrows: "what to tell
	// support" is about describing a problem, and support is only whom it
	// is told to, so the broader concept is dropped when this one is found.
	refines string
	// zh and en are words the articles use for it, added to the query
	// in that language so that retrieval finds those articles.
	zh, en string
}

// lexicon is the list of concepts. Keep forms general: ways many people would say
// a thing, never one test query.
var lexicon = []concept{
	{id: "wont-open", forms: []string{"打不开", "进不去", "开不了", "进不了", "无法打开", "无法进入", "打开不了", "启动不了", "无法启动", "启动失败", "用不了",
		"wont open", "won t open", "cant open", "cannot open", "can not open", "unable to open", "not opening", "doesnt open", "does not open", "wont start", "wont launch", "wont load", "cant get in", "not working"},
		zh: "打不开", en: "won't open"},
	{id: "crash", forms: []string{"闪退", "崩溃", "秒退", "闪崩", "自动退出", "自己退出", "直接退出", "强制关闭", "停止运行", "退回桌面", "退到桌面",
		"crash*", "closes", "closing itself", "quits", "force close*", "shuts down", "kick* out"},
		zh: "闪退", en: "crash"},
	{id: "loading", forms: []string{"转圈", "加载", "卡住", "卡在", "卡死", "一直等", "白屏", "loading", "spinner", "spinning", "spins", "stuck", "hang*", "forever", "endless", "never loads",
		"app freez*", "screen freez*", "freezes", "画面冻住", "界面冻住"},
		zh: "加载 转圈", en: "loading spinner"},
	{id: "server", forms: []string{"服务器", "无法连接", "连不上", "连接失败", "连接超时", "网络异常", "网络错误", "维护", "宕机", "服务挂了",
		"server*", "cannot connect", "cant connect", "can not connect", "connection error", "network error", "maintenance", "outage"},
		zh: "服务器 连接", en: "server connect"},
	{id: "network", forms: []string{"网络", "网速", "wifi", "wi-fi", "信号", "流量", "移动数据", "数据网络", "vpn", "代理", "翻墙", "路由", "4g", "5g", "断网", "没网",
		"network", "signal", "mobile data", "cellular", "proxy", "router", "internet", "offline", "connection"},
		zh: "网络", en: "network"},
	{id: "public-wifi", forms: []string{"公共", "公用", "咖啡", "机场", "酒店", "商场", "免费wifi", "蹭网", "public", "cafe*", "café", "airport*", "hotel*", "free wifi", "hotspot*"},
		refines: "network", zh: "公共 Wi-Fi", en: "public Wi-Fi"},
	{id: "update", forms: []string{"更新", "升级", "新版", "旧版", "最新版", "老版本", "版本太旧", "版本过旧", "版本太低", "版本过低", "必须更新", "强制更新",
		"update*", "upgrad*", "new version", "latest version", "old version", "outdated", "out of date", "older version"},
		unless: []string{"系统", "system", "os"},
		zh:     "更新", en: "update"},
	{id: "storage", forms: []string{"存储", "储存", "空间", "内存", "容量", "满了", "storage", "space", "memory", "ram", "disk", "phone is full"},
		zh: "存储空间 内存", en: "storage memory"},
	{id: "os-version", forms: []string{"系统版本", "系统太老", "系统太旧", "系统太低", "系统过低", "系统不支持", "手机太旧", "手机太老", "老手机", "旧手机", "最低系统", "兼容",
		"os version", "os not supported", "os too old", "old os", "old phone", "minimum", "compatib*", "supported devices", "system version", "unsupported"},
		zh: "系统版本", en: "OS version"},
	{id: "account-status", forms: []string{"账户状态", "账号状态", "账户问题", "账号问题", "账户有问题", "账号有问题", "账户异常", "账号异常", "是不是账户", "是不是账号", "账户正常", "账号正常",
		"account status", "account problem", "account issue", "problem with my account", "account ok", "account fine"},
		zh: "账户状态", en: "account status"},
	{id: "frozen", forms: []string{"冻结", "解冻", "封号", "被封", "封了", "封禁", "封掉", "封我", "账户被锁", "账号被锁",
		"frozen account", "account frozen", "account is frozen", "unfreez*", "banned", "ban", "suspend*", "locked account", "account locked", "disabled account", "account disabled"},
		zh: "冻结", en: "frozen"},
	// "Freeze" and "locked" alone are the account unless the app or the
	// screen is what froze; with the account named they are the account.
	{id: "frozen", forms: []string{"freez*", "froze", "frozen", "冻住", "冻了", "被冻", "locked", "blocked", "被锁", "锁了"},
		unless: []string{"app", "screen", "startup", "launch*", "opening", "loading", "画面", "屏幕", "界面", "启动", "打开", "加载", "卡"},
		zh:     "冻结", en: "frozen"},
	{id: "frozen", forms: []string{"freez*", "froze", "frozen", "locked", "blocked", "冻住", "冻了", "被冻", "被锁", "锁了"},
		needs: []string{"account", "账户", "账号", "funds", "money", "资产", "资金"},
		zh:    "冻结", en: "frozen"},
	{id: "restricted", forms: []string{"受限", "限制登录", "登录限制", "登不上", "登录不了", "登陆不了", "无法登录", "无法登陆", "不能登录", "登录失败", "输错", "错误次数", "太多次", "次数过多", "新手机登录", "换手机",
		"restrict*", "cant log in", "cannot log in", "cant login", "cannot login", "cant sign in", "cannot sign in", "unable to log in", "unable to sign in", "locked out", "too many attempts", "too many tries", "wrong password*", "new phone", "new device"},
		zh: "登录受限", en: "sign-in restricted"},
	{id: "forgot-password", forms: []string{"忘记", "忘了", "找回", "重置", "想不起", "forgot*", "forget*", "reset*", "recover password", "lost password", "lost my password"},
		refines: "password", zh: "忘记密码 重置密码", en: "forgot reset password"},
	{id: "change-password", forms: []string{"修改密码", "改密码", "换密码", "更改密码", "换个密码", "新密码", "密码强度", "密码要求", "密码规则", "密码长度", "设置密码",
		"change password", "change my password", "changing password", "new password", "password requirement*", "strong password", "password rules", "password length", "update password"},
		refines: "password", zh: "修改密码", en: "change password"},
	{id: "password", forms: []string{"密码", "password*", "passcode"}, zh: "密码", en: "password"},
	{id: "2fa", forms: []string{"双重认证", "双重验证", "两步验证", "二次验证", "双因素", "双因子", "谷歌验证", "身份验证器", "验证器", "动态码", "动态口令", "恢复码", "备用码",
		"2fa", "mfa", "two factor", "two-factor", "2 step", "two step", "2-step", "authenticator", "recovery code*", "backup code*", "totp", "otp", "google auth*"},
		zh: "双重认证 验证器", en: "two-factor authentication"},
	{id: "code-not-received", forms: []string{"收不到验证码", "没收到验证码", "验证码收不到", "验证码没收到", "验证码没到", "收不到短信", "短信收不到", "没收到短信",
		"code not received", "didnt get the code", "didnt receive the code", "no verification code", "not receiving code*", "no sms", "sms not received"},
		zh: "验证码", en: "verification code"},
	{id: "cache", forms: []string{"缓存", "清理", "清除数据", "cache", "clear data", "clear storage", "clean up"}, zh: "清除缓存", en: "clear cache"},
	{id: "reinstall", forms: []string{"重装", "卸载", "重新安装", "重新下载", "删除app", "删除应用", "删掉app", "reinstall*", "re-install*", "uninstall*", "delete the app", "remove the app", "redownload*"},
		zh: "重新安装", en: "reinstall"},
	{id: "funds-safe", forms: []string{"丢币", "丢钱", "丢失资产", "资产还在", "钱还在", "币还在", "资产会丢", "钱会丢", "会丢", "资金安全", "资产安全",
		"lose my funds", "lose funds", "lose my money", "lose money", "lose my coins", "funds safe", "money safe", "funds lost", "lost funds"},
		zh: "资产 不会丢失", en: "funds never lost"},
	{id: "transfer", forms: []string{"转账", "转不了", "提现", "付款", "支付", "transfer*", "withdraw*", "payment*", "send money"}, zh: "转账", en: "transfer"},
	{id: "money-missing", forms: []string{"没到账", "未到账", "不到账", "到账", "钱没到", "没收到钱", "转账没收到",
		"not arrived", "didnt arrive", "hasnt arrived", "money missing", "missing money", "missing transfer", "not received money"},
		zh: "到账", en: "arrived"},
	{id: "lost-phone", forms: []string{"手机丢了", "手机掉了", "手机被偷", "手机被盗", "丢失手机", "手机丢失", "丢了手机", "lost phone", "lost my phone", "stolen phone", "phone stolen", "phone was stolen", "phone lost"},
		zh: "手机丢失", en: "lost phone"},
	{id: "scam", forms: []string{"骗子", "诈骗", "被骗", "假客服", "冒充", "钓鱼", "骗局", "scam*", "fraud*", "fake support", "fake agent", "phishing", "impersonat*"},
		zh: "诈骗", en: "scam"},
	{id: "contact", forms: []string{"客服", "人工", "联系", "热线", "在线客服", "工单", "在线聊天", "客服电话", "客服邮箱", "打电话",
		"support", "contact*", "agent", "human", "customer service", "hotline", "phone number", "call you", "call someone", "email support", "support email", "ticket*", "live chat", "talk to"},
		zh: "联系客服", en: "contact support"},
	{id: "describe", forms: []string{"描述", "截图", "describe", "description", "screenshot*", "what to tell", "tell support", "what to include"},
		refines: "contact", zh: "描述", en: "describe"},
	{id: "describe", forms: []string{"说什么", "怎么说", "说明", "提供", "信息", "资料", "写什么", "填什么", "告诉", "准备",
		"tell", "say", "include", "information", "info", "details", "prepare", "give", "provide", "need to know"},
		needs:   []string{"客服", "人工", "工单", "support", "agent", "ticket*", "customer service"},
		refines: "contact", zh: "描述", en: "describe"},
	{id: "process", forms: []string{"评价", "评分", "打分", "重新打开", "回访", "处理流程", "reopen*", "rate", "rating", "follow up", "follow-up", "feedback"},
		refines: "contact", zh: "处理", en: "resolves"},
	{id: "process", forms: []string{"处理", "流程", "解决", "进度", "跟进", "步骤", "resolv*", "process*", "handl*", "what happens", "steps"},
		needs:   []string{"客服", "人工", "工单", "support", "agent", "ticket*", "customer service", "case"},
		refines: "contact", zh: "处理", en: "resolves"},
	{id: "response-time", forms: []string{"回复", "答复", "响应", "上班", "下班", "节假日", "假期", "放假", "工作时间", "工作日", "营业时间", "春节", "国庆",
		"reply", "replies", "respond*", "response time*", "holiday*", "business day*", "working hours", "opening hours"},
		refines: "contact", zh: "响应时间", en: "response times"},
	{id: "response-time", forms: []string{"多久", "多长时间", "几天", "时效", "周末", "等多久", "什么时候", "how long", "hours", "wait*", "when will", "weekend*"},
		needs:   []string{"客服", "人工", "工单", "support", "agent", "ticket*", "customer service", "email", "邮件"},
		refines: "contact", zh: "响应时间", en: "response times"},
	{id: "security", forms: []string{"安全", "防盗", "被盗", "保护", "security", "secure", "safety", "protect*", "hack*", "stolen"}, zh: "安全", en: "security"},
	{id: "prevention", forms: []string{"日常", "预防", "保养", "习惯", "注意事项", "注意什么", "平时", "建议", "prevent*", "habit*", "tips", "best practice*", "healthy", "routine", "avoid problems"},
		zh: "预防", en: "prevention"},
}

// platforms are the mobile systems a question can name, by the words that
// name them (phones by their maker).
var platforms = map[string][]string{
	"ios": {"ios", "iphone", "ipad", "apple", "app store", "appstore", "苹果", "苹果手机", "果粉"},
	"android": {"android", "安卓", "华为", "huawei", "荣耀", "honor", "小米", "xiaomi", "红米", "redmi", "oppo", "vivo", "一加", "oneplus", "三星", "samsung",
		"魅族", "meizu", "realme", "鸿蒙", "harmonyos", "pixel", "google play", "谷歌商店", "应用宝"},
}
