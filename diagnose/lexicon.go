package diagnose

import "strings"

// lexicon maps the many ways users name one thing, in both languages and
// after normalize, to a concept. A concept found in a text becomes one
// feature of the model, so that "闪退", "秒退", "force close" and "crashes"
// speak for the same causes even with few examples each; n-grams carry the
// rest.
var lexicon = map[string][]string{
	"crash":           {"闪退", "秒退", "崩溃", "退出", "一点就退", "就退", "闪一下", "就没了", "关掉", "闪推", "crash", "crahs", "force close", "closes", "closing", "killed", "自己关闭", "被关闭", "dies", "就崩", "打开就崩", "一开就关", "自动退出", "直接退出", "退回桌面", "回到桌面", "kicked out", "closes itself", "shuts down", "quits", "boots me out", "崩掉", "闪崩"},
	"update":          {"更新", "升级", "update", "upgrade", "新版"},
	"update_required": {"要更新", "必须更新", "强制更新", "才能使用", "停止支持", "不再支持", "版本过低", "版本太低", "版本太旧", "版本过旧", "版本号太低", "旧版", "must update", "update required", "forced update", "force update", "have to update", "no longer supported", "outdated", "old version", "update before", "without updating", "w/o updating", "更新提示", "请更新", "需要更新", "please update", "update to continue", "版本不支持", "低版本", "版本低"},
	"os":              {"系统", "安卓", "android", "ios", "os version", "operating system", "兼容", "compatible"},
	"os_unsupported":  {"系统版本", "系统太旧", "系统过低", "系统不支持", "升级系统", "不支持", "不支援", "not supported", "unsupported", "device not supported", "老手机", "旧手机", "old phone", "old ipad", "old iphone", "系统太低", "系统过旧", "系统版本低", "os too old", "ios too old", "android too old", "无法升级系统", "升级不了系统"},
	"network":         {"网络", "网", "wifi", "wi-fi", "信号", "连接", "连不上", "伺服器", "服务器", "internet", "network", "connect", "conect", "offline", "数据网络", "流量"},
	"no_network":      {"飞行模式", "飞航模式", "airplane mode", "没信号", "没有信号", "no signal", "漫游", "roaming", "停机", "流量用完", "没网", "断网", "no internet", "没有网络", "无网络", "沒有網路", "没网络", "无信号", "没有服务", "无服务", "no service", "no connection", "not connected", "no wifi", "no data", "data is off", "数据关了", "流量关了", "欠费", "网断了", "断网了", "没有网", "没连网", "没联网", "信号没了", "地下室", "电梯里", "subway", "underground", "elevator"},
	"network_error":   {"网络错误", "网络异常", "网络连接失败", "无法连接", "连接失败", "network error", "cannot connect", "can't connect", "cant connect", "connection failed", "连不上服务器", "网络请求失败", "请检查网络", "check your connection", "check your network", "network unavailable", "连接服务器失败", "无法访问", "服务器连接失败", "connection error", "unable to connect", "couldn't connect", "could not connect", "failed to connect"},
	"unstable":        {"时好时坏", "一会儿", "时不时", "忽有忽无", "断断续续", "有时候", "sometimes", "dropping", "in and out", "一格", "很弱", "weak", "spotty", "half loads", "intermittent", "不稳定", "信号差", "信号不好", "网很卡", "网络卡", "断线", "掉线", "packet loss", "unstable", "weak signal", "slow connection", "slow internet", "1格"},
	"proxy":           {"vpn", "代理", "proxy", "翻墙", "梯子"},
	"public_wifi":     {"机场", "酒店", "星巴克", "咖啡", "商场", "airport", "hotel", "starbucks", "cafe", "公共wifi", "public wifi", "free wifi", "网页登录", "captive"},
	"slow":            {"转圈", "加载", "載入", "载入", "超时", "卡在", "loading", "laoding", "spinner", "spins", "timed out", "times out", "timeout", "slow", "很慢", "网速", "hangs", "splash", "启动页", "loading", "加载不出来", "loading forever", "spinning", "转个不停", "一直在加载", "takes forever"},
	"frozen":          {"冻结", "冻了", "封", "风控", "frozen", "froze", "freeze", "suspended", "banned", "blocked", "locked for security", "账户异常", "账户状态异常", "账户有问题", "帐号被锁", "账号被锁", "账户被锁定", "账号冻结", "account locked", "locked my account", "冻住"},
	"restricted":      {"限制", "受限", "restricted", "too many", "输错", "wrong password", "locked out", "登录次数", "login locked", "尝试次数", "次数过多", "太多次", "稍后再试", "try again later", "attempts", "登录失败次数", "暂时无法登录", "temporarily locked", "验证码错误次数"},
	"login":           {"登录", "登入", "登不上", "登陆", "log in", "login", "sign in", "sign-in", "signin", "验证码", "密码", "password", "二次验证", "2fa", "two-factor"},
	"storage":         {"存储", "储存", "空间", "容量", "storage", "space", "disk", "剩几百兆", "存储卡", "手机满了", "phone is full", "phone full", "no storage", "free up space", "清理空间"},
	"memory":          {"运行内存", "内存", "记忆体", "memory", "ram", "运存", "running memory", "内存占用"},
	"background":      {"后台", "背景", "background", "apps open", "apps running", "直播", "游戏", "game", "多开", "tons of apps", "bunch of apps", "too many apps"},
	"laggy":           {"卡顿", "卡死", "发热", "发烫", "很卡", "laggy", "lag", "heats", "hot"},
	"outage":          {"维护", "服务器挂了", "你们挂了", "崩了", "故障", "大家", "大家都打不开", "都打不开吗", "也打不开", "朋友的也", "outage", "down", "maintenance", "503", "everyone", "friends", "暂停服务", "不可用", "热搜", "twitter", "微博", "公告", "朋友", "同事", "hacked", "被黑", "服务器崩了", "系统故障", "宕机", "down for everyone", "is it down", "所有人", "大面积"},
	"blank":           {"黑屏", "白屏", "blank", "white screen", "black screen", "没反应", "nothing happens", "garbled", "乱码", "don't respond", "不响应", "空白", "一片白", "nothing shows", "empty screen", "screen is white"},
	"others_fail":     {"啥都打不开", "什么都打不开", "网页都打不开", "网页也打不开", "微信", "别的app也", "其他app也", "其他应用也", "都上不了", "上不了网", "nothing works", "other apps are slow", "other apps don't", "other apps also", "no apps work", "can't load anything", "nothing loads at all"},
	"net_ok":          {"网络正常", "网络没问题", "网络很好", "网络好", "网速很快", "网络也正常", "wifi正常", "wifi很好", "换了网络也一样", "换了网也", "internet fine", "internet is fine", "good wifi", "network fine", "network is fine", "wifi is fine", "wifi fine", "good signal", "网络都正常"},
	"other_apps_ok":   {"其他app都正常", "别的app都正常", "其它都正常", "其他都正常", "其他应用都正常", "别的应用", "其他app", "别的app", "everything else", "other apps work", "other apps are fine", "other apps fine"},
	"latest_claim":    {"最新版", "版本最新", "已经是最新", "最新的", "latest version", "up to date", "updated to latest", "on the latest", "updated, reinstalled", "app updated", "updated to the latest"},
	"reinstalled":     {"重装", "重新安装", "卸载", "reinstall", "re-install", "reinstalled", "deleted and installed"},
	"cache_cleared":   {"清了缓存", "清缓存", "清除缓存", "清了快取", "清快取", "cleared cache", "clearing cache", "cleared the cache", "clear cache", "后台也清了", "restarted", "重启"},
	"other_device_ok": {"别的设备", "别的手机", "其他设备", "其他手机", "平板", "另一台", "这台手机", "这支", "other phone", "tablet", "another device", "another phone", "other device"},
	"account_q":       {"是不是账户", "账户是不是", "是不是账号", "账号是不是", "是不是帐号", "是不是我账户", "账户被冻结了?", "is it my account", "is my account", "account banned?", "账户有问题", "账户被封了?"},
	"version_q":       {"是不是版本", "版本太老了吗", "版本问题", "is it the version", "your update broke", "update broke"},
	"network_q":       {"是不是网络", "网络是不是", "is my internet", "is it my network", "is it the network", "internet the problem", "网络问题"},
	"server_q":        {"服务器挂了", "servers are down", "server down", "服务器是不是", "server is down", "is the server down"},
	"scam":            {"向日葵", "todesk", "anydesk", "teamviewer", "远程", "解冻费", "手续费", "保证金", "unfreeze fee", "a fee", "自称", "加我", "私信", "dm", "share my screen", "share screen", "safe account", "指定账户", "新地址", "空投", "airdrop", "中奖", "compliance", "洗钱", "aml", "工作人员", "内部", "加急", "会员", "扣费", "返利", "冒充", "骗子", "诈骗", "被骗", "骗了", "假客服", "自称客服", "客服让我", "客服要我", "助记词", "恢复短语", "私钥", "把验证码", "验证码告诉", "验证码发给", "钓鱼", "链接", "短信链接", "posing as", "pretending to be", "scam", "scammer", "phishing", "recovery phrase", "seed phrase", "private key", "asked for my code", "asked me for", "asked for my password", "fake support", "telegram", "whatsapp", "屏幕共享", "screen sharing", "远程控制", "remote access", "安全账户", "点链接", "点击链接", "收到短信说", "短信说", "客服打电话", "打电话给我", "someone from support", "support called", "called me"},
	"lost_phone":      {"被抢", "抢了", "顺走", "拿走了", "被拿走", "被人拿", "took my phone", "snatched", "stole my", "摔碎", "摔坏", "掉水里", "掉河里", "进水", "smashed", "broke my phone", "phone broke", "被扣", "confiscated", "手机丢了", "手机掉了", "手机丢失", "丢了手机", "手机被偷", "手机被盗", "手机被抢", "手机不见了", "lost my phone", "phone was stolen", "phone stolen", "stolen phone", "lost phone", "phone got stolen", "lost my iphone", "lost my device", "left my phone", "丢在出租车", "被偷", "偷了", "弄丢", "丢了", "被扒", "stolen", "lost my", "got robbed", "pickpocket"},
	"funds_missing":   {"转出", "不认识的", "不是我", "wasn't me", "wasnt me", "never made", "didn't make", "没操作", "少了", "不见了", "提币", "提现", "充值", "deposit", "withdrawal", "withdraw", "txid", "tx hash", "转错", "填错", "wrong address", "balance", "余额", "missing", "审核中", "outgoing", "钱不见了", "余额少了", "资产不见", "币不见", "余额变成0", "余额为0", "余额没了", "钱没了", "没到账", "未到账", "不到账", "还没到", "没收到", "转账失败但扣款", "扣款", "money is gone", "money gone", "money missing", "missing funds", "funds missing", "balance is zero", "balance is 0", "balance dropped", "not arrived", "hasn't arrived", "has not arrived", "not received", "never arrived", "didn't arrive", "where is my money", "withdrawal pending", "transfer pending"},
}

