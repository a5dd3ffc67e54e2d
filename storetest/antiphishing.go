package storetest

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// The anti-phishing code: checked, kept sealed, told to the customer in an
// alert, and handed to the senders with every message to the customer's
// registered email or phone (whatever it is about, linked ticket or not),
// never with mail to anyone else and never in the staff outbox view.
func testAntiPhishing(t *testing.T, db *sqldb.DB, _ *Clock) {
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: "hua@example.com", Phone: "+8613600000006", Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"abc", "123456", "蓝 鲸", "blue-whale", strings.Repeat("鲸", 21), "<b>x</b>"} {
		wantCode(t, db.SetAntiPhishingCode(ctx, u.ID, bad), okcare.EINVALID)
	}
	wantCode(t, db.SetAntiPhishingCode(ctx, "usr_nope", "蓝鲸42"), okcare.ENOTFOUND)
	if code, _ := db.AntiPhishingCode(ctx, u.ID); code != "" {
		t.Fatalf("a refused code was stored: %q", code)
	}
	if err := db.SetAntiPhishingCode(ctx, u.ID, " 蓝鲸42 "); err != nil {
		t.Fatal(err)
	}
	if code, _ := db.AntiPhishingCode(ctx, u.ID); code != "蓝鲸42" {
		t.Fatalf("code %q", code)
	}
	if n := countRows(t, db, `SELECT COUNT(*) FROM users WHERE anti_phishing LIKE '%蓝鲸%'`); n != 0 {
		t.Fatal("the code is stored in clear")
	}
	if countEvents(t, db, u.ID, okcare.EventAntiPhishingSet) != 1 {
		t.Fatal("no alert for the new code")
	}

	// Messages for the customer's address carry it, by mail and by SMS,
	// including mail about a ticket opened with that address.
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "hua@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "?"}})
	if err != nil {
		t.Fatal(err)
	}
	stranger, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "nobody@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN", Intake: okcare.Intake{Description: "?"}})
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountLoginRestricted, Reason: "security_review", Actor: "agent:a"}); err != nil {
		t.Fatal(err)
	}
	out := mustOutbox(t, db)
	seen := map[string]bool{}
	for _, listed := range out {
		if listed.AntiPhishingCode != "" || strings.Contains(listed.Body, "蓝鲸42") && listed.Event != okcare.EventAntiPhishingSet {
			t.Fatalf("the staff outbox view carries the code: %+v", listed)
		}
		n, err := db.Notification(ctx, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		mine := n.To == "hua@example.com" || n.To == "+8613600000006"
		if mine != (n.AntiPhishingCode == "蓝鲸42") {
			t.Fatalf("%s to %s (ticket %s) carries %q", n.Event, n.To, n.TicketID, n.AntiPhishingCode)
		}
		seen[n.Event+"|"+n.Channel] = seen[n.Event+"|"+n.Channel] || mine
	}
	if !seen["login_restricted|sms"] || !seen["login_restricted|email"] || !seen["ticket_ack|email"] {
		t.Fatalf("messages checked: %v (tickets %s, %s)", seen, tk.ID, stranger.ID)
	}

	// Removed: nothing is carried any more.
	if err := db.SetAntiPhishingCode(ctx, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	n, _ := db.Notification(ctx, out[0].ID)
	if code, _ := db.AntiPhishingCode(ctx, u.ID); code != "" || n.AntiPhishingCode != "" {
		t.Fatalf("after removal: %q %q", code, n.AntiPhishingCode)
	}
}
