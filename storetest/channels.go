package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// The list of official channels: values are kept normalized, one of each
// on the list at a time, removals keep the history, and every change is
// audited with its actor.
func testOfficialChannels(t *testing.T, db *sqldb.DB, clock *Clock) {
	add := func(kind, value string) (*okcare.OfficialChannel, error) {
		c := &okcare.OfficialChannel{Kind: kind, Value: value, NoteZH: "客服热线", NoteEN: "Support hotline"}
		return c, db.AddOfficialChannel(ctx, c, "agent:adm_1")
	}
	hotline, err := add("phone", "+86 400-000-8820")
	if err != nil || hotline.Value != "+864000008820" || hotline.Display != "+86 400-000-8820" {
		t.Fatalf("add: %+v %v", hotline, err)
	}
	for _, bad := range [][2]string{{"phone", "call us"}, {"fax", "+86 400 000 8820"}, {"website", "not a site"}, {"email", "support"}} {
		_, err := add(bad[0], bad[1])
		wantCode(t, err, okcare.EINVALID)
	}
	_, err = add("phone", "4000008820 ") // another form of a number on the list is not the same as +86…: kept apart
	if err != nil {
		t.Fatal(err)
	}
	_, err = add("phone", "+86 (400) 000 8820")
	wantCode(t, err, okcare.ECONFLICT)
	site, err := add("website", "https://www.OKWallet.example/")
	if err != nil || site.Value != "okwallet.example" {
		t.Fatalf("website: %+v %v", site, err)
	}
	list, _ := db.OfficialChannels(ctx, false)
	if len(list) != 3 {
		t.Fatalf("%d channels on the list", len(list))
	}

	clock.Advance(time.Minute)
	if err := db.RemoveOfficialChannel(ctx, hotline.ID, "agent:adm_2"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RemoveOfficialChannel(ctx, hotline.ID, "agent:adm_2"), okcare.ECONFLICT)
	wantCode(t, db.RemoveOfficialChannel(ctx, "och_nope", "agent:adm_2"), okcare.ENOTFOUND)
	list, _ = db.OfficialChannels(ctx, false)
	all, _ := db.OfficialChannels(ctx, true)
	if len(list) != 2 || len(all) != 3 {
		t.Fatalf("after the removal: %d current, %d in all", len(list), len(all))
	}
	for _, c := range all {
		if c.ID == hotline.ID && (c.RemovedAt == nil || c.RemovedBy != "agent:adm_2" || c.AddedBy != "agent:adm_1") {
			t.Fatalf("the removed channel's history: %+v", c)
		}
	}
	// The same number may come back later; the old row stays as history.
	if _, err := add("phone", "+86 400 000 8820"); err != nil {
		t.Fatalf("adding back: %v", err)
	}
	log, _ := db.AuditLog(ctx, 20)
	if !auditHas(log, "channel.add", "agent:adm_1") || !auditHas(log, "channel.remove", "agent:adm_2") {
		t.Fatalf("channel changes are not audited: %+v", log)
	}
}

// Staff verification codes: one per staff member and ticket, shown again
// while it lasts and replaced before it runs out; a customer's check finds
// the staff member's name and the ticket, marks the code checked, and an
// expired, unknown or mistyped code is not genuine. The code is kept
// sealed and found by a keyed hash, never in clear.
func testStaffCodes(t *testing.T, db *sqldb.DB, clock *Clock) {
	li := &okcare.Agent{Email: "li@okcare.example", Name: "小李", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, li, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	wang := &okcare.Agent{Email: "wang@okcare.example", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, wang, "staff-pass-123"); err != nil {
		t.Fatal(err)
	}
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "yu@example.com", Channel: okcare.ChannelChat, Lang: "zh-CN", Intake: okcare.Intake{Description: "有人说是客服"}})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "bai@example.com", Channel: okcare.ChannelChat, Lang: "zh-CN", Intake: okcare.Intake{Description: "?"}})

	_, err = db.StaffCode(ctx, li.ID, "tkt_nope")
	wantCode(t, err, okcare.ENOTFOUND)
	code, err := db.StaffCode(ctx, li.ID, tk.ID)
	if err != nil || len(code.Code) != 9 || code.Code[4] != '-' || code.CheckedAt != nil {
		t.Fatalf("code: %+v %v", code, err)
	}
	again, _ := db.StaffCode(ctx, li.ID, tk.ID)
	theirs, _ := db.StaffCode(ctx, wang.ID, tk.ID)
	elsewhere, _ := db.StaffCode(ctx, li.ID, other.ID)
	if again.Code != code.Code || theirs.Code == code.Code || elsewhere.Code == code.Code {
		t.Fatalf("codes: %s %s %s %s", code.Code, again.Code, theirs.Code, elsewhere.Code)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM staff_codes WHERE code_sealed LIKE '%`+code.Code[:4]+`%' OR code_hash LIKE '%`+code.Code[:4]+`%'`); n != 0 {
		t.Fatal("a staff code is stored in clear")
	}

	// The customer types it as they hear it.
	for _, typed := range []string{code.Code, " " + code.Code[:4] + " " + code.Code[5:] + " ", strings.ToLower(code.Code)} {
		c, err := db.CheckStaffCode(ctx, typed)
		if err != nil || c.AgentName != "小李" || c.TicketNumber != tk.Number {
			t.Fatalf("check %q: %+v %v", typed, c, err)
		}
	}
	if c, _ := db.CheckStaffCode(ctx, theirs.Code); c == nil || c.AgentName != "" {
		t.Fatalf("a staff member without a display name is named: %+v", c)
	}
	if again, _ := db.StaffCode(ctx, li.ID, tk.ID); again.CheckedAt == nil {
		t.Fatal("the staff member's view does not say the customer checked")
	}
	for _, fake := range []string{"", "ABCD-EFGH", "0000-0000", code.Code + "X", "K7M4 2QX"} {
		_, err := db.CheckStaffCode(ctx, fake)
		wantCode(t, err, okcare.ENOTFOUND)
	}

	// Shown again until close to its end, then replaced; dead after it.
	clock.Advance(6 * time.Minute)
	if again, _ := db.StaffCode(ctx, li.ID, tk.ID); again.Code != code.Code {
		t.Fatal("a code with minutes left was replaced")
	}
	clock.Advance(2 * time.Minute)
	fresh, _ := db.StaffCode(ctx, li.ID, tk.ID)
	if fresh.Code == code.Code || !fresh.ExpiresAt.After(code.ExpiresAt) {
		t.Fatalf("a code about to run out was not replaced: %+v", fresh)
	}
	clock.Advance(3 * time.Minute)
	_, err = db.CheckStaffCode(ctx, code.Code)
	wantCode(t, err, okcare.ENOTFOUND)
	if _, err := db.CheckStaffCode(ctx, fresh.Code); err != nil {
		t.Fatalf("the fresh code: %v", err)
	}
}
