package smtp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/smtp"
)

// A customer's anti-phishing code opens the text and HTML of their mail,
// in the mail's language; mail to someone without one is unchanged.
func TestAntiPhishingCodeOpensTheMail(t *testing.T) {
	addr, backend := listen(t)
	sender := &smtp.Sender{Addr: addr, From: "OK Wallet <no-reply@okwallet.example>", PlainText: true}
	for _, n := range []*okcare.Notification{
		{ID: "ntf_zh", To: "wei@example.com", Event: okcare.EventPasswordChanged, Subject: "密码已修改", Body: "您的密码已修改。", AntiPhishingCode: "蓝色鲸鱼42"},
		{ID: "ntf_en", To: "amy@example.com", Event: okcare.EventPasswordChanged, Subject: "Password changed", Body: "Your password was changed.", AntiPhishingCode: "BlueWhale42"},
		{ID: "ntf_none", To: "bo@example.com", Event: okcare.EventPasswordChanged, Subject: "Password changed", Body: "Your password was changed."},
	} {
		if err := sender.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	_, zh, zhHTML := readMail(t, backend.msgs[0].data)
	_, en, _ := readMail(t, backend.msgs[1].data)
	_, none, _ := readMail(t, backend.msgs[2].data)
	if !strings.HasPrefix(zh, "您的防钓鱼码：蓝色鲸鱼42") || !strings.HasSuffix(zh, "您的密码已修改。") || !strings.Contains(zhHTML, "蓝色鲸鱼42") {
		t.Fatalf("Chinese mail: %q / %q", zh, zhHTML)
	}
	if !strings.HasPrefix(en, "Your anti-phishing code: BlueWhale42.") || strings.Contains(en, "防钓鱼") {
		t.Fatalf("English mail: %q", en)
	}
	if none != "Your password was changed." {
		t.Fatalf("mail without a code: %q", none)
	}
}
