package diagnose

import (
	"fmt"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/version"
)

type adder func(code string, s signal)

// frozenReasons say why an account was frozen, in words a customer reads;
// other reason codes are staff shorthand and are not shown.
var frozenReasons = map[string][2]string{
	okcare.ReasonSuspiciousActivity: {"检测到可疑活动", "suspicious activity"},
	okcare.ReasonRiskReview:         {"风控审核", "a risk review"},
	okcare.ReasonSecurityReview:     {"安全审核", "a security review"},
	okcare.ReasonUserRequest:        {"您本人申请", "your own request"},
	okcare.ReasonCustomerRequest:    {"您本人申请紧急冻结", "your own emergency freeze"},
}

// serverSignals reads the server's truth: it needs no belief from the user.
func serverSignals(r *Request, f Facts, add adder) {
	if u := f.User; u != nil {
		switch u.EffectiveState(f.Now) {
		case okcare.AccountFrozen:
			zh, en := "您的账户当前为冻结状态。", "Your account is frozen."
			if why, ok := frozenReasons[u.StateReason]; ok {
				zh, en = "您的账户当前为冻结状态（原因："+why[0]+"）。", "Your account is frozen (reason: "+why[1]+")."
			}
			add(AccountFrozen, signal{0.98, true, [2]string{zh, en}})
		case okcare.AccountLoginRestricted:
			until := ""
			if u.RestrictedUntil != nil {
				until = u.RestrictedUntil.Format("2006-01-02 15:04 MST")
			}
			add(AccountLoginRestricted, signal{0.95, true, [2]string{"您的账户登录受限" + suffix("，至 ", until) + "。", "Sign-in to your account is restricted" + suffix(" until ", until) + "."}})
		}
	}
	for _, inc := range f.Incidents {
		if inc.Status == okcare.IncidentResolved {
			continue
		}
		p := 0.6
		if inc.Severity == okcare.SeverityMajor || inc.Severity == okcare.SeverityMaintenance {
			p = 0.9
		}
		titleEN, _ := inc.Localized("en")
		add(ServiceIncident, signal{p, inc.Severity != okcare.SeverityMinor, [2]string{"当前有服务事件：" + inc.Title, "An incident is under way: " + titleEN}})
	}
	if r.App == nil {
		return
	}
	policy := f.Policies[r.App.Platform]
	if policy == nil {
		return
	}
	app, _ := version.Parse(r.App.Version)
	if lessThan(app, policy.MinVersion) {
		add(AppOutdated, signal{0.99, true, [2]string{
			fmt.Sprintf("您的版本 %s 低于最低要求 %s，必须更新。", r.App.Version, policy.MinVersion),
			fmt.Sprintf("Your version %s is below the minimum %s and must be updated.", r.App.Version, policy.MinVersion)}})
	} else if lessThan(app, policy.LatestVersion) {
		add(AppOutdated, signal{0.35, false, [2]string{
			fmt.Sprintf("有新版本 %s（您的版本 %s）。", policy.LatestVersion, r.App.Version),
			fmt.Sprintf("A newer version %s is available (you have %s).", policy.LatestVersion, r.App.Version)}})
	}
	for _, kb := range policy.KnownBad {
		if v, err := version.Parse(kb.Version); err == nil && version.Compare(v, app) == 0 {
			add(AppKnownCrash, signal{0.95, true, [2]string{"版本 " + kb.Version + " 存在已知问题：" + kb.LocalizedNote(okcare.LangZH), "Version " + kb.Version + " has a known problem: " + kb.LocalizedNote(okcare.LangEN)}})
		}
	}
	if r.Device != nil && r.Device.OSVersion != "" {
		osv, _ := version.Parse(r.Device.OSVersion)
		if lessThan(osv, policy.MinOSVersion) {
			add(DeviceOSUnsupported, signal{0.97, true, [2]string{
				fmt.Sprintf("系统版本 %s 低于最低要求 %s。", r.Device.OSVersion, policy.MinOSVersion),
				fmt.Sprintf("OS version %s is below the minimum %s.", r.Device.OSVersion, policy.MinOSVersion)}})
		}
	}
}

func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

