package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
)

var now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func facts() diagnose.Facts {
	return diagnose.Facts{
		Policies: map[string]*okcare.ReleasePolicy{
			"android": {Platform: "android", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "8",
				KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "crashes on Android 14"}}},
			"ios": {Platform: "ios", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "15"},
		},
		Now: now,
	}
}

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }

func TestDiagnose(t *testing.T) {
	frozen := &okcare.User{State: okcare.AccountFrozen, StateReason: "suspicious_activity"}
	until := now.Add(time.Hour)
	restricted := &okcare.User{State: okcare.AccountLoginRestricted, StateReason: "too_many_failed_logins", RestrictedUntil: &until}
	outage := []*okcare.Incident{{Title: "API outage", Severity: okcare.SeverityMajor, Status: okcare.IncidentInvestigating}}
	for _, tt := range []struct {
		name      string
		req       diagnose.Request
		user      *okcare.User
		incidents []*okcare.Incident
		top       string
		escalate  bool
	}{
		{name: "crash text alone", req: diagnose.Request{Lang: "zh-CN", Symptom: "crash", Description: "打开就闪退"}, top: diagnose.AppMalfunction},
		{name: "traditional chinese", req: diagnose.Request{Lang: "zh-CN", Description: "帳號被凍結了"}, top: diagnose.AccountFrozen, escalate: true},
		{name: "english typo", req: diagnose.Request{Lang: "en", Description: "cant conect to the sever"}, top: diagnose.NetworkOffline},
		{name: "spinner", req: diagnose.Request{Lang: "zh-CN", Description: "一直转圈"}, top: diagnose.NetworkUnstable},
		{name: "error text", req: diagnose.Request{Lang: "zh-CN", ErrorText: "提示无法连接服务器"}, top: diagnose.NetworkOffline},
		{name: "known bad version beats text", req: diagnose.Request{Lang: "en", Symptom: "crash", Description: "my account is frozen?", App: &diagnose.App{Platform: "android", Version: "5.1.2"}}, top: diagnose.AppKnownCrash},
		{name: "min version", req: diagnose.Request{Lang: "en", Description: "keeps loading", App: &diagnose.App{Platform: "android", Version: "4.9.0"}}, top: diagnose.AppOutdated},
		{name: "old os", req: diagnose.Request{Lang: "en", App: &diagnose.App{Platform: "ios", Version: "5.3.0"}, Device: &diagnose.Device{OSVersion: "14.8"}}, top: diagnose.DeviceOSUnsupported},
		{name: "account truth beats text", req: diagnose.Request{Lang: "zh-CN", Description: "一直转圈"}, user: frozen, top: diagnose.AccountFrozen, escalate: true},
		{name: "restricted account", req: diagnose.Request{Lang: "en", Symptom: "error_message"}, user: restricted, top: diagnose.AccountLoginRestricted, escalate: true},
		{name: "outage", req: diagnose.Request{Lang: "en", Symptom: "stuck_loading"}, incidents: outage, top: diagnose.ServiceIncident},
		{name: "offline device", req: diagnose.Request{Lang: "en", Network: &diagnose.Network{Type: "none"}}, top: diagnose.NetworkOffline},
		{name: "unreachable", req: diagnose.Request{Lang: "en", Network: &diagnose.Network{Type: "wifi", Reachable: boolp(false)}}, top: diagnose.NetworkOffline},
		{name: "slow network", req: diagnose.Request{Lang: "en", Network: &diagnose.Network{Type: "cellular", LatencyMS: intp(4000)}}, top: diagnose.NetworkUnstable},
		{name: "low storage", req: diagnose.Request{Lang: "zh-CN", Symptom: "crash", Device: &diagnose.Device{OSVersion: "14", FreeStorageMB: intp(50)}}, top: diagnose.DeviceStorageLow},
		{name: "nothing known", req: diagnose.Request{Lang: "en", Description: "qwxz"}, top: diagnose.Unknown, escalate: true},
		{name: "empty", req: diagnose.Request{Lang: "en"}, top: diagnose.Unknown, escalate: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := diagnose.Validate(&tt.req); err != nil {
				t.Fatal(err)
			}
			f := facts()
			f.User, f.Incidents = tt.user, tt.incidents
			res := diagnose.Diagnose(&tt.req, f)
			top := res.Causes[0]
			if top.Code != tt.top || res.Escalate != tt.escalate {
				t.Fatalf("top %s (%.2f) escalate %v; want %s escalate %v; all: %+v", top.Code, top.Confidence, res.Escalate, tt.top, tt.escalate, res.Causes)
			}
			for i, c := range res.Causes {
				if c.Title == "" || len(c.Steps) == 0 || len(c.Articles) == 0 || c.Confidence <= 0 || c.Confidence > 1 {
					t.Errorf("cause %d incomplete: %+v", i, c)
				}
				if i > 0 && !res.Causes[i-1].Blocking && c.Blocking {
					t.Errorf("blocking cause %s ranked below a soft one", c.Code)
				}
			}
			if res.TicketPrefill["category"] != tt.top {
				t.Errorf("prefill category %v", res.TicketPrefill["category"])
			}
		})
	}
}

