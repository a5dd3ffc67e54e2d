package diagnose

import (
	"fmt"

	"github.com/okcare/okcare"
)

// frozenReasons say why an account was frozen, in words a customer reads;
// other reason codes are staff shorthand and are not shown.
var frozenReasons = map[string][2]string{
	okcare.ReasonSuspiciousActivity: {"检测到可疑活动", "suspicious activity"},
	okcare.ReasonRiskReview:         {"风控审核", "a risk review"},
	okcare.ReasonSecurityReview:     {"安全审核", "a security review"},
	okcare.ReasonUserRequest:        {"您本人申请", "your own request"},
	okcare.ReasonCustomerRequest:    {"您本人申请紧急冻结", "your own emergency freeze"},
}

// evidence is what the facts say for each cause, in both languages
// ([zh-CN, en]); it explains a ranking, it does not make it.
func evidence(r *Request, f Facts, s *situation) map[string][][2]string {
	ev := map[string][][2]string{}
	add := func(code, zh, en string) { ev[code] = append(ev[code], [2]string{zh, en}) }
	switch s.account {
	case okcare.AccountFrozen:
		zh, en := "您的账户当前为冻结状态。", "Your account is frozen."
		if why, ok := frozenReasons[f.User.StateReason]; ok {
			zh, en = "您的账户当前为冻结状态（原因："+why[0]+"）。", "Your account is frozen (reason: "+why[1]+")."
		}
		add(AccountFrozen, zh, en)
	case okcare.AccountLoginRestricted:
		until := ""
		if f.User.RestrictedUntil != nil {
			until = f.User.RestrictedUntil.Format("2006-01-02 15:04 MST")
		}
		add(AccountLoginRestricted, "您的账户登录受限"+suffix("，至 ", until)+"。", "Sign-in to your account is restricted"+suffix(" until ", until)+".")
	}
	for _, inc := range s.incidents {
		titleEN, _ := inc.Localized("en")
		add(ServiceIncident, "当前有服务事件："+inc.Title, "An incident is under way: "+titleEN)
	}
	said := r.App == nil || r.App.Version == "" // the version came from the text
	if s.appVer != "" {
		src := [2]string{"", ""}
		if said {
			src = [2]string{"（根据您的描述）", " (from your description)"}
		}
		switch p := s.policy; {
		case s.app == "below_min" && p != nil:
			add(AppOutdated, fmt.Sprintf("您的版本 %s%s 低于最低要求 %s，必须更新。", s.appVer, src[0], p.MinVersion),
				fmt.Sprintf("Your version %s%s is below the minimum %s and must be updated.", s.appVer, src[1], p.MinVersion))
		case s.app == "below_min":
			add(AppOutdated, fmt.Sprintf("您的版本 %s%s 低于最低要求，必须更新。", s.appVer, src[0]), fmt.Sprintf("Your version %s%s is below the minimum and must be updated.", s.appVer, src[1]))
		case s.app == "supported" && p != nil:
			add(AppOutdated, fmt.Sprintf("有新版本 %s（您的版本 %s）。", p.LatestVersion, s.appVer), fmt.Sprintf("A newer version %s is available (you have %s).", p.LatestVersion, s.appVer))
		case s.app == "known_bad" && s.knownBad != nil:
			kb := s.knownBad
			add(AppKnownCrash, "版本 "+kb.Version+src[0]+" 存在已知问题："+kb.LocalizedNote(okcare.LangZH), "Version "+kb.Version+src[1]+" has a known problem: "+kb.LocalizedNote(okcare.LangEN))
		case s.app == "maybe_known_bad":
			add(AppKnownCrash, "版本 "+s.appVer+" 在部分平台上存在已知的闪退问题。", "Version "+s.appVer+" has a known crash on some platforms.")
		}
	}
	if s.os == "below_min" {
		add(DeviceOSUnsupported, fmt.Sprintf("系统版本 %s 低于最低要求。", s.osVer), fmt.Sprintf("OS version %s is below the minimum.", s.osVer))
	}
	if n := r.Network; n != nil {
		if n.Type == "none" {
			add(NetworkOffline, "手机当前没有网络连接。", "The phone has no network connection.")
		} else if n.Reachable != nil && !*n.Reachable {
			add(NetworkOffline, "手机无法访问我们的服务器。", "The phone cannot reach our servers.")
		}
		if n.LatencyMS != nil && *n.LatencyMS >= slowNetworkMS {
			add(NetworkUnstable, fmt.Sprintf("网络延迟很高（%d 毫秒）。", *n.LatencyMS), fmt.Sprintf("Network latency is high (%d ms).", *n.LatencyMS))
		}
		if n.PublicWiFi != nil && *n.PublicWiFi {
			add(NetworkUnstable, "正在使用公共 Wi-Fi，可能拦截或不稳定。", "On public Wi-Fi, which may block or drop connections.")
		}
	}
	if s.storage != nil && *s.storage < plentyStorageMB {
		add(DeviceStorageLow, fmt.Sprintf("可用存储空间只有 %d MB。", *s.storage), fmt.Sprintf("Only %d MB of storage is free.", *s.storage))
	} else if s.tf.StorageLow {
		add(DeviceStorageLow, "您提到手机存储空间不足。", "You said the phone is short of storage.")
	}
	if s.memory != nil && *s.memory < plentyMemoryMB {
		add(DeviceMemoryLow, fmt.Sprintf("可用运行内存只有 %d MB。", *s.memory), fmt.Sprintf("Only %d MB of memory is free.", *s.memory))
	} else if s.tf.MemoryLow {
		add(DeviceMemoryLow, "您提到手机运行内存不足。", "You said the phone is short of memory.")
	}
	if s.healthy(r) {
		add(AppMalfunction, "版本、网络和手机空间都正常，问题出在应用本身。", "Your version, network and phone's space are all fine, so the fault is in the app itself.")
	}
	return ev
}

// findings are what the server's truth says against the user's guess:
// "is my account frozen?" from an active account hears that it is not.
func findings(r *Request, s *situation, top string) [][2]string {
	var out [][2]string
	has := func(concepts ...string) bool {
		for _, c := range concepts {
			if s.has(c) {
				return true
			}
		}
		return false
	}
	if s.account == okcare.AccountActive && has("frozen", "restricted", "account_q") {
		out = append(out, [2]string{"我们查询了您的账户：状态正常，没有被冻结，也没有登录限制，这不是打不开的原因。",
			"We checked your account: it is active, not frozen and not restricted, so that is not why the app fails."})
	}
	if s.app == "latest" && top != AppOutdated && has("version_q", "update_required") {
		out = append(out, [2]string{"您使用的已是最新版本（" + s.appVer + "），版本不是原因。", "You already have the latest version (" + s.appVer + "), so the version is not the cause."})
	}
	if n := r.Network; n != nil && n.Type != "none" && n.Reachable != nil && *n.Reachable && top != NetworkOffline && has("network_q", "network_error", "server_q") {
		out = append(out, [2]string{"您的手机可以正常访问我们的服务器，网络连接不是原因。", "Your phone reaches our servers, so the connection is not the cause."})
	}
	if len(s.incidents) == 0 && top != ServiceIncident && has("server_q") {
		out = append(out, [2]string{"目前我们没有已知的服务故障。", "We have no known service problem right now."})
	}
	return out
}

func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
