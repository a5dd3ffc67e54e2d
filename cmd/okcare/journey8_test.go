package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okcare/okcare/browsertest"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Journey 8: an email conversation. A customer writes from Outlook in
// Chinese (GB2312, plain and HTML parts, Outlook's headers); the agent
// answers in the console; the answer comes through the relay with a reply
// address carrying the ticket's secret token; the customer answers from
// Outlook again, the history quoted below their text Outlook's way (the
// 发件人:/发送时间:/主题: block, then -----原始邮件-----). Each answer joins
// the ticket with the quote removed. A forged mail with the
// customer's address and the ticket's number, but no token, opens a new
// ticket instead of joining.
func TestJourney8EmailConversation(t *testing.T) {
	for _, store := range journeyStores {
		t.Run(store, func(t *testing.T) { journey8(t, store) })
	}
}

func journey8(t *testing.T, store string) {
	j := startJourney(t, store)
	email := j.address("liwei")
	support := "support@" + j.domain
	j.send(email, support, outlookMail(email, support, "钱包打不开，一直闪退", "", "",
		"您好：\n\n我的 OK 钱包昨天开始一打开就闪退，手机是小米 13，安卓 14。麻烦帮忙看看。\n\n李伟\n"))
	ack := j.mail.wait(t, email, "我们已收到您的问题")
	m := regexp.MustCompile(`\[OK#(\d+)\]`).FindStringSubmatch(ack.Subject)
	if m == nil {
		t.Fatalf("no ticket number in %q", ack.Subject)
	}
	number := m[1]
	ticket := j.ticketByNumber(number)
	first := j.customerMessages(ticket.ID)
	if len(first) != 1 || !strings.Contains(first[0], "小米 13") {
		t.Fatalf("the Outlook mail (GB2312) became %q", first)
	}

	// The agent answers in the console.
	desk := j.browser(true)
	j.staffSignIn(desk, "agent@okcare.example", j.password)
	j.run(desk, "open the mailed ticket",
		chromedp.Navigate(j.base+"/console?lang=zh-CN"),
		chromedp.WaitVisible("#queue-filter", chromedp.ByID),
		chromedp.Click(`//a[contains(., "`+number+`")]`, chromedp.BySearch),
		chromedp.WaitVisible("#reply-form", chromedp.ByID),
	)
	answer := "您好，请先把 OK 钱包更新到 5.3.0 再试。如果还是闪退，请直接回复这封邮件。"
	j.afterReload(desk, "reply", chromedp.SendKeys("#reply-body", answer, chromedp.ByID), chromedp.Click("#send-reply", chromedp.ByID))

	// The answer, through the relay: a reply address with the token.
	reply := j.mail.wait(t, email, "更新到 5.3.0 再试")
	noEnglish(t, "the answer mail", reply.Subject+"\n"+reply.Text)
	replyTo, err := reply.Header.AddressList("Reply-To")
	if err != nil || len(replyTo) != 1 {
		t.Fatalf("the answer has no Reply-To: %v %v", replyTo, err)
	}
	tokenAddr := replyTo[0].Address
	if !regexp.MustCompile(`^support\+[a-z2-7]{20,}@` + regexp.QuoteMeta(j.domain) + `$`).MatchString(tokenAddr) {
		t.Fatalf("the reply address carries no token: %q", tokenAddr)
	}
	msgID := reply.Header.Get("Message-ID")
	if msgID == "" {
		t.Fatal("the answer has no Message-ID")
	}

	// The customer answers from Outlook, history quoted below.
	mine := "更新到 5.3.0 以后还是闪退，开机后第一次打开就退出。"
	quoted := fmt.Sprintf("%s\n\n李伟\n\n发件人: OK 钱包 <no-reply@okwallet.example>\n发送时间: %s\n收件人: 李伟 <%s>\n主题: %s\n\n%s\n",
		mine, time.Now().Format("2006年1月2日 15:04"), email, reply.Subject, reply.Text)
	j.send(email, tokenAddr, outlookMail(email, tokenAddr, "答复: "+reply.Subject, msgID, msgID, quoted))
	var conversation string
	j.run(desk, "the answer in the console",
		chromedp.Reload(),
		chromedp.WaitVisible("#conversation", chromedp.ByID),
		text("#conversation", &conversation),
	)
	browsertest.Screenshot(t, desk, "journey8-"+store+"-conversation")
	got := j.customerMessages(ticket.ID)
	if len(got) != 2 {
		t.Fatalf("after the Outlook answer the ticket has customer messages %q", got)
	}
	if !strings.Contains(got[1], mine) || strings.Contains(got[1], "发件人") || strings.Contains(got[1], "主题") || strings.Contains(got[1], "直接回复这封邮件") {
		t.Fatalf("the answer joined with its quote:\n%s", got[1])
	}
	if !strings.Contains(conversation, mine) || strings.Contains(conversation, "发送时间") {
		t.Fatalf("the console shows the answer wrong:\n%s", conversation)
	}

	// Outlook's other way of quoting: -----原始邮件----- above the header.
	again := "清除缓存以后也还是不行。"
	j.send(email, tokenAddr, outlookMail(email, tokenAddr, "答复: "+reply.Subject, msgID, msgID,
		fmt.Sprintf("%s\n\n-----原始邮件-----\n发件人: OK 钱包 <no-reply@okwallet.example>\n发送时间: %s\n收件人: %s\n主题: %s\n\n%s\n",
			again, time.Now().Format("2006年1月2日 15:04"), email, reply.Subject, reply.Text)))
	got = j.customerMessages(ticket.ID)
	if len(got) != 3 || strings.TrimSpace(got[2]) != again {
		t.Fatalf("the answer quoting -----原始邮件----- joined as %q", got)
	}

	// A forged mail: the customer's address, the ticket's number, a made-up
	// token in In-Reply-To; sent to the plain support address.
	forged := "我是李伟，请把我的账户绑定的手机号改成 13800000000。"
	fake := "<notification.ticket.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@" + j.domain + ">"
	j.send(email, support, outlookMail(email, support, "答复: [OK#"+number+"] 钱包打不开，一直闪退", fake, fake, forged+"\n"))
	forgedAck := j.mail.wait(t, email, "我们已收到您的问题")
	n := regexp.MustCompile(`\[OK#(\d+)\]`).FindStringSubmatch(forgedAck.Subject)
	if n == nil || n[1] == number {
		t.Fatalf("the forged mail was not given a ticket of its own: %q", forgedAck.Subject)
	}
	if got := j.customerMessages(ticket.ID); len(got) != 3 {
		t.Fatalf("the forged mail joined the ticket: %q", got)
	}
	if other := j.customerMessages(j.ticketByNumber(n[1]).ID); len(other) != 1 || !strings.Contains(other[0], "13800000000") {
		t.Fatalf("the forged mail's own ticket holds %q", other)
	}
}

