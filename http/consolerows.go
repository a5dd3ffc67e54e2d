package http

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
)

// ticketRows writes the console's ticket table (the queue, "mine") in Go
// rather than in the template: it is the page's hundred-odd rows, and a
// template spends most of the page's CPU on their dozen function calls
// and escapers each (reflection per call). The markup is the one
// ticketRowsReference in the tests renders through html/template, byte
// for byte; change both together.
func ticketRows(rows []*okcare.Ticket, c map[string]string, now time.Time, lang string, names map[string]string) template.HTML {
	var b strings.Builder
	b.Grow(512 + 400*len(rows))
	b.WriteString("\n" + `<table class="list">` + "\n<thead><tr>")
	for _, col := range []string{"col_number", "col_subject", "col_category", "col_channel", "col_status", "col_due", "col_assignee"} {
		b.WriteString("<th>")
		esc(&b, c[col])
		b.WriteString("</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, t := range rows {
		b.WriteString(`<tr class="`)
		if t.FirstResponseDue != nil && now.After(*t.FirstResponseDue) && t.FirstRespondedAt == nil {
			b.WriteString("late")
		}
		link := `<a href="/console/tickets/` + template.HTMLEscapeString(url.PathEscape(t.ID)) + `">`
		b.WriteString("\">\n<td>" + link + "#" + strconv.FormatInt(t.Number, 10) + "</a></td>\n<td>" + link)
		esc(&b, t.Subject)
		b.WriteString("</a>")
		for _, tag := range t.Tags {
			b.WriteString(` <span class="tag" data-tag="`)
			esc(&b, tag)
			b.WriteString(`">`)
			esc(&b, labelOf(c, "tag_", tag))
			b.WriteString("</span>")
		}
		b.WriteString("</td>\n<td>")
		esc(&b, diagnose.Title(t.Category, lang))
		b.WriteString("</td>\n<td>")
		esc(&b, labelOf(c, "ch_", t.Channel))
		b.WriteString(" · ")
		esc(&b, labelOf(c, "lang_", t.Lang))
		b.WriteString(`</td>` + "\n" + `<td><span class="status s-`)
		esc(&b, t.Status)
		b.WriteString(`">`)
		esc(&b, labelOf(c, "st_", t.Status))
		b.WriteString("</span></td>\n<td>")
		if t.FirstRespondedAt != nil {
			b.WriteString(`<span class="muted">`)
			esc(&b, c["responded"])
			b.WriteString("</span>")
		} else {
			when := "—"
			if t.FirstResponseDue != nil {
				when = t.FirstResponseDue.In(chinaCalendar.Location).Format("01-02 15:04")
			}
			esc(&b, when)
			b.WriteString(` <span class="left">(`)
			esc(&b, timeLeftPtr(now, t.FirstResponseDue))
			b.WriteString(")</span>")
		}
		b.WriteString("</td>\n<td>")
		if t.AssigneeID != "" {
			esc(&b, names[t.AssigneeID])
		} else {
			b.WriteString(`<span class="muted">—</span>`)
		}
		b.WriteString("</td>\n</tr>")
	}
	if len(rows) == 0 {
		b.WriteString(`<tr><td colspan="7" class="muted">`)
		esc(&b, c["nothing"])
		b.WriteString("</td></tr>")
	}
	b.WriteString("\n</tbody></table>")
	return template.HTML(b.String())
}

// htmlEscaper escapes as html/template escapes text and quoted attributes.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

func esc(b *strings.Builder, s string) { htmlEscaper.WriteString(b, s) }
