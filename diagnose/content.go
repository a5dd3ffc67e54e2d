package diagnose

// titles of each cause: [zh-CN, en].
var titles = map[string][2]string{
	NetworkOffline:         {"网络未连接或无法访问服务器", "No network connection, or our servers cannot be reached"},
	NetworkUnstable:        {"网络不稳定或太慢", "The network is unstable or too slow"},
	AppOutdated:            {"应用版本过旧", "The app is out of date"},
	AppKnownCrash:          {"当前版本存在已知的闪退问题", "This version has a known crash"},
	AccountFrozen:          {"账户已被冻结", "The account is frozen"},
	AccountLoginRestricted: {"账户登录受限", "Sign-in to the account is restricted"},
	DeviceStorageLow:       {"手机存储空间不足", "The phone is low on storage"},
	DeviceMemoryLow:        {"手机运行内存不足", "The phone is low on memory"},
	DeviceOSUnsupported:    {"手机系统版本过低，不受支持", "The phone's OS version is no longer supported"},
	ServiceIncident:        {"OK 钱包服务正在发生故障或维护", "OK Wallet has an incident or maintenance under way"},
	AppMalfunction:         {"应用本身运行异常", "The app itself is misbehaving"},
	Unknown:                {"暂时无法判断原因", "We could not tell the cause yet"},
	ScamContact:            {"疑似诈骗：有人冒充客服或发送钓鱼信息", "Possible scam: someone posing as support, or a phishing message"},
	DeviceLost:             {"手机丢失或被盗", "The phone was lost or stolen"},
	FundsMissing:           {"资金不见了或转账未到账", "Money is missing, or a transfer has not arrived"},
}

func title(code string, zh bool) string {
	if zh {
		return titles[code][0]
	}
	return titles[code][1]
}

// articles links each cause to its help-center articles (by slug).
var articles = map[string][]string{
	NetworkOffline:         {"symptom-cannot-connect-server", "check-network"},
	NetworkUnstable:        {"symptom-stuck-loading", "check-network", "public-wifi-safety"},
	AppOutdated:            {"update-app"},
	AppKnownCrash:          {"update-app", "symptom-crash-on-launch"},
	AccountFrozen:          {"account-frozen", "check-account-status", "contact-support"},
	AccountLoginRestricted: {"login-restricted", "reset-password", "check-account-status", "verification-code-not-received"},
	DeviceStorageLow:       {"device-storage-and-os"},
	DeviceMemoryLow:        {"device-storage-and-os", "symptom-crash-on-launch"},
	DeviceOSUnsupported:    {"device-storage-and-os", "update-app"},
	ServiceIncident:        {"wallet-wont-open"},
	AppMalfunction:         {"clear-cache-android", "clear-cache-ios", "reinstall-app"},
	Unknown:                {"wallet-wont-open", "how-to-describe-your-problem", "contact-support"},
	ScamContact:            {"scams-and-fake-support", "verification-code-not-received", "contact-support"},
	DeviceLost:             {"lost-or-stolen-phone", "reset-password", "contact-support"},
	FundsMissing:           {"money-not-arrived", "scams-and-fake-support", "contact-support"},
}

// step texts: zh-CN, en, and the risk of each in both languages.
type stepText struct{ zh, en, riskZh, riskEn string }

var reinstallRisk = [2]string{
	"OK 钱包是托管钱包，资产保存在服务器上，重装不会丢失资金；重装后需要重新输入密码和双重认证码。",
	"OK Wallet is custodial: your funds are kept on our servers, so reinstalling never loses them. You will need your password and two-factor code again.",
}

