package diagnose_test

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
)

// Scam, lost-phone and missing-money stories, in both languages, get
// their own causes before any launch cause, with steps that lead to the
// emergency freeze, the official-channel check and support, and the
// ticket is offered (escalate).
func TestSafetyCauses(t *testing.T) {
	frozen := &okcare.User{State: okcare.AccountFrozen, StateReason: okcare.ReasonCustomerRequest}
	knownBad := &diagnose.App{Platform: "android", Version: "5.1.2"}
	for _, tt := range []struct {
		lang, text string
		app        *diagnose.App
		user       *okcare.User
		top        string
		second     string
	}{
		{"zh-CN", "客服让我提供助记词", nil, nil, diagnose.ScamContact, ""},
		{"zh-CN", "客服让我提供验证码", nil, nil, diagnose.ScamContact, ""},
		{"zh-CN", "有个自称客服的人让我提供助记词才能解冻", nil, nil, diagnose.ScamContact, ""},
		{"en", "someone from support called me", nil, nil, diagnose.ScamContact, ""},
		{"zh-CN", "收到短信说账户异常 点链接", nil, nil, diagnose.ScamContact, ""},
		{"en", "a man on WhatsApp says he is OK Wallet staff and wants my seed phrase", nil, nil, diagnose.ScamContact, ""},
		{"zh-CN", "手机丢了", nil, nil, diagnose.DeviceLost, ""},
		{"zh-CN", "手机被偷了", nil, nil, diagnose.DeviceLost, ""},
		{"zh-CN", "手机掉了，怕钱被转走", nil, nil, diagnose.DeviceLost, ""},
		{"en", "my phone got stolen on the bus", nil, nil, diagnose.DeviceLost, ""},
		{"en", "my money is gone", nil, nil, diagnose.FundsMissing, ""},
		{"zh-CN", "转账没到账", nil, nil, diagnose.FundsMissing, ""},
		{"en", "the transfer to my sister never arrived", nil, nil, diagnose.FundsMissing, ""},
		{"en", "someone stole my money", nil, nil, diagnose.FundsMissing, ""},
		// Before a launch cause the server knows, even a blocking one.
		{"zh-CN", "客服让我提供助记词", knownBad, nil, diagnose.ScamContact, diagnose.AppKnownCrash},
		// After the account's own state: a frozen account is told first.
		{"zh-CN", "手机丢了", nil, frozen, diagnose.AccountFrozen, diagnose.DeviceLost},
	} {
		t.Run(tt.text, func(t *testing.T) {
			req := &diagnose.Request{Lang: tt.lang, Description: tt.text, App: tt.app}
			if err := diagnose.Validate(req); err != nil {
				t.Fatal(err)
			}
			f := facts()
			f.User = tt.user
			res := diagnose.Diagnose(req, f)
			if res.Causes[0].Code != tt.top || !res.Escalate {
				t.Fatalf("top %s escalate %v; all %+v", res.Causes[0].Code, res.Escalate, res.Causes)
			}
			if tt.second != "" && (len(res.Causes) < 2 || res.Causes[1].Code != tt.second) {
				t.Fatalf("second: %+v", res.Causes)
			}
		})
	}
}

func TestSafetyStepsLeadToTheHelpCenter(t *testing.T) {
	for _, tt := range []struct {
		code, text string
		links      []string
	}{
		{diagnose.ScamContact, "someone from support called me and asked for my code", []string{"/support/freeze", "/verify", "/support/contact"}},
		{diagnose.DeviceLost, "lost my phone", []string{"/support/freeze", "/support/forgot", "/support/contact"}},
		{diagnose.FundsMissing, "my money is gone", []string{"/support/freeze", "/support/contact", "/verify"}},
	} {
		for _, lang := range []string{"zh-CN", "en"} {
			res := diagnose.Diagnose(&diagnose.Request{Lang: lang, Description: tt.text}, facts())
			c := res.Causes[0]
			if c.Code != tt.code {
				t.Fatalf("%s: top %s", tt.text, c.Code)
			}
			var links []string
			for _, s := range c.Steps {
				han := strings.IndexFunc(s.Text, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) >= 0
				if han != (lang == "zh-CN") {
					t.Errorf("%s %s step in the wrong language: %q", tt.code, lang, s.Text)
				}
				if s.Link != "" {
					links = append(links, s.Link)
				}
			}
			for _, want := range tt.links {
				if !strings.Contains(strings.Join(links, " "), want) {
					t.Errorf("%s %s: steps lead to %v, not %s", tt.code, lang, links, want)
				}
			}
			if c.Title == "" || len(c.Articles) == 0 || c.Title == tt.code {
				t.Errorf("%s %s: %+v", tt.code, lang, c)
			}
		}
	}
}

// A launch problem, or a code that does not arrive, is not taken for a
// scam, though a scam story has the same words ("验证码").
func TestOtherStoriesAreNotScams(t *testing.T) {
	for _, tt := range [][2]string{
		{"收不到验证码", diagnose.CodeNotReceived},
		{"验证码一直收不到", diagnose.CodeNotReceived},
		{"I never get the sms code", diagnose.CodeNotReceived},
		{"打开就闪退", diagnose.AppMalfunction},
		{"一直转圈", diagnose.NetworkUnstable},
		{"cannot connect to server", diagnose.NetworkOffline},
		{"帳號被凍結了", diagnose.AccountFrozen},
	} {
		res := diagnose.Diagnose(&diagnose.Request{Lang: "zh-CN", Description: tt[0]}, facts())
		if res.Causes[0].Code != tt[1] {
			t.Errorf("%q: %s", tt[0], res.Causes[0].Code)
		}
	}
}
