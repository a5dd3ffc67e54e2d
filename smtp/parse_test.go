package smtp_test

import (
	"os"
	"strings"
	"testing"

	"github.com/okcare/okcare/smtp"
)

func parseFixture(t *testing.T, name string) *smtp.InboundMail {
	t.Helper()
	f, err := os.Open("testdata/mail/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := smtp.ParseInbound(f, "sender@example.com", "support@okwallet.example")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestParseFixtures: charsets Chinese mail uses, quoted-printable, HTML-only
// mail made readable, quoted history removed and forwarded mail kept.
func TestParseFixtures(t *testing.T) {
	for _, c := range []struct {
		file, subject, text, original string
		files                         []string
	}{
		{file: "html-only.eml", subject: "钱包打不开", text: "你好 & hello,\n\nfirst line\nsecond line <not a tag> 你好\n\nsee the log ( https://example.com/log )"},
		{file: "gbk.eml", subject: "钱包打不开", text: "您好，钱包一打开就闪退。\n谢谢！"},
		{file: "big5.eml", subject: "錢包無法開啟", text: "錢包一打開就閃退。"},
		{file: "qp.eml", subject: "transfer stuck", text: "My transfer of 100 USDT has been pending for a very long time, since this morning at nine o'clock, 转账一直在处理中。"},
		{file: "foxmail-reply.eml", subject: "回复：[OK#100001] Re: 钱包打不开", text: "截图在附件里。", original: "------------------ 原始邮件 ------------------"},
		{file: "gmail-html-reply.eml", subject: "Re: [OK#100001] Re: Wallet will not open", text: "It works now, thank you!", original: "> Please update the app to 5.3.0."},
		{file: "outlook-html-reply.eml", subject: "RE: [OK#100001] Re: Wallet will not open", text: "Still broken.", original: "*Sent:* Monday, November 30, 2026 10:00 AM"},
		{file: "inline-screenshot.eml", subject: "截图", text: "见截图：\n[image001.png]", files: []string{"image001.png", "app.log"}},
		{file: "forwarded.eml", subject: "Fwd: your transfer", text: "The bank says the money was sent, see the attached mail.", files: []string{"Transfer sent.eml.txt"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			m := parseFixture(t, c.file)
			if m.Subject != c.subject || m.Text != c.text || m.Automatic {
				t.Fatalf("subject %q text %q (automatic %v), want %q %q", m.Subject, m.Text, m.Automatic, c.subject, c.text)
			}
			if (c.original == "") != (m.Original == "") || !strings.Contains(m.Original, c.original) || (m.Original != "" && !strings.HasPrefix(m.Original, m.Text)) {
				t.Fatalf("original %q", m.Original)
			}
			var files []string
			for _, a := range m.Attachments {
				files = append(files, a.Filename)
			}
			if strings.Join(files, ",") != strings.Join(c.files, ",") {
				t.Fatalf("attachments %v, want %v", files, c.files)
			}
		})
	}
	fwd := parseFixture(t, "forwarded.eml").Attachments[0]
	if !strings.Contains(string(fwd.Data), "Your transfer of 500 CNY to OK Wallet was sent.") || !strings.Contains(string(fwd.Data), "From: Bank <noreply@bank.example>") {
		t.Fatalf("forwarded message kept as %q", fwd.Data)
	}
}

func TestAutoReplySubjects(t *testing.T) {
	for subject, auto := range map[string]bool{
		"自动回复：[OK#100001] Re: 钱包打不开":    true,
		"自動回覆: 休假中":                     true,
		"Automatic reply: Wallet":       true,
		"Auto Reply: away":              true,
		"Out of Office: back Monday":    true,
		"Re: [OK#100001] 钱包打不开":         false,
		"Why does the auto reply fail?": false,
	} {
		raw := "From: a@example.com\r\nMessage-ID: <s@example.com>\r\nSubject: " + subject + "\r\n\r\nbody\r\n"
		m, err := smtp.ParseInbound(strings.NewReader(raw), "a@example.com", "support@okwallet.example")
		if err != nil {
			t.Fatal(err)
		}
		if m.Automatic != auto {
			t.Errorf("%q: automatic %v, want %v", subject, m.Automatic, auto)
		}
	}
}
