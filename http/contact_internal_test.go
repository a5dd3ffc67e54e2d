package http

import (
	"testing"
	"time"

	"github.com/okcare/okcare/contact"
	"github.com/okcare/okcare/slaclock"
)

func TestPromiseText(t *testing.T) {
	for _, tt := range []struct {
		target string
		zh, en string
	}{
		{"2m", "通常 2 分钟内", "usually within 2 minutes"},
		{"1m", "通常 1 分钟内", "usually within a minute"},
		{"90m", "通常 90 分钟内", "usually within 90 minutes"},
		{"4h", "4 个工作小时内", "within 4 business hours"},
		{"1h", "1 个工作小时内", "within one business hour"},
		{"3d", "3 个工作日内", "within 3 business days"},
		{"1d", "1 个工作日内", "within one business day"},
		{"eod", "当个工作日结束前", "by the end of the working day"},
	} {
		target, err := slaclock.ParseTarget(tt.target)
		if err != nil {
			t.Fatal(err)
		}
		if got := promiseText("zh-CN", target); got != tt.zh {
			t.Errorf("%s in Chinese: %q, want %q", tt.target, got, tt.zh)
		}
		if got := promiseText("en", target); got != tt.en {
			t.Errorf("%s in English: %q, want %q", tt.target, got, tt.en)
		}
	}
}

func TestWindowText(t *testing.T) {
	loc := chinaCalendar.Location
	at := func(s string) time.Time {
		v, _ := time.ParseInLocation("2006-01-02 15:04", s, loc)
		return v
	}
	now := at("2026-11-25 15:00") // a Wednesday
	for _, tt := range []struct {
		from, to string
		zh, en   string
	}{
		{"2026-11-25 15:00", "2026-11-25 18:00", "今天 15:00-18:00", "today, 15:00-18:00"},
		{"2026-11-26 09:00", "2026-11-26 12:00", "明天 09:00-12:00", "tomorrow, 09:00-12:00"},
		{"2026-11-30 09:00", "2026-11-30 12:00", "11月30日（周一） 09:00-12:00", "Mon 30 Nov, 09:00-12:00"},
		{"2026-11-25 16:00", "2026-11-26 11:00", "今天 16:00 至 明天 11:00", "between today at 16:00 and tomorrow at 11:00"},
		{"2027-01-01 09:00", "2027-01-01 12:00", "1月1日（周五） 09:00-12:00", "Fri 1 Jan, 09:00-12:00"},
	} {
		w := contact.Window{From: at(tt.from), To: at(tt.to)}
		if got := windowText("zh-CN", w, now); got != tt.zh {
			t.Errorf("zh %s-%s: %q, want %q", tt.from, tt.to, got, tt.zh)
		}
		if got := windowText("en", w, now); got != tt.en {
			t.Errorf("en %s-%s: %q, want %q", tt.from, tt.to, got, tt.en)
		}
	}
}
