package diagnose_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
)

// TestFactsExplainAway: a device, network or server fact that explains a
// symptom outranks what the words suggest, and server truth is final.
func TestFactsExplainAway(t *testing.T) {
	active := &okcare.User{State: okcare.AccountActive}
	frozen := &okcare.User{State: okcare.AccountFrozen}
	fine := func(r diagnose.Request) diagnose.Request {
		r.App = &diagnose.App{Platform: "android", Version: "5.3.0"}
		r.Device = &diagnose.Device{OSVersion: "14", FreeStorageMB: intp(30000), FreeMemoryMB: intp(3000)}
		r.Network = &diagnose.Network{Type: "wifi", Reachable: boolp(true), LatencyMS: intp(40)}
		return r
	}
	for _, tt := range []struct {
		name string
		req  diagnose.Request
		user *okcare.User
		top  string
	}{
		{"20 MB free explains a crash", diagnose.Request{Lang: "zh-CN", Symptom: "crash", Description: "一打开就闪退", Device: &diagnose.Device{FreeStorageMB: intp(20)}}, nil, diagnose.DeviceStorageLow},
		{"55 MB of memory explains a crash", diagnose.Request{Lang: "en", Description: "crashes after the splash screen", Device: &diagnose.Device{FreeMemoryMB: intp(55)}}, nil, diagnose.DeviceMemoryLow},
		{"storage in the words", diagnose.Request{Lang: "en", Description: "crashes on open, only 20MB left"}, nil, diagnose.DeviceStorageLow},
		{"memory in the words", diagnose.Request{Lang: "zh-CN", Description: "内存只剩几十M，钱包闪退"}, nil, diagnose.DeviceMemoryLow},
		{"known-bad version in the words", diagnose.Request{Lang: "zh-CN", Description: "安卓版5.1.2一打开就闪退"}, nil, diagnose.AppKnownCrash},
		{"supported version in the words is not a known crash", diagnose.Request{Lang: "zh-CN", Description: "安卓版5.2.0一打开就闪退，网络正常，空间也够"}, nil, diagnose.AppMalfunction},
		{"old OS in the words", diagnose.Request{Lang: "zh-CN", Description: "我是安卓7的手机，钱包打不开"}, nil, diagnose.DeviceOSUnsupported},
		{"old iOS in the words", diagnose.Request{Lang: "en", Description: "iPhone on iOS 12, wallet won't open"}, nil, diagnose.DeviceOSUnsupported},
		{"old app in the words", diagnose.Request{Lang: "en", Description: "V4.8.3 (2201) won't open"}, nil, diagnose.AppOutdated},
		{"no network explains a spinner", diagnose.Request{Lang: "zh-CN", Description: "一直转圈", Network: &diagnose.Network{Type: "none"}}, nil, diagnose.NetworkOffline},
		{"frozen whatever the text says", diagnose.Request{Lang: "en", Description: "my phone storage is full and it crashes"}, frozen, diagnose.AccountFrozen},
		{"everything fine and still broken", fine(diagnose.Request{Lang: "en", Description: "still a white screen after clearing the cache and reinstalling"}), nil, diagnose.AppMalfunction},
		{"everything fine in the words", diagnose.Request{Lang: "zh-CN", Description: "网络正常、已经是最新版本、手机空间也够，清了缓存还重装了，还是白屏"}, nil, diagnose.AppMalfunction},
		{"active account asking if frozen, healthy phone", fine(diagnose.Request{Lang: "zh-CN", Description: "是不是账户被冻结了？打不开"}), active, diagnose.AppMalfunction},
		{"active account asking if frozen, full phone", diagnose.Request{Lang: "zh-CN", Description: "是不是账户被冻结了？打不开", Device: &diagnose.Device{FreeStorageMB: intp(15)}}, active, diagnose.DeviceStorageLow},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := diagnose.Validate(&tt.req); err != nil {
				t.Fatal(err)
			}
			f := facts()
			f.User = tt.user
			res := diagnose.Diagnose(&tt.req, f)
			if res.Causes[0].Code != tt.top {
				t.Fatalf("top %s (%.2f), want %s; all %+v", res.Causes[0].Code, res.Causes[0].Confidence, tt.top, res.Causes)
			}
		})
	}
}