// conceptFeatures returns the concept features of normalized text, in
// the order of conceptNames. It looks words up by their first rune at each
// position of the text, so its cost grows with the text, not the lexicon.
func conceptFeatures(normalized string) []string {
	var found [64]bool
	for i, r := range normalized {
		for _, e := range lexIndex[r] {
			if !found[e.concept] && strings.HasPrefix(normalized[i:], e.word) {
				found[e.concept] = true
			}
		}
	}
	var out []string
	for j, name := range conceptNames {
		if found[j] {
			out = append(out, "s:"+name)
		}
	}
	return out
}

// lexEntry is one lexicon word and the index of its concept.
type lexEntry struct {
	word    string
	concept int
}

// conceptNames are the lexicon's keys in a fixed order, so features come
// out in the same order every run; lexIndex finds words by first rune.
var conceptNames, lexIndex = func() ([]string, map[rune][]lexEntry) {
	names := make([]string, 0, len(lexicon))
	for k := range lexicon {
		names = append(names, k)
	}
	sortStrings(names)
	if len(names) > 64 {
		panic("diagnose: more than 64 lexicon concepts")
	}
	index := map[rune][]lexEntry{}
	for j, name := range names {
		for _, w := range lexicon[name] {
			for _, r := range w {
				index[r] = append(index[r], lexEntry{w, j})
				break
			}
		}
	}
	return names, index
}()
