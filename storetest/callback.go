package storetest

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testPhoneCallbacks(t *testing.T, db *sqldb.DB, clock *Clock) {
	_, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "gu@example.com", Channel: okcare.ChannelPhone, Lang: "zh-CN", Intake: okcare.Intake{Description: "请回电"}})
	wantCode(t, err, okcare.EINVALID) // a callback needs a number
	_, err = db.CreateTicket(ctx, okcare.NewTicket{ContactPhone: "+8613800000009", Channel: okcare.ChannelPhone, Lang: "zh-CN", Intake: okcare.Intake{Description: "请回电", CallbackWindow: "midnight"}})
	wantCode(t, err, okcare.EINVALID)
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactPhone: "+8613800000009", Channel: okcare.ChannelPhone, Lang: "zh-CN", Intake: okcare.Intake{Description: "请回电", CallbackWindow: "afternoon"}})
	if err != nil {
		t.Fatal(err)
	}
	// Phone: the first response is due at the end of the business day.
	if tk.FirstResponseDue == nil || tk.FirstResponseDue.In(clock.Now().Location()).Hour() != 10 { // 18:00 in Shanghai
		t.Fatalf("phone first response due %v", tk.FirstResponseDue)
	}
	wantCode(t, db.LogCall(ctx, tk.ID, "agt_1", "hung_up", ""), okcare.EINVALID)
	if err := db.LogCall(ctx, tk.ID, "agt_1", okcare.CallNoAnswer, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindTicket(ctx, tk.ID); got.FirstRespondedAt != nil {
		t.Fatal("an unanswered call counted as the first response")
	}
	if err := db.LogCall(ctx, tk.ID, "agt_1", okcare.CallReached, "指导用户清除缓存后恢复"); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindTicket(ctx, tk.ID)
	if got.FirstRespondedAt == nil || got.Status != okcare.TicketOpen || got.Intake.CallbackWindow != "afternoon" {
		t.Fatalf("after the call: %+v", got)
	}
	msgs, _ := db.TicketMessages(ctx, tk.ID, true)
	if last := msgs[len(msgs)-1]; last.Public || !strings.Contains(last.Body, "reached") || !strings.Contains(last.Body, "清除缓存") {
		t.Fatalf("call note %+v", last)
	}
	if public, _ := db.TicketMessages(ctx, tk.ID, false); len(public) != 1 {
		t.Fatal("call notes are visible to the customer")
	}
}