func lessThan(v version.Version, limit string) bool {
	l, err := version.Parse(limit)
	return err == nil && version.Compare(v, l) < 0
}

// Thresholds for device and network facts.
const (
	lowStorageMB  = 200
	lowMemoryMB   = 150
	slowNetworkMS = 1500
)

// deviceSignals reads what the phone reports about itself.
func deviceSignals(r *Request, add adder) {
	if n := r.Network; n != nil {
		if n.Type == "none" {
			add(NetworkOffline, signal{0.9, false, [2]string{"手机当前没有网络连接。", "The phone has no network connection."}})
		} else if n.Reachable != nil && !*n.Reachable {
			add(NetworkOffline, signal{0.85, false, [2]string{"手机无法访问我们的服务器。", "The phone cannot reach our servers."}})
		}
		if n.LatencyMS != nil && *n.LatencyMS >= slowNetworkMS {
			add(NetworkUnstable, signal{0.7, false, [2]string{fmt.Sprintf("网络延迟很高（%d 毫秒）。", *n.LatencyMS), fmt.Sprintf("Network latency is high (%d ms).", *n.LatencyMS)}})
		}
		if n.PublicWiFi != nil && *n.PublicWiFi {
			add(NetworkUnstable, signal{0.3, false, [2]string{"正在使用公共 Wi-Fi，可能拦截或不稳定。", "On public Wi-Fi, which may block or drop connections."}})
		}
	}
	if d := r.Device; d != nil {
		if d.FreeStorageMB != nil && *d.FreeStorageMB < lowStorageMB {
			add(DeviceStorageLow, signal{0.75, false, [2]string{fmt.Sprintf("可用存储空间只有 %d MB。", *d.FreeStorageMB), fmt.Sprintf("Only %d MB of storage is free.", *d.FreeStorageMB)}})
		}
		if d.FreeMemoryMB != nil && *d.FreeMemoryMB < lowMemoryMB {
			add(DeviceMemoryLow, signal{0.6, false, [2]string{fmt.Sprintf("可用运行内存只有 %d MB。", *d.FreeMemoryMB), fmt.Sprintf("Only %d MB of memory is free.", *d.FreeMemoryMB)}})
		}
	}
}

// textWeight scales the classifier's belief: words are softer evidence
// than facts.
const textWeight = 0.7

// textSignals reads the user's own words. Words can say "it crashes after
// the update" but not that the crash is a known one: that is a fact of the
// release policy. So text evidence for app_known_crash counts for
// app_malfunction unless the server already knows the version is bad.
func textSignals(r *Request, signals map[string][]signal, add adder) {
	text := strings.TrimSpace(r.Description + "\n" + r.ErrorText)
	if text == "" {
		return
	}
	post, known := textModel.posterior(text)
	if known == 0 {
		return // nothing the model recognises: no opinion
	}
	quote := text
	if utf8Len(quote) > 60 {
		quote = string([]rune(quote)[:60]) + "…"
	}
	if len(signals[AppKnownCrash]) == 0 {
		post[AppMalfunction] += post[AppKnownCrash]
		delete(post, AppKnownCrash)
	}
	for code, p := range post {
		if p < 0.15 {
			continue
		}
		add(code, signal{p * textWeight, false, [2]string{"您的描述：“" + quote + "”", "Your description: \"" + quote + "\""}})
	}
}

func utf8Len(s string) int { return len([]rune(s)) }

// symptomSignals adds what the chosen symptom suggests, softly, and only
// where nothing stronger already points.
func symptomSignals(r *Request, signals map[string][]signal, add adder) {
	ev := func(zh, en string) [2]string { return [2]string{zh, en} }
	switch r.Symptom {
	case "crash":
		if len(signals[AppKnownCrash]) == 0 {
			add(AppMalfunction, signal{0.35, false, ev("应用启动时闪退。", "The app crashes on launch.")})
		}
	case "stuck_loading":
		add(NetworkUnstable, signal{0.35, false, ev("应用一直停在加载中。", "The app stays on the loading screen.")})
	case "error_message":
		add(NetworkOffline, signal{0.2, false, ev("应用显示了错误提示。", "The app shows an error message.")})
	}
}