// commonSteps are the steps of each cause on every platform; platformSteps
// override or extend them where Android and iOS differ.
var commonSteps = map[string][]stepText{
	NetworkOffline: {
		{"确认 Wi-Fi 或移动数据已开启，并关闭飞行模式。", "Check that Wi-Fi or mobile data is on and airplane mode is off.", "", ""},
		{"用浏览器打开任意网页，确认网络可用。", "Open any web page in a browser to confirm the connection works.", "", ""},
		{"切换 Wi-Fi 与移动数据后重新打开 OK 钱包。", "Switch between Wi-Fi and mobile data, then open OK Wallet again.", "", ""},
	},
	NetworkUnstable: {
		{"靠近路由器或换到信号更好的地方。", "Move closer to the router or somewhere with a better signal.", "", ""},
		{"避免使用公共 Wi-Fi，改用移动数据。", "Avoid public Wi-Fi; use mobile data instead.", "", ""},
		{"关闭 VPN 或代理后重试。", "Turn off any VPN or proxy and try again.", "", ""},
	},
	AppOutdated: {
		{"前往应用商店将 OK 钱包更新到最新版本。", "Update OK Wallet to the latest version from your app store.", "更新不会影响资产。", "Updating does not touch your funds."},
	},
	AppKnownCrash: {
		{"更新到最新版本，该问题已在新版本修复。", "Update to the latest version, which fixes this problem.", "更新不会影响资产。", "Updating does not touch your funds."},
	},
	AccountFrozen: {
		{"资产不会因冻结丢失；冻结期间可以查看余额，但不能转账。", "Freezing never loses funds; you can still see your balances but cannot move money.", "", ""},
		{"查看邮箱或短信中 OK 钱包的通知，了解冻结原因。", "Check your email and SMS for OK Wallet's notice explaining why.", "", ""},
		{"联系客服并准备好身份验证，客服核实后可以解冻。", "Contact support and be ready to verify your identity; support can unfreeze after checking.", "", ""},
	},
	AccountLoginRestricted: {
		{"使用以前登录过的设备仍可正常登录。", "A device you have signed in on before can still sign in.", "", ""},
		{"等待限制自动解除后再试，不要反复尝试密码。", "Wait for the restriction to lift by itself; do not keep trying passwords.", "", ""},
		{"如果不是您本人的尝试，请修改密码并开启双重认证。", "If those attempts were not yours, change your password and turn on two-factor authentication.", "", ""},
	},
	DeviceStorageLow: {
		{"删除不用的应用、照片或视频，至少留出 500 MB 空间。", "Delete apps, photos or videos you do not need, to free at least 500 MB.", "", ""},
	},
	DeviceMemoryLow: {
		{"关闭后台运行的其他应用后重新打开 OK 钱包。", "Close other apps running in the background, then open OK Wallet again.", "", ""},
		{"重启手机以释放内存。", "Restart the phone to free memory.", "", ""},
	},
	DeviceOSUnsupported: {
		{"在系统设置中检查并安装系统更新。", "Check for and install a system update in Settings.", "更新系统前请确保电量充足。", "Make sure the battery is charged before updating the system."},
		{"若手机已无法升级系统，请在受支持的设备上登录 OK 钱包；资产保存在账户中，不会丢失。", "If the phone cannot be updated any further, sign in to OK Wallet on a supported device; your funds stay with your account.", "", ""},
	},
	ServiceIncident: {
		{"这是我们这边的问题，不需要您做任何操作；请查看状态页了解进展。", "This is on our side and needs nothing from you; follow progress on the status page.", "", ""},
		{"故障期间请勿重复转账；恢复后交易记录会正常显示。", "Do not repeat transfers during the incident; your history will show correctly once it is over.", "", ""},
	},
	Unknown: {
		{"先检查网络，并把 OK 钱包更新到最新版本。", "First check your network and update OK Wallet to the latest version.", "", ""},
		{"联系客服，说明发生时间、看到的提示和已经尝试过的方法。", "Contact support and say when it happened, what the app showed and what you have tried.", "", ""},
	},
}

// linkedStep is a step done on one of our pages.
type linkedStep struct{ zh, en, link string }

// Pages of ours the account-takeover steps point to.
const (
	FreezePath = "/support/freeze"
	VerifyPath = "/verify"
)

// linkedSteps are the steps of the account-takeover causes: stop the money
// first (the emergency freeze), check who really contacted you (the
// official-channel check), then talk to support.
var linkedSteps = map[string][]linkedStep{
	ScamContact: {
		{"如果您已经透露了密码、验证码或助记词，请立即使用紧急冻结保护资产：" + FreezePath, "If you shared a password, code or recovery phrase, protect your funds now with the emergency freeze: " + FreezePath, FreezePath},
		{"OK 钱包客服绝不会索要密码、验证码或助记词；请在官方渠道核验页确认联系您的人或链接是否来自我们：" + VerifyPath, "OK Wallet support never asks for your password, codes or recovery phrase; check whether the person or link that reached you is really ours: " + VerifyPath, VerifyPath},
		{"不要再回复对方或点击链接，修改密码后联系客服，并说明对方的联系方式和您透露了什么。", "Stop replying and do not open the link; change your password, then contact support and say how they reached you and what you shared.", ""},
	},
	DeviceLost: {
		{"立即使用紧急冻结，让丢失的手机无法转出资金：" + FreezePath, "Use the emergency freeze now so the lost phone cannot move money: " + FreezePath, FreezePath},
		{"之后如有人以 OK 钱包名义联系您，请先在官方渠道核验页确认：" + VerifyPath, "If anyone contacts you in OK Wallet's name afterwards, check it first: " + VerifyPath, VerifyPath},
		{"联系客服解除冻结并在新手机上登录；资产保存在账户中，不会随手机丢失。", "Contact support to unfreeze and sign in on a new phone; your funds stay with your account, not the phone.", ""},
	},
	FundsMissing: {
		{"在交易记录中查看这笔交易的状态（处理中、已完成或失败）和交易编号。", "Check the transaction in your history: its status (pending, completed or failed) and its reference.", ""},
		{"转账处理中时请勿重复转账；如果仍不清楚去向，请带上交易编号联系客服。", "Do not send it again while it is pending; if you still cannot tell where the money went, contact support with the reference.", ""},
	},
}