// TestServerTruthContradicts: an active account that asks whether it is
// frozen hears, in its language, that it is not, and is never told the
// account is the cause.
func TestServerTruthContradicts(t *testing.T) {
	for _, tt := range []struct{ lang, text, want string }{
		{"zh-CN", "是不是账户被冻结了", "状态正常，没有被冻结"},
		{"en", "is my account frozen? it won't open", "it is active, not frozen"},
	} {
		f := facts()
		f.User = &okcare.User{State: okcare.AccountActive}
		req := &diagnose.Request{Lang: tt.lang, Description: tt.text}
		res := diagnose.Diagnose(req, f)
		for _, c := range res.Causes {
			if c.Code == diagnose.AccountFrozen || c.Code == diagnose.AccountLoginRestricted {
				t.Errorf("%s: an active account is offered %s", tt.lang, c.Code)
			}
		}
		if len(res.Findings) != 1 || !strings.Contains(res.Findings[0], tt.want) || !strings.Contains(strings.Join(res.Causes[0].Evidence, "\n"), tt.want) {
			t.Errorf("%s: findings %q, top evidence %q", tt.lang, res.Findings, res.Causes[0].Evidence)
		}
		// Anonymous, the same words point at the account.
		f.User = nil
		if res := diagnose.Diagnose(req, f); res.Causes[0].Code != diagnose.AccountFrozen || len(res.Findings) != 0 {
			t.Errorf("%s anonymous: %s %q", tt.lang, res.Causes[0].Code, res.Findings)
		}
	}
}

// TestTakeoverCauses: scam, lost-phone and missing-money stories get
// their causes and steps in both languages, the first two pointing to the
// emergency freeze and the official-channel check.
func TestTakeoverCauses(t *testing.T) {
	for _, tt := range []struct {
		lang, text, top string
		links           []string
	}{
		{"zh-CN", "有个自称客服的人打电话让我把验证码告诉他", diagnose.ScamContact, []string{diagnose.FreezePath, diagnose.VerifyPath}},
		{"en", "someone on WhatsApp pretending to be support asked for my seed phrase", diagnose.ScamContact, []string{diagnose.FreezePath, diagnose.VerifyPath}},
		{"zh-CN", "我的手机昨天被偷了，钱包还登录着", diagnose.DeviceLost, []string{diagnose.FreezePath, diagnose.VerifyPath}},
		{"en", "I lost my phone on the bus", diagnose.DeviceLost, []string{diagnose.FreezePath, diagnose.VerifyPath}},
		{"zh-CN", "转账给朋友三个小时了还没到账", diagnose.FundsMissing, nil},
		{"en", "my balance dropped and I did not send anything", diagnose.FundsMissing, nil},
	} {
		res := diagnose.Diagnose(&diagnose.Request{Lang: tt.lang, Description: tt.text}, facts())
		top := res.Causes[0]
		if top.Code != tt.top || !res.Escalate {
			t.Errorf("%q: top %s escalate %v", tt.text, top.Code, res.Escalate)
			continue
		}
		var links []string
		text := ""
		for _, s := range top.Steps {
			if s.Link != "" {
				links = append(links, s.Link)
			}
			text += s.Text
		}
		if !reflect.DeepEqual(links, tt.links) {
			t.Errorf("%q: links %v, want %v", tt.text, links, tt.links)
		}
		if zh := strings.ContainsAny(text, "的客"); zh != (tt.lang == "zh-CN") || !strings.Contains(strings.ToLower(text), map[string]string{"zh-CN": "客服", "en": "support"}[tt.lang]) {
			t.Errorf("%q: steps not in %s or without support: %s", tt.text, tt.lang, text)
		}
	}
}

// TestDeterministic: the same request gets the same answer.
func TestDeterministic(t *testing.T) {
	req := &diagnose.Request{Lang: "zh-CN", Symptom: "crash", Description: "一打开就闪退，是不是网络问题", Device: &diagnose.Device{FreeMemoryMB: intp(90)}}
	a, b := diagnose.Diagnose(req, facts()), diagnose.Diagnose(req, facts())
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two answers:\n%+v\n%+v", a, b)
	}
}
