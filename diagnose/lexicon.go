package diagnose

import "strings"

// lexicon maps the many ways users name one thing, in both languages and
// after normalize, to a concept. A concept found in a text becomes a feature
// weighted above plain n-grams, so that "闪退", "秒退", "force close" and
// "crashes" all speak for the same causes even with few examples each.
var lexicon = map[string][]string{
	"crash":       {"闪退", "秒退", "崩溃", "退出", "一点就退", "就退", "crash", "force close", "closes", "closing", "killed", "自己关闭", "被关闭"},
	"update":      {"更新", "升级", "update", "upgrade", "新版"},
	"old_version": {"旧版", "版本太旧", "版本过旧", "版本太低", "版本号太低", "过旧", "outdated", "old version", "no longer supported", "update required", "强制更新", "应用商店"},
	"os":          {"系统", "安卓", "android", "ios", "os version", "operating system", "兼容", "compatible", "不支持", "不支援", "unsupported"},
	"network":     {"网络", "网", "wifi", "信号", "连接", "连不上", "伺服器", "服务器", "internet", "network", "connect", "conect", "offline", "飞行模式", "数据网络"},
	"slow":        {"转圈", "加载", "加載", "超时", "卡在", "loading", "laoding", "spinner", "timed out", "times out", "timeout", "slow", "很慢", "网速", "hangs"},
	"frozen":      {"冻结", "封", "风控", "frozen", "froze", "suspended", "blocked", "locked for security", "账户异常"},
	"restricted":  {"限制", "受限", "restricted", "too many", "输错", "wrong password", "locked out", "登录次数", "login locked"},
	"storage":     {"存储", "空间", "容量", "storage", "space", "disk", "剩几百兆", "内存满"},
	"memory":      {"运行内存", "记忆体", "memory", "ram", "卡顿", "卡死", "发热", "后台", "很卡", "laggy", "too many apps", "游戏"},
	"outage":      {"维护", "挂了", "崩了", "故障", "大家", "都打不开", "outage", "down", "maintenance", "503", "everyone", "friends", "暂停服务", "不可用"},
	"blank":       {"黑屏", "白屏", "blank", "white screen", "没反应", "nothing happens", "清了缓存", "启动页"},
	"no_code": {"收不到验证码", "验证码收不到", "没收到验证码", "验证码没收到", "没有收到验证码", "收不到短信", "没收到短信", "验证码一直", "重发", "收不到邮件", "没收到邮件",
		"no code", "code not", "never comes", "don't receive", "didn't receive", "did not receive", "not receiving", "doesn't arrive", "resend", "authenticator"},
	// Safety: someone posing as support, a lost phone, money gone.
	"scam": {"自称", "冒充", "假客服", "骗", "助记词", "私钥", "安全账户", "点链接", "发链接", "让我提供", "要我提供", "索要", "远程", "屏幕共享", "下载一个",
		"claimed to be", "claiming to be", "pretend", "someone from support", "support called", "asked for my", "asked me for", "seed phrase", "recovery phrase",
		"private key", "scam", "fraud", "safe account", "screen shar", "remote access", "click the link", "telegram", "whatsapp"},
	"lost_phone": {"手机丢", "丢了手机", "手机掉了", "手机被偷", "被偷", "被盗", "偷走", "抢走", "手机不见", "lost my phone", "lost phone", "phone lost", "phone was stolen",
		"stole my phone", "stolen", "phone is gone", "phone missing"},
	"funds_gone": {"钱不见", "余额不见", "钱没了", "钱少了", "余额少了", "余额变成0", "不见了", "没到账", "未到账", "没收到钱", "没有到账", "被转走", "被盗刷", "扣款",
		"money is gone", "money gone", "missing funds", "funds missing", "balance is zero", "balance went", "not arrived", "never arrived", "didn't arrive",
		"did not arrive", "hasn't arrived", "not received the money", "transfer missing", "where is my money", "disappeared", "vanished",
		"stole my money", "money was stolen", "stole my funds", "钱被偷", "币被偷", "钱被盗"},
}

// conceptWeight is how many plain features a concept counts as.
const conceptWeight = 3

// concepts returns the concept features of normalized text.
func concepts(normalized string) []string {
	var out []string
	for concept, words := range lexicon {
		for _, w := range words {
			if strings.Contains(normalized, w) {
				for i := 0; i < conceptWeight; i++ {
					out = append(out, "s:"+concept)
				}
				break
			}
		}
	}
	return out
}
