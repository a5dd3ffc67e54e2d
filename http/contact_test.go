package http_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/slaclock"
)

// beijing is a moment in Beijing time, "2006-01-02 15:04".
func beijing(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// withDesk gives the test server a chat team staffed 08:00-22:00 (the rest
// keep 09:00-18:00), the default SLA policies and a clock stopped at now.
func withDesk(t *testing.T, ts *testServer, now string) {
	t.Helper()
	chat, err := slaclock.China(8*time.Hour, 22*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv.TeamCalendars = map[string]*slaclock.Calendar{"chat": chat}
	ts.db.TeamCalendars = ts.srv.TeamCalendars
	ts.srv.SupportAddress = "help@okwallet.example"
	at := beijing(t, now)
	ts.srv.Now = func() time.Time { return at }
	// The limiters count in the server's time, which tests move back and forth.
	ts.srv.ContactLimiter = okhttp.NewRateLimiter(1000, time.Minute)
	ts.srv.ContactCeiling = okhttp.NewRateLimiter(1000, time.Minute)
	ts.srv.ChatLimiter = okhttp.NewRateLimiter(1000, time.Minute)
}

var (
	tags      = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// visibleText is the text a page shows, tags removed.
func visibleText(page string) string {
	return html.UnescapeString(tags.ReplaceAllString(page, " "))
}

// assertNoEnglish fails if a Chinese page shows Latin words other than the
// allowed ones (the brand, the language switch, addresses).
func assertNoEnglish(t *testing.T, page string, allowed ...string) {
	t.Helper()
	text := visibleText(page)
	for _, a := range append(allowed, "OK", "English") {
		text = strings.ReplaceAll(text, a, "")
	}
	if words := latinWord.FindAllString(text, -1); len(words) > 0 {
		t.Fatalf("English on the Chinese page: %q", words)
	}
}

// card is the contact page's section for a channel, as text.
func card(t *testing.T, page, channel string) string {
	t.Helper()
	start := strings.Index(page, `id="contact-`+channel+`"`)
	if start < 0 {
		t.Fatalf("no %s card", channel)
	}
	end := strings.Index(page[start:], "</section>")
	return visibleText(page[start : start+end])
}

func TestContactPage(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	for _, tt := range []struct {
		name, now, lang string
		want            map[string][]string // channel: texts its card shows
	}{
		{"weekday evening: chat staffed, the rest back tomorrow", "2026-11-25 20:00", "zh-CN", map[string][]string{
			"chat":  {"在线客服", "工作日 08:00-22:00", "通常 5 分钟内", "现在有客服值班"},
			"phone": {"电话回拨", "工作日 09:00-18:00", "回电：当个工作日结束前", "现在休息，明天 09:00 恢复服务"},
			"email": {"help@okwallet.example", "工作日 09:00-18:00", "3 个工作日内", "明天 09:00"},
			"web":   {"提交工单", "3 个工作日内", "明天 09:00"},
		}},
		{"National Day: everything closed until the 9th", "2025-10-01 10:00", "zh-CN", map[string][]string{
			"chat":  {"10月9日（周四） 08:00 恢复服务"},
			"phone": {"10月9日（周四） 09:00 恢复服务"},
		}},
		{"a worked Sunday (调休) morning", "2025-09-28 10:00", "zh-CN", map[string][]string{
			"chat": {"现在有客服值班"}, "email": {"现在有客服值班"},
		}},
		{"Friday night in English", "2026-11-27 23:00", "en", map[string][]string{
			"chat":  {"Live chat", "working days 08:00-22:00", "usually within 5 minutes", "Closed now; back Mon 30 Nov at 08:00"},
			"phone": {"Call back: by the end of the working day", "back Mon 30 Nov at 09:00"},
			"email": {"help@okwallet.example", "within 3 business days"},
			"web":   {"Ticket form", "within 3 business days"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			withDesk(t, ts, tt.now)
			status, page, _ := c.get("/support/contact?lang=" + tt.lang)
			if status != 200 {
				t.Fatalf("contact page: %d", status)
			}
			for channel, texts := range tt.want {
				got := strings.Join(strings.Fields(card(t, page, channel)), " ")
				for _, want := range texts {
					if !strings.Contains(got, want) {
						t.Errorf("%s card lacks %q:\n%s", channel, want, got)
					}
				}
			}
			for _, link := range []string{`href="/support/chat?lang=` + tt.lang, `href="/support/callback?lang=` + tt.lang, `href="/support/new?lang=` + tt.lang, `href="mailto:help@okwallet.example"`} {
				if !strings.Contains(page, link) {
					t.Errorf("no link %s", link)
				}
			}
			if tt.lang == "zh-CN" {
				assertNoEnglish(t, page, "help@okwallet.example")
			}
			if strings.Contains(page, "9:00-18:00（") || strings.Contains(page, "{") {
				t.Error("a hard-coded or unfilled text")
			}
		})
	}
	// Every customer page leads there, in its language.
	for _, path := range []string{"/help?lang=zh-CN", "/diagnose?lang=zh-CN", "/status?lang=zh-CN", "/support/new?lang=zh-CN", "/support/chat?lang=en", "/support/callback?lang=en"} {
		u, _ := url.Parse(path)
		_, page, _ := c.get(path)
		if !strings.Contains(page, `href="/support/contact?lang=`+u.Query().Get("lang")+`"`) {
			t.Errorf("%s does not link to the contact page", path)
		}
	}
}

func TestContactHoursOnChatAndCallback(t *testing.T) {
	ts := newTestServer(t)
	withDesk(t, ts, "2026-11-25 10:00")
	c := newConsoleClient(t, ts)
	_, chat, _ := c.get("/support/chat?lang=zh-CN")
	if intro := visibleText(chat); !strings.Contains(intro, "工作日 08:00-22:00") || !strings.Contains(intro, "通常 5 分钟内") || strings.Contains(intro, "9:00-18:00") {
		t.Errorf("chat intro: %s", intro)
	}
	_, cb, _ := c.get("/support/callback?lang=zh-CN")
	if text := visibleText(cb); !strings.Contains(text, "工作日 09:00-18:00") || !strings.Contains(text, "上午 09:00-12:00") || !strings.Contains(text, "下午 13:00-18:00") {
		t.Errorf("callback page: %s", text)
	}
	assertNoEnglish(t, chat)
	assertNoEnglish(t, cb)
}
