package storetest

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testCustomerContext(t *testing.T, db *sqldb.DB, clock *Clock) {
	seedAssets(t, db)
	u := mustRegister(t, db, "lan@example.com")
	if _, _, err := login(db, "lan@example.com", "blue-kettle-42", "phone", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Deposit(ctx, u.ID, "CNY", "12.50", "top-up"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "risk_review", Actor: "agent:agt_1"}); err != nil {
		t.Fatal(err)
	}
	d := &okcare.Diagnosis{UserID: u.ID, Lang: "zh-CN", TopCause: "account_frozen", Request: json.RawMessage(`{}`), Result: json.RawMessage(`{"causes":[]}`)}
	if err := db.SaveDiagnosis(ctx, d); err != nil {
		t.Fatal(err)
	}
	own, err := db.CreateTicket(ctx, okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "账户被冻结"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartVerification(ctx, own.ID, "agt_1", ""); err != nil {
		t.Fatal(err)
	}
	cc, err := db.CustomerContext(ctx, own.ID, "agt_1")
	if err != nil {
		t.Fatal(err)
	}
	if cc.User == nil || cc.User.ID != u.ID || cc.Match != okcare.MatchAccount || cc.User.State != okcare.AccountFrozen {
		t.Fatalf("context user %+v match %q", cc.User, cc.Match)
	}
	if len(cc.StateHistory) == 0 || cc.StateHistory[len(cc.StateHistory)-1].Reason != "risk_review" {
		t.Fatalf("state history %+v", cc.StateHistory)
	}
	if len(cc.Sessions) != 1 || len(cc.Transactions) != 1 || len(cc.Balances) == 0 {
		t.Fatalf("sessions %d transactions %d balances %d", len(cc.Sessions), len(cc.Transactions), len(cc.Balances))
	}
	if len(cc.Diagnoses) != 1 || cc.Diagnoses[0].ID != d.ID {
		t.Fatalf("diagnoses %+v", cc.Diagnoses)
	}
	if cc.Verification == nil || cc.Verification.VerifiedAt != nil {
		t.Fatalf("verification %+v, want the open one", cc.Verification)
	}
	events := map[string]bool{}
	for _, e := range cc.SecurityEvents {
		events[e.Event] = true
		if strings.Contains(e.SentTo, "lan@") {
			t.Fatalf("security event shows the address unmasked: %q", e.SentTo)
		}
	}
	if !events[okcare.EventAccountFrozen] || !events["identity_verification_code"] || events["ticket_ack"] {
		t.Fatalf("security events %v", events)
	}
	blob, _ := json.Marshal(cc)
	if sixDigits.MatchString(string(blob)) && strings.Contains(string(blob), lastCode(t, db)) {
		t.Fatal("the customer context carries the verification code")
	}

	// Mail from the registered address proves nothing (anyone can type
	// it): a candidate, with where a code would go and no wallet at all.
	mail, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "LAN@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
	cc, err = db.CustomerContext(ctx, mail.ID, "agt_1")
	if err != nil || cc.User != nil || cc.Match != okcare.MatchCandidate || cc.Candidate == nil || cc.Candidate.SentTo != "l***@example.com" {
		t.Fatalf("contact match: %+v %v", cc, err)
	}
	if len(cc.Balances)+len(cc.Transactions)+len(cc.Sessions)+len(cc.StateHistory)+len(cc.SecurityEvents)+len(cc.Diagnoses) != 0 {
		t.Fatalf("a candidate shows the wallet: %+v", cc)
	}
	if blob, _ := json.Marshal(cc); strings.Contains(string(blob), u.ID) || strings.Contains(string(blob), "lan@") {
		t.Fatalf("a candidate's context names the account: %s", blob)
	}
	stranger, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "nobody@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "hi"}})
	if cc, err := db.CustomerContext(ctx, stranger.ID, "agt_1"); err != nil || cc.User != nil || cc.Match != "" || cc.Candidate != nil {
		t.Fatalf("a stranger matched: %+v %v", cc, err)
	}
	_, err = db.CustomerContext(ctx, "tkt_missing", "agt_1")
	wantCode(t, err, okcare.ENOTFOUND)
}

func testMacrosAndTags(t *testing.T, db *sqldb.DB, clock *Clock) {
	m := &okcare.Macro{Name: "请更新应用", Lang: "zh-CN", Body: "您好，工单 #{number}：请在应用商店更新到最新版本。", SetStatus: okcare.TicketPending, Tags: []string{"App_Outdated", "更新"}, CreatedBy: "agent:sup"}
	if err := db.CreateMacro(ctx, m); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CreateMacro(ctx, &okcare.Macro{Name: "请更新应用", Lang: "zh-CN", Body: "x", CreatedBy: "agent:sup"}), okcare.ECONFLICT)
	for _, bad := range []*okcare.Macro{
		{Name: "", Lang: "en", Body: "x"},
		{Name: "n", Lang: "fr", Body: "x"},
		{Name: "n", Lang: "en", Body: " "},
		{Name: "n", Lang: "en", Body: "x", SetStatus: "closed"},
		{Name: "n", Lang: "en", Body: "x", Tags: []string{"has space"}},
		{Name: "n", Lang: "en", Body: "x", Tags: []string{"<script>"}},
	} {
		wantCode(t, db.CreateMacro(ctx, bad), okcare.EINVALID)
	}
	solve := &okcare.Macro{Name: "Solved", Lang: "en", Body: "Glad it works again.", SetStatus: okcare.TicketSolved, CreatedBy: "agent:sup"}
	if err := db.CreateMacro(ctx, solve); err != nil {
		t.Fatal(err)
	}
	list, _ := db.Macros(ctx)
	if len(list) != 2 || list[0].Lang != "en" || list[1].Tags[0] != "app_outdated" {
		t.Fatalf("macros %+v", list)
	}

	tk, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "mo@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "闪退"}})
	got, err := db.ApplyMacro(ctx, tk.ID, "agt_1", m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != okcare.TicketPending || strings.Join(got.Tags, ",") != "app_outdated,更新" || got.FirstRespondedAt == nil {
		t.Fatalf("after the macro: %+v", got)
	}
	msgs, _ := db.TicketMessages(ctx, tk.ID, false)
	if last := msgs[len(msgs)-1]; !strings.Contains(last.Body, "#"+strconv.FormatInt(tk.Number, 10)) || !last.Public {
		t.Fatalf("macro reply %+v", last)
	}
	var mailed int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM notifications WHERE event = 'ticket_reply' AND to_addr = 'mo@example.com'`).Scan(&mailed)
	if mailed != 1 {
		t.Fatalf("%d reply mails, want 1", mailed)
	}
	if got, err = db.ApplyMacro(ctx, tk.ID, "agt_1", solve.ID); err != nil || got.Status != okcare.TicketSolved || got.SolvedAt == nil {
		t.Fatalf("solving macro: %+v %v", got, err)
	}
	_, err = db.ApplyMacro(ctx, tk.ID, "agt_1", "mac_missing")
	wantCode(t, err, okcare.ENOTFOUND)

	if err := db.TagTicket(ctx, tk.ID, []string{"VIP", "app_outdated"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); strings.Join(got.Tags, ",") != "app_outdated,vip,更新" {
		t.Fatalf("tags %v", got.Tags)
	}
	wantCode(t, db.TagTicket(ctx, tk.ID, []string{"a b"}), okcare.EINVALID)

	agent := &okcare.Agent{Email: "kai@okwallet.example", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, agent, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	db.SetAgentPresence(ctx, agent.ID, "online", 3, []string{"zh-CN"})
	other, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "mo@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Intake: okcare.Intake{Description: "又闪退"}})
	if a, _ := db.AssignTicket(ctx, other.ID); a != agent.ID {
		t.Fatalf("assigned to %q", a)
	}
	mine, _ := db.AgentTickets(ctx, agent.ID)
	team, _ := db.Team(ctx)
	full, _ := db.FindTicket(ctx, other.ID)
	if len(mine) != 1 || mine[0].ID != other.ID || mine[0].Number != full.Number || mine[0].Status != full.Status || mine[0].AssigneeID != agent.ID ||
		mine[0].Subject != full.Subject || !mine[0].FirstResponseDue.Equal(*full.FirstResponseDue) || len(team) != 1 || team[0].Load != 1 || team[0].Presence != "online" || team[0].Capacity != 3 {
		t.Fatalf("agent tickets %d, team %+v", len(mine), team)
	}
}

// Every staff member shown a customer's wallet is in the audit log (once
// per ticket every ten minutes); a candidate shows no wallet and is not.
func testWalletReadsAudited(t *testing.T, db *sqldb.DB, clock *Clock) {
	u := mustRegister(t, db, "ren@example.com")
	linked, _ := db.CreateTicket(ctx, okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelAPI, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
	candidate, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "ren@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "打不开"}})
	reads := func() int {
		log, _ := db.AuditLog(ctx, 100)
		n := 0
		for _, e := range log {
			if e.Action == "wallet.read" {
				n++
				if e.Target != "user:"+u.ID || !strings.Contains(string(e.Details), linked.ID) {
					t.Fatalf("wallet read entry %+v", e)
				}
			}
		}
		return n
	}
	db.CustomerContext(ctx, candidate.ID, "agt_1")
	if n := reads(); n != 0 {
		t.Fatalf("a candidate's context was audited as a wallet read (%d)", n)
	}
	db.CustomerContext(ctx, linked.ID, "agt_1")
	db.CustomerContext(ctx, linked.ID, "agt_1")
	if n := reads(); n != 1 {
		t.Fatalf("%d wallet reads audited, want 1", n)
	}
	db.CustomerContext(ctx, linked.ID, "agt_2")
	clock.Advance(11 * time.Minute)
	db.CustomerContext(ctx, linked.ID, "agt_1")
	if n := reads(); n != 3 {
		t.Fatalf("%d wallet reads audited, want 3 (two staff, and one again later)", n)
	}
}
