package http

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/contact"
	"github.com/okcare/okcare/slaclock"
)

// desk is the support desk's hours and promises, as the contact page, the
// chat and the callback form tell them.
func (s *Server) desk() contact.Desk {
	return contact.Desk{Calendar: s.Calendar, Teams: s.TeamCalendars, Policies: s.Policies}
}

// contactCard is one channel on the contact page.
type contactCard struct {
	ID, Title, Text, Hours, Promise, Now, Link, Action string
	OpenNow                                            bool
}

// contactLinks are where each channel's card leads.
var contactLinks = map[string]string{contact.Chat: "/support/chat", contact.Phone: "/support/callback", contact.Web: "/support/new"}

func (s *Server) pageContact(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	now := s.Now()
	var cards []contactCard
	for _, a := range s.desk().All(now) {
		c := contactCard{ID: "contact-" + a.Channel, Title: tr(lang, "ct_"+a.Channel), Hours: hoursText(lang, a),
			Promise: tr(lang, "ct_promise_"+a.Channel) + s.promise(lang, a.Channel, now), Now: nowText(lang, a, now), OpenNow: a.OpenNow,
			Action: tr(lang, "ct_"+a.Channel+"_go"), Text: tr(lang, "ct_"+a.Channel+"_text")}
		if a.Channel == contact.Email {
			c.Text = fill(c.Text, "address", s.supportAddress())
			c.Link = "mailto:" + s.supportAddress()
		} else {
			c.Link = contactLinks[a.Channel] + "?lang=" + lang
		}
		cards = append(cards, c)
	}
	s.render(w, r, http.StatusOK, "contact.html", lang, tr(lang, "ct_title"), map[string]any{"Cards": cards})
}

// supportAddress is the support mailbox customers may write to.
func (s *Server) supportAddress() string {
	if s.SupportAddress != "" {
		return s.SupportAddress
	}
	return "support@okwallet.example"
}

// tr is the page text key in lang.
func tr(lang, key string) string {
	if t, ok := uiText[lang]; ok {
		return t[key]
	}
	return uiText[okcare.LangZH][key]
}

// fill replaces "{name}" in text by value, for each name, value pair.
func fill(text string, kv ...string) string {
	return strings.NewReplacer(func() []string {
		var pairs []string
		for i := 0; i+1 < len(kv); i += 2 {
			pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
		}
		return pairs
	}()...).Replace(text)
}

// clock writes an offset from midnight as "08:00" (and the end of the day
// as "24:00").
func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// hoursText says when a channel's team works, in lang.
func hoursText(lang string, a contact.Availability) string {
	return fill(tr(lang, "ct_hours"), "open", clock(a.Open), "close", clock(a.Close))
}

// promiseText says a first-response target in words, in lang: "通常 5 分钟内",
// "within 3 business days".
func promiseText(lang string, t slaclock.Target) string {
	key, n := "", 0
	switch {
	case t.EndOfDay:
		return tr(lang, "promise_eod")
	case t.Workdays > 0:
		key, n = "promise_days", t.Workdays
	case t.Business < time.Hour || t.Business%time.Hour != 0:
		key, n = "promise_minutes", int((t.Business+time.Minute-1)/time.Minute)
	default:
		key, n = "promise_hours", int(t.Business/time.Hour)
	}
	if n == 1 && tr(lang, key+"_1") != "" {
		key += "_1"
	}
	return fill(tr(lang, key), "n", strconv.Itoa(n))
}

// nowText says whether a channel's team is at work now, or when it is back.
func nowText(lang string, a contact.Availability, now time.Time) string {
	if a.OpenNow {
		return tr(lang, "ct_open_now")
	}
	return fill(tr(lang, "ct_closed_now"), "when", whenText(lang, a.NextOpen, now))
}

// weekdays are the short weekday names, Sunday first.
var weekdays = map[string][]string{
	okcare.LangZH: {"周日", "周一", "周二", "周三", "周四", "周五", "周六"},
	okcare.LangEN: {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
}

// dayText names the Beijing day of t as a customer reads it: "今天", "明天",
// else "12月2日（周三）" / "Wed 2 Dec".
func dayText(lang string, t, now time.Time) string {
	loc := chinaCalendar.Location
	t, now = t.In(loc), now.In(loc)
	y, m, d := t.Date()
	ny, nm, nd := now.Date()
	switch tomorrow := now.AddDate(0, 0, 1); {
	case y == ny && m == nm && d == nd:
		return tr(lang, "day_today")
	case t.Year() == tomorrow.Year() && t.YearDay() == tomorrow.YearDay():
		return tr(lang, "day_tomorrow")
	}
	wd := weekdays[lang]
	if wd == nil {
		wd = weekdays[okcare.LangZH]
	}
	if lang == okcare.LangEN {
		return fmt.Sprintf("%s %d %s", wd[t.Weekday()], d, m.String()[:3])
	}
	return fmt.Sprintf("%d月%d日（%s）", m, d, wd[t.Weekday()])
}

// whenText is a moment as a customer reads it: its day and Beijing time.
func whenText(lang string, t, now time.Time) string {
	return fill(tr(lang, "day_at"), "day", dayText(lang, t, now), "time", t.In(chinaCalendar.Location).Format("15:04"))
}

// windowText is a promised window in words: "明天 09:00-12:00".
func windowText(lang string, w contact.Window, now time.Time) string {
	loc := chinaCalendar.Location
	from, to := w.From.In(loc), w.To.In(loc)
	if from.YearDay() == to.YearDay() && from.Year() == to.Year() {
		return fill(tr(lang, "window_day"), "day", dayText(lang, from, now), "from", from.Format("15:04"), "to", to.Format("15:04"))
	}
	return fill(tr(lang, "window_span"), "from", whenText(lang, from, now), "to", whenText(lang, to, now))
}
