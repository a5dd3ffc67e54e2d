package diagnose_test

import (
	"testing"

	"github.com/okcare/okcare/diagnose"
)

// TestIssue12Stories: the scam and account-takeover stories issue 12
// names, word for word, get their own cause and are offered a ticket,
// and the scam and lost-phone ones have a step leading to the emergency
// freeze.
func TestIssue12Stories(t *testing.T) {
	for _, tt := range []struct{ lang, text, want string }{
		{"zh-CN", "客服让我提供助记词", diagnose.ScamContact},
		{"zh-CN", "客服让我提供验证码", diagnose.ScamContact},
		{"zh-CN", "有个自称客服的人让我提供助记词才能解冻", diagnose.ScamContact},
		{"en", "someone from support called me", diagnose.ScamContact},
		{"zh-CN", "收到短信说账户异常 点链接", diagnose.ScamContact},
		{"zh-CN", "手机丢了", diagnose.DeviceLost},
		{"zh-CN", "手机被偷了", diagnose.DeviceLost},
		{"zh-CN", "手机掉了，怕钱被转走", diagnose.DeviceLost},
		{"en", "my money is gone", diagnose.FundsMissing},
		{"zh-CN", "转账没到账", diagnose.FundsMissing},
	} {
		res := diagnose.Diagnose(&diagnose.Request{Lang: tt.lang, Description: tt.text}, diagnose.Facts{})
		top := res.Causes[0]
		if top.Code != tt.want || !res.Escalate {
			t.Errorf("%q: %s (%.2f), escalate %v; want %s", tt.text, top.Code, top.Confidence, res.Escalate, tt.want)
			continue
		}
		if tt.want == diagnose.FundsMissing {
			continue // a late transfer is no theft: its steps are the reference and support
		}
		freeze := false
		for _, s := range top.Steps {
			freeze = freeze || s.Link == diagnose.FreezePath
		}
		if !freeze {
			t.Errorf("%q: no step leads to the emergency freeze: %+v", tt.text, top.Steps)
		}
	}
}
