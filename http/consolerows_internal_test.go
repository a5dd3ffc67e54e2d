package http

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
)

// ticketRowsReference is the ticket table as the console's template
// wrote it before ticketRows took its place: ticketRows must write the
// same bytes.
const ticketRowsReference = `{{define "ticketrows_reference"}}
<table class="list">
<thead><tr><th>{{.C.col_number}}</th><th>{{.C.col_subject}}</th><th>{{.C.col_category}}</th><th>{{.C.col_channel}}</th><th>{{.C.col_status}}</th><th>{{.C.col_due}}</th><th>{{.C.col_assignee}}</th></tr></thead>
<tbody>
{{range .Rows}}<tr class="{{if late $.Now .FirstResponseDue}}{{if not .FirstRespondedAt}}late{{end}}{{end}}">
<td><a href="/console/tickets/{{.ID}}">#{{.Number}}</a></td>
<td><a href="/console/tickets/{{.ID}}">{{.Subject}}</a>{{range .Tags}} <span class="tag" data-tag="{{.}}">{{label $.C "tag_" .}}</span>{{end}}</td>
<td>{{cause .Category $.Lang}}</td>
<td>{{label $.C "ch_" .Channel}} · {{label $.C "lang_" .Lang}}</td>
<td><span class="status s-{{.Status}}">{{label $.C "st_" .Status}}</span></td>
<td>{{if .FirstRespondedAt}}<span class="muted">{{$.C.responded}}</span>{{else}}{{fmtWhen .FirstResponseDue}} <span class="left">({{left $.Now .FirstResponseDue}})</span>{{end}}</td>
<td>{{with .AssigneeID}}{{index $.Names .}}{{else}}<span class="muted">—</span>{{end}}</td>
</tr>{{else}}<tr><td colspan="7" class="muted">{{.C.nothing}}</td></tr>{{end}}
</tbody></table>{{end}}`

// TestTicketRowsAsTheTemplate renders tickets of every shape (late, answered,
// unassigned, tagged, no target, markup in the subject) both ways, in both
// languages, and wants the same bytes.
func TestTicketRowsAsTheTemplate(t *testing.T) {
	s := &Server{}
	tmpl, err := s.templates().Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Parse(ticketRowsReference); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	past, future, answered := now.Add(-90*time.Minute), now.Add(50*time.Hour), now.Add(-time.Hour)
	rows := []*okcare.Ticket{
		{ID: "tkt_a1", Number: 7, Subject: `打不开 <b>"x"</b> & 'y' +1`, Category: "app_known_crash", Channel: "chat", Lang: "zh-CN", Status: "new", FirstResponseDue: &past},
		{ID: "tkt_b2", Number: 12345, Subject: "Login", Category: "no_such_cause", Channel: "email", Lang: "en", Status: "open", FirstResponseDue: &future, AssigneeID: "agt_1", Tags: []string{"vip", "secret_exposed"}},
		{ID: "tkt_c3", Number: 9, Subject: "answered late", Category: "unknown", Channel: "phone", Lang: "en", Status: "pending", FirstResponseDue: &past, FirstRespondedAt: &answered, AssigneeID: "agt_gone"},
		{ID: "tkt_d4", Number: 10, Subject: "no target", Channel: "web", Lang: "zh-CN", Status: "on_hold"},
	}
	names := map[string]string{"agt_1": "Ann <support>"}
	for _, lang := range []string{okcare.LangZH, okcare.LangEN} {
		for _, set := range [][]*okcare.Ticket{rows, nil} {
			var want strings.Builder
			if err := tmpl.ExecuteTemplate(&want, "ticketrows_reference", map[string]any{"Rows": set, "C": consoleText[lang], "Now": now, "Lang": lang, "Names": names}); err != nil {
				t.Fatal(err)
			}
			if got := string(ticketRows(set, consoleText[lang], now, lang, names)); got != want.String() {
				t.Errorf("%s, %d rows:\ngot  %s\nwant %s", lang, len(set), got, want.String())
			}
		}
	}
}