func TestStepsArePlatformSpecificAndLocalized(t *testing.T) {
	run := func(lang, platform string) []diagnose.Step {
		req := &diagnose.Request{Lang: lang, Symptom: "crash", Description: "打开就闪退", App: &diagnose.App{Platform: platform, Version: "5.3.0"}}
		res := diagnose.Diagnose(req, facts())
		for _, c := range res.Causes {
			if c.Code == diagnose.AppMalfunction {
				return c.Steps
			}
		}
		t.Fatalf("no app_malfunction for %s/%s", lang, platform)
		return nil
	}
	join := func(steps []diagnose.Step) string {
		var b strings.Builder
		for _, s := range steps {
			b.WriteString(s.Text + " | " + s.Risk + "\n")
		}
		return b.String()
	}
	android, ios, zhAndroid := join(run("en", "android")), join(run("en", "ios")), join(run("zh-CN", "android"))
	if !strings.Contains(android, "Settings → Apps → OK Wallet → Storage → Clear cache") || strings.Contains(android, "Offload") {
		t.Errorf("android steps:\n%s", android)
	}
	if !strings.Contains(ios, "no per-app cache clearing") || !strings.Contains(ios, "Offload App") {
		t.Errorf("ios steps:\n%s", ios)
	}
	if !strings.Contains(android, "never loses them") || !strings.Contains(android, "password and two-factor code") {
		t.Errorf("reinstall step does not say what it risks:\n%s", android)
	}
	if !strings.Contains(zhAndroid, "设置 → 应用 → OK 钱包 → 存储 → 清除缓存") {
		t.Errorf("zh steps:\n%s", zhAndroid)
	}
}

func TestValidate(t *testing.T) {
	for _, bad := range []diagnose.Request{
		{Lang: "fr"},
		{Lang: "en", Symptom: "exploded"},
		{Lang: "en", Description: strings.Repeat("字", diagnose.MaxDescription+1)},
		{Lang: "en", App: &diagnose.App{Platform: "symbian", Version: "1.0"}},
		{Lang: "en", App: &diagnose.App{Platform: "ios", Version: "latest"}},
		{Lang: "en", Device: &diagnose.Device{OSVersion: "fourteen"}},
		{Lang: "en", Device: &diagnose.Device{FreeStorageMB: intp(-1)}},
		{Lang: "en", Network: &diagnose.Network{Type: "5g"}},
		{Lang: "en", Network: &diagnose.Network{Type: "wifi", LatencyMS: intp(-5)}},
	} {
		if err := diagnose.Validate(&bad); err == nil {
			t.Errorf("Validate(%+v) accepted", bad)
		}
	}
}

func TestEveryCauseHasContent(t *testing.T) {
	codes := []string{diagnose.NetworkOffline, diagnose.NetworkUnstable, diagnose.AppOutdated, diagnose.AppKnownCrash, diagnose.AccountFrozen,
		diagnose.AccountLoginRestricted, diagnose.DeviceStorageLow, diagnose.DeviceMemoryLow, diagnose.DeviceOSUnsupported,
		diagnose.ServiceIncident, diagnose.AppMalfunction, diagnose.ScamContact, diagnose.DeviceLost, diagnose.FundsMissing}
	examples := map[string]int{}
	for _, e := range diagnose.Examples() {
		examples[e.Cause]++
	}
	for _, c := range codes {
		if examples[c] < 12 {
			t.Errorf("%s has %d labelled examples, want at least 12", c, examples[c])
		}
	}
}

// TestKnownBadNoteInTheReadersLanguage: a known-bad version's note is
// shown in the reader's language only.
func TestKnownBadNoteInTheReadersLanguage(t *testing.T) {
	f := facts()
	f.Policies["android"].KnownBad = []okcare.KnownBadVersion{{Version: "5.1.2", Note: "部分安卓 14 设备启动闪退。", NoteEN: "Crashes on some Android 14 phones."}}
	for _, tt := range []struct{ lang, want, not string }{
		{"zh-CN", "部分安卓 14 设备启动闪退。", "Crashes"},
		{"en", "Crashes on some Android 14 phones.", "闪退"},
	} {
		res := diagnose.Diagnose(&diagnose.Request{Lang: tt.lang, Symptom: "crash", App: &diagnose.App{Platform: "android", Version: "5.1.2"}}, f)
		top := res.Causes[0]
		evidence := strings.Join(top.Evidence, "\n")
		if top.Code != diagnose.AppKnownCrash || !strings.Contains(evidence, tt.want) || strings.Contains(evidence, tt.not) {
			t.Errorf("%s: %s\n%s", tt.lang, top.Code, evidence)
		}
	}
	// Without an English note, English readers get the only one there is.
	f.Policies["android"].KnownBad[0].NoteEN = ""
	res := diagnose.Diagnose(&diagnose.Request{Lang: "en", Symptom: "crash", App: &diagnose.App{Platform: "android", Version: "5.1.2"}}, f)
	if !strings.Contains(strings.Join(res.Causes[0].Evidence, "\n"), "部分安卓 14 设备启动闪退。") {
		t.Errorf("no fallback to the Chinese note: %v", res.Causes[0].Evidence)
	}
}

// TestFrozenReasonInWords: the customer reads why their account is frozen
// in words, never a reason code; a code with no words is left out.
func TestFrozenReasonInWords(t *testing.T) {
	for _, tt := range []struct{ reason, lang, want string }{
		{"suspicious_activity", "zh-CN", "您的账户当前为冻结状态（原因：检测到可疑活动）。"},
		{"suspicious_activity", "en", "Your account is frozen (reason: suspicious activity)."},
		{"aml_case_4711", "zh-CN", "您的账户当前为冻结状态。"},
		{"aml_case_4711", "en", "Your account is frozen."},
	} {
		f := facts()
		f.User = &okcare.User{State: okcare.AccountFrozen, StateReason: tt.reason}
		res := diagnose.Diagnose(&diagnose.Request{Lang: tt.lang, Description: "打不开"}, f)
		if got := res.Causes[0].Evidence; res.Causes[0].Code != diagnose.AccountFrozen || len(got) == 0 || got[0] != tt.want {
			t.Errorf("%s/%s: %s %q", tt.reason, tt.lang, res.Causes[0].Code, got)
		}
	}
}
