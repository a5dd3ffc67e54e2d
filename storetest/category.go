package storetest

import (
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Every ticket is classified: one that arrives without a category gets the
// diagnosis model's cause for its text, with a confidence; one with a
// category keeps it. An agent's correction changes the category, is
// audited and is kept as a labelled example in order, for export; the same
// category again, an unknown cause or ticket change nothing.
func testTicketCategories(t *testing.T, db *sqldb.DB, clock *Clock) {
	mail, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "m@example.com", Channel: okcare.ChannelMail, Lang: "zh-CN", Subject: "钱包打不开",
		Intake: okcare.Intake{Description: "手机提示存储空间不足，钱包一打开就闪退"}})
	if err != nil {
		t.Fatal(err)
	}
	if mail.Category != "device_storage_low" || mail.CategorySource != okcare.CategoryByModel || mail.CategoryConfidence == nil || *mail.CategoryConfidence <= 0 || *mail.CategoryConfidence > 1 {
		t.Fatalf("mail ticket category %q source %q confidence %v", mail.Category, mail.CategorySource, mail.CategoryConfidence)
	}
	if got, _ := db.FindTicket(ctx, mail.ID); got.Category != mail.Category || got.CategorySource != okcare.CategoryByModel || got.CategoryConfidence == nil || *got.CategoryConfidence != *mail.CategoryConfidence {
		t.Fatalf("stored: %+v", got)
	}
	chat, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "c@example.com", Channel: okcare.ChannelChat, Lang: "en", Intake: okcare.Intake{Description: "someone posing as support asked for my recovery phrase"}})
	if chat.Category != "scam_contact" || chat.CategorySource != okcare.CategoryByModel {
		t.Fatalf("chat ticket %q %q", chat.Category, chat.CategorySource)
	}
	given, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "g@example.com", Channel: okcare.ChannelWeb, Lang: "en", Category: "network_offline", Intake: okcare.Intake{Description: "storage full"}})
	if given.Category != "network_offline" || given.CategorySource != okcare.CategoryByCustomer || given.CategoryConfidence != nil {
		t.Fatalf("given category %q %q %v", given.Category, given.CategorySource, given.CategoryConfidence)
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A ticket the words leave unknown is read again when the customer
	// explains; one a person categorised is not.
	vague, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "v@example.com", Channel: okcare.ChannelMail, Lang: "en", Subject: "help", Intake: okcare.Intake{Description: "help"}})
	if vague.Category != "unknown" || vague.CategorySource != okcare.CategoryByModel {
		t.Fatalf("vague ticket %q %q", vague.Category, vague.CategorySource)
	}
	must(db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: vague.ID, Author: "contact", Public: true, Body: "my phone was stolen last night and the wallet is still signed in"}))
	must(db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: given.ID, Author: "contact", Public: true, Body: "my phone was stolen last night"}))
	if got, _ := db.FindTicket(ctx, vague.ID); got.Category != "device_lost" || got.CategorySource != okcare.CategoryByModel || got.CategoryConfidence == nil {
		t.Fatalf("after the customer explained: %q %q", got.Category, got.CategorySource)
	}
	if got, _ := db.FindTicket(ctx, given.ID); got.Category != "network_offline" {
		t.Fatalf("a customer's category was reread: %q", got.Category)
	}

	// Chat messages stored together (one batch, as the chat sockets do)
	// are each read as a lone message would be.
	lost, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "lost@example.com", Lang: "en", Intake: okcare.Intake{Description: "hello"}})
	must(err)
	scam, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "scam@example.com", Lang: "en", Intake: okcare.Intake{Description: "hi"}})
	must(err)
	errs, err := db.AddChatMessages(ctx, []*okcare.TicketMessage{
		{TicketID: lost.ID, Author: "contact", Public: true, Body: "my phone was stolen last night and the wallet is still signed in", ClientID: "c-lost"},
		{TicketID: scam.ID, Author: "contact", Public: true, Body: "someone posing as support asked for my recovery phrase", ClientID: "c-scam"},
	})
	must(err)
	must(errs[0])
	must(errs[1])
	for id, want := range map[string]string{lost.ID: "device_lost", scam.ID: "scam_contact"} {
		if got, _ := db.FindTicket(ctx, id); got.Category != want || got.CategorySource != okcare.CategoryByModel {
			t.Fatalf("chat %s after a batch: %q %q, want %q", id, got.Category, got.CategorySource, want)
		}
	}

	if labels, err := db.CategoryLabels(ctx, "", 10); err != nil || len(labels) != 0 {
		t.Fatalf("labels before any correction: %v %v", labels, err)
	}
	fixed, err := db.SetTicketCategory(ctx, mail.ID, "device_memory_low", "agt_1")
	if err != nil || fixed.Category != "device_memory_low" || fixed.CategorySource != okcare.CategoryByAgent || fixed.CategoryConfidence != nil {
		t.Fatalf("corrected: %+v %v", fixed, err)
	}
	clock.Advance(1)
	if _, err := db.SetTicketCategory(ctx, given.ID, "app_malfunction", "agt_2"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetTicketCategory(ctx, given.ID, "app_malfunction", "agt_2"); err != nil {
		t.Fatal(err) // the same again: no new label
	}
	wantCode(t, errOf(db.SetTicketCategory(ctx, given.ID, "printer_on_fire", "agt_2")), okcare.EINVALID)
	wantCode(t, errOf(db.SetTicketCategory(ctx, "tkt_missing", "app_malfunction", "agt_2")), okcare.ENOTFOUND)
	if got, _ := db.FindTicket(ctx, given.ID); got.Category != "app_malfunction" {
		t.Fatalf("a refused correction changed the ticket: %q", got.Category)
	}

	labels, err := db.CategoryLabels(ctx, "", 10)
	if err != nil || len(labels) != 2 {
		t.Fatalf("labels: %v %v", labels, err)
	}
	first, second := labels[0], labels[1]
	if first.TicketID != mail.ID || first.From != "device_storage_low" || first.FromSource != okcare.CategoryByModel || first.FromConfidence == nil ||
		first.Category != "device_memory_low" || first.AgentID != "agt_1" || first.Lang != "zh-CN" || first.Text != "钱包打不开\n手机提示存储空间不足，钱包一打开就闪退" {
		t.Fatalf("first label %+v", first)
	}
	if second.TicketID != given.ID || second.From != "network_offline" || second.FromSource != okcare.CategoryByCustomer || second.FromConfidence != nil || second.Text != "storage full" {
		t.Fatalf("second label %+v", second)
	}
	if rest, err := db.CategoryLabels(ctx, first.ID, 10); err != nil || len(rest) != 1 || rest[0].ID != second.ID {
		t.Fatalf("after the first: %v %v", rest, err)
	}
	wantCode(t, errOf(db.CategoryLabels(ctx, "", 0)), okcare.EINVALID)
	wantCode(t, errOf(db.CategoryLabels(ctx, "lbl_missing", 10)), okcare.EINVALID)
	if log, _ := db.AuditLog(ctx, 1); len(log) != 1 || log[0].Action != "ticket.category" || log[0].Actor != "agent:agt_2" {
		t.Fatalf("audit %+v", log)
	}
}

func errOf[T any](_ T, err error) error { return err }