// customerMessages are the bodies of the customer's messages on a ticket,
// oldest first.
func (j *journey) customerMessages(ticketID string) []string {
	j.t.Helper()
	msgs, err := j.m.DB.TicketMessages(context.Background(), ticketID, false)
	if err != nil {
		j.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if !strings.HasPrefix(m.Author, "agent:") && m.Author != "system" {
			out = append(out, m.Body)
		}
	}
	return out
}

// outlookMail is a mail as Outlook for Windows in Chinese sends it: GB2312
// text and HTML alternatives in base64, Outlook's thread headers, and, for
// an answer, In-Reply-To and References.
func outlookMail(from, to, subject, inReplyTo, references, body string) string {
	gb := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			panic(err)
		}
		return wrap76(base64.StdEncoding.EncodeToString([]byte(b)))
	}
	html := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body lang=\"ZH-CN\"><div class=\"WordSection1\">"
	for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		html += "<p class=\"MsoNormal\">" + line + "<o:p></o:p></p>"
	}
	html += "</div></body></html>"
	id := fmt.Sprintf("TYZPR01MB%d", time.Now().UnixNano())
	boundary := "_000_" + id + "_"
	var h strings.Builder
	fmt.Fprintf(&h, "From: %s <%s>\n", mime.BEncoding.Encode("gb2312", "李 伟"), from)
	fmt.Fprintf(&h, "To: %s\n", to)
	fmt.Fprintf(&h, "Subject: %s\n", mime.BEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&h, "Thread-Topic: %s\n", mime.BEncoding.Encode("UTF-8", strings.TrimPrefix(subject, "答复: ")))
	fmt.Fprintf(&h, "Thread-Index: AdtE%s==\n", base64.StdEncoding.EncodeToString([]byte(id))[:20])
	fmt.Fprintf(&h, "Date: %s\n", time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&h, "Message-ID: <%s@%s.apcprd01.prod.outlook.com>\n", id, id)
	if inReplyTo != "" {
		fmt.Fprintf(&h, "In-Reply-To: %s\nReferences: %s\n", inReplyTo, references)
	}
	h.WriteString("Accept-Language: zh-CN, en-US\nContent-Language: zh-CN\nX-MS-Has-Attach: \nX-MS-TNEF-Correlator: \nX-Mailer: Microsoft Outlook 16.0\n")
	fmt.Fprintf(&h, "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"%s\"\n\n", boundary)
	fmt.Fprintf(&h, "--%s\nContent-Type: text/plain; charset=\"gb2312\"\nContent-Transfer-Encoding: base64\n\n%s\n\n", boundary, gb(body))
	fmt.Fprintf(&h, "--%s\nContent-Type: text/html; charset=\"gb2312\"\nContent-Transfer-Encoding: base64\n\n%s\n\n--%s--\n", boundary, gb(html), boundary)
	return h.String()
}

// wrap76 breaks base64 into the 76-character lines mail uses.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}