// platformSteps are the steps that differ by platform.
var platformSteps = map[string]map[string][]stepText{
	AppMalfunction: {
		"android": {
			{"完全关闭 OK 钱包后重新打开。", "Close OK Wallet completely and open it again.", "", ""},
			{"清除缓存：设置 → 应用 → OK 钱包 → 存储 → 清除缓存。", "Clear the cache: Settings → Apps → OK Wallet → Storage → Clear cache.", "只删除临时文件，不影响账户和资产。", "Removes temporary files only; your account and funds are untouched."},
			{"仍无法打开时，卸载后从应用商店重新安装。", "If it still will not open, uninstall and reinstall from the app store.", reinstallRisk[0], reinstallRisk[1]},
		},
		"ios": {
			{"完全关闭 OK 钱包后重新打开。", "Close OK Wallet completely and open it again.", "", ""},
			{"iOS 没有单独清除应用缓存的选项：设置 → 通用 → iPhone 储存空间 → OK 钱包 → 卸载应用（保留数据），再重新安装。", "iOS has no per-app cache clearing: Settings → General → iPhone Storage → OK Wallet → Offload App (keeps data), then reinstall it.", "卸载应用会保留文稿与数据。", "Offloading keeps the app's documents and data."},
			{"仍无法打开时，删除应用后从 App Store 重新安装。", "If it still will not open, delete the app and reinstall it from the App Store.", reinstallRisk[0], reinstallRisk[1]},
		},
		"": {
			{"完全关闭 OK 钱包后重新打开。", "Close OK Wallet completely and open it again.", "", ""},
			{"安卓：设置 → 应用 → OK 钱包 → 存储 → 清除缓存。iOS：设置 → 通用 → iPhone 储存空间 → OK 钱包 → 卸载应用后重新安装。", "Android: Settings → Apps → OK Wallet → Storage → Clear cache. iOS: Settings → General → iPhone Storage → OK Wallet → Offload App, then reinstall.", "只删除临时文件，不影响账户和资产。", "Removes temporary files only; your account and funds are untouched."},
			{"仍无法打开时，卸载后重新安装。", "If it still will not open, uninstall and reinstall.", reinstallRisk[0], reinstallRisk[1]},
		},
	},
	DeviceStorageLow: {
		"android": {{"查看空间占用：设置 → 存储。", "See what uses space: Settings → Storage.", "", ""}},
		"ios":     {{"查看空间占用：设置 → 通用 → iPhone 储存空间。", "See what uses space: Settings → General → iPhone Storage.", "", ""}},
	},
}

// steps returns the steps of a cause for the platform, in the language.
func steps(code, platform string, zh bool) []Step {
	list := append([]stepText{}, commonSteps[code]...)
	if byPlatform, ok := platformSteps[code]; ok {
		extra, ok := byPlatform[platform]
		if !ok {
			extra = byPlatform[""]
		}
		list = append(list, extra...)
	}
	out := make([]Step, 0, len(list))
	for _, s := range list {
		if zh {
			out = append(out, Step{Text: s.zh, Risk: s.riskZh})
		} else {
			out = append(out, Step{Text: s.en, Risk: s.riskEn})
		}
	}
	for _, s := range linkedSteps[code] {
		if zh {
			out = append(out, Step{Text: s.zh, Link: s.link})
		} else {
			out = append(out, Step{Text: s.en, Link: s.link})
		}
	}
	return out
}

// Causes lists every cause code, in the order of the issue that fixed them.
var Causes = []string{NetworkOffline, NetworkUnstable, AppOutdated, AppKnownCrash, AccountFrozen, AccountLoginRestricted,
	DeviceStorageLow, DeviceMemoryLow, DeviceOSUnsupported, ServiceIncident, AppMalfunction, Unknown,
	ScamContact, DeviceLost, FundsMissing}

// Title is a cause's title in lang ("zh-CN" or "en"); unknown codes are
// returned as they are.
func Title(code, lang string) string {
	t, ok := titles[code]
	if !ok {
		return code
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}
