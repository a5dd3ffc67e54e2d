package http

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/smtp"
	"github.com/okcare/okcare/sqldb"
)

// TestEveryCodeHasConsoleWords: each code the console shows has words in
// both languages, so a new state, reason, event, kind or note cannot reach
// a page raw.
func TestEveryCodeHasConsoleWords(t *testing.T) {
	var states, kinds []string
	for _, s := range okcare.AccountStates {
		states = append(states, string(s))
	}
	for _, k := range okcare.MovementKinds {
		kinds = append(kinds, string(k))
	}
	events := append([]string{sqldb.EventIdentityCode, sqldb.EventPasswordReset, sqldb.EventTicketAck}, okcare.SecurityEvents...)
	for _, tc := range []struct {
		what, prefix string
		codes        []string
	}{
		{"account state", "acct_", states},
		{"state reason", "rs_", okcare.StateReasons},
		{"outbox event", "ev_", events},
		{"notification channel", "nc_", []string{okcare.ChannelEmail, okcare.ChannelSMS}},
		{"notification status", "ns_", []string{okcare.NotificationPending, okcare.NotificationSent, okcare.NotificationFailed}},
		{"movement kind", "tx_", kinds},
		{"symptom", "sy_", diagnose.Symptoms},
		{"tried step", "tried_", triedSteps},
		{"diagnosis outcome", "oc_", []string{okcare.OutcomeSolved, okcare.OutcomeStillBroken}},
		{"account action", "act_", []string{okcare.ActionLiftRestriction, okcare.ActionRevokeSessions, okcare.ActionPasswordReset, okcare.ActionUnfreeze}},
		{"approval", "ap_", []string{okcare.ActionUnfreeze}},
		{"call outcome", "call_", []string{okcare.CallReached, okcare.CallNoAnswer, okcare.CallVoicemail}},
		{"language", "lang_", []string{okcare.LangZH, okcare.LangEN}},
		{"role", "role_", []string{string(okcare.RoleAgent), string(okcare.RoleSupervisor), string(okcare.RoleAdmin)}},
		{"note", "note_", sqldb.NoteKeys()},
		{"mail note", "note_", smtp.NoteKeys},
		{"mail authentication result", "auth_", []string{"pass", "fail", "temperror", "none"}},
		{"audit action", "au_", auditActions(t)},
	} {
		if len(tc.codes) == 0 {
			t.Errorf("%s: no codes to check", tc.what)
		}
		for _, code := range tc.codes {
			for _, lang := range []string{okcare.LangZH, okcare.LangEN} {
				if w, ok := consoleText[lang][tc.prefix+code]; !ok || strings.TrimSpace(w) == "" {
					t.Errorf("%s %q has no words in %s", tc.what, code, lang)
				}
			}
		}
	}
}

// TestNoteText: a note is said from its key in the reader's language, with
// actors named and codes in words; without a key, or with one this
// version has no words for, it is its body.
func TestNoteText(t *testing.T) {
	names := map[string]string{"agt_1": "li@okcare.example"}
	action := &okcare.TicketMessage{Body: "Action lift_restriction taken by agent:agt_1 after identity verification.",
		Note: &okcare.Note{Key: sqldb.NoteActionTaken, Args: map[string]string{"action": okcare.ActionLiftRestriction, "by": "agent:agt_1"}}}
	due := &okcare.TicketMessage{Body: "SLA warning", Note: &okcare.Note{Key: sqldb.NoteSLAFirstWarning, Args: map[string]string{"due": "2026-12-01T02:30:00Z"}}}
	assigned := &okcare.TicketMessage{Body: "Assigned", Note: &okcare.Note{Key: sqldb.NoteAssigned, Args: map[string]string{"assignee": "agent:agt_gone", "by": "system"}}}
	call := &okcare.TicketMessage{Body: "Call", Note: &okcare.Note{Key: sqldb.NoteCallLogged, Args: map[string]string{"by": "agent:agt_1", "outcome": okcare.CallNoAnswer, "notes": "晚点再打"}}}
	mailAuth := &okcare.TicketMessage{Body: "DKIM: pass", Note: (&smtp.Auth{DKIM: "pass", DKIMDomain: "mail.example.com", DMARC: "pass", Policy: "reject", FromDomain: "example.com"}).KeyedNote()}
	unsigned := &okcare.TicketMessage{Body: "DKIM: none", Note: (&smtp.Auth{DKIM: "none", DMARC: "none", FromDomain: "example.com"}).KeyedNote()}
	for _, tc := range []struct {
		lang string
		m    *okcare.TicketMessage
		want string
	}{
		{"zh-CN", action, "身份验证后，li@okcare.example 执行了操作：解除登录限制。"},
		{"en", action, "After identity verification, li@okcare.example chose to lift the login restriction."},
		{"zh-CN", due, "即将超时：首次回复时限为 2026-12-01 10:30 (UTC+8)。"},
		{"zh-CN", assigned, "系统 将工单分配给 客服 agt_gone。"},
		{"en", call, "Call by li@okcare.example: No answer\n晚点再打"},
		{"zh-CN", mailAuth, "发件人验证：DKIM 通过（mail.example.com） · SPF 未检查 · DMARC 通过（example.com，策略 reject）"},
		{"en", mailAuth, "DKIM: pass (mail.example.com) · SPF: not checked · DMARC: pass (example.com, p=reject)"},
		{"zh-CN", unsigned, "发件人验证：DKIM 无 · SPF 未检查 · DMARC 无"},
		{"zh-CN", &okcare.TicketMessage{Body: "Old note by agent:agt_1."}, "Old note by agent:agt_1."},
		{"zh-CN", &okcare.TicketMessage{Body: "From a later version.", Note: &okcare.Note{Key: "not_known_yet"}}, "From a later version."},
	} {
		if got := noteText(consoleText[tc.lang], names, tc.m); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.m.Body, got, tc.want)
		}
	}
}

// TestUnknownCodeShownAsWritten: a reason staff typed that okcare does
// not know is shown as they wrote it.
func TestUnknownCodeShownAsWritten(t *testing.T) {
	if got := labelAny(consoleText["zh-CN"], "rs_", "chargeback_dispute"); got != "chargeback_dispute" {
		t.Errorf("unknown reason shown as %q", got)
	}
	if got := labelAny(consoleText["zh-CN"], "acct_", okcare.AccountFrozen); got != "已冻结" {
		t.Errorf("frozen shown as %q", got)
	}
}

// TestActorName: staff by name, everyone else in words.
func TestActorName(t *testing.T) {
	names := map[string]string{"agt_1": "li@okcare.example"}
	for actor, want := range map[string]string{"agent:agt_1": "li@okcare.example", "system": "系统", "system:demo": "系统", "user:usr_1": "客户", "contact": "客户", "agent:agt_2": "客服 agt_2"} {
		if got := actorName(consoleText["zh-CN"], names, actor); got != want || strings.Contains(got, "agent:") {
			t.Errorf("actorName(%q) = %q, want %q", actor, got, want)
		}
	}
}

// auditActions are the actions the store writes to the audit log, read
// from its source, so that a new one needs words before it can be shown.
func auditActions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../sqldb/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("sqldb sources: %v", err)
	}
	action := regexp.MustCompile(`appendAudit\(ctx, tx, [^,]+, "([a-z_.]+)"`)
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range action.FindAllStringSubmatch(string(src), -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	return out
}
