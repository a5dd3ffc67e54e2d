package storetest

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)

// count runs a COUNT query written with "?" placeholders on either store.
func count(t *testing.T, db *sqldb.DB, q string, args ...any) int {
	t.Helper()
	if db.Dialect().Numbered {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	var n int
	if err := db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testAttachments(t *testing.T, db *sqldb.DB, clock *Clock) {
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "zoe@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "crash, screenshot attached"},
		Attachments: []*okcare.Attachment{{Filename: "../screen shot.png", Data: pngBytes}}})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := db.Attachments(ctx, tk.ID)
	if len(list) != 1 || list[0].Filename != "screen shot.png" || list[0].ContentType != "image/png" || list[0].Size != int64(len(pngBytes)) || list[0].MessageID == "" || list[0].Data != nil {
		t.Fatalf("attachments %+v", list)
	}
	got, err := db.Attachment(ctx, tk.ID, list[0].ID)
	if err != nil || !bytes.Equal(got.Data, pngBytes) || len(got.SHA256) != 64 {
		t.Fatalf("Attachment = %+v, %v", got, err)
	}

	// Refused files store nothing: not the file, not the ticket, not a note.
	tickets, messages := count(t, db, `SELECT COUNT(*) FROM tickets`), count(t, db, `SELECT COUNT(*) FROM ticket_messages`)
	_, err = db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "zoe@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "x"},
		Attachments: []*okcare.Attachment{{Filename: "a.html", Data: []byte("<html><script>alert(1)</script>")}}})
	wantCode(t, err, okcare.EUNSUPPORTEDMEDIA)
	wantCode(t, db.AddAttachment(ctx, tk.ID, "contact", &okcare.Attachment{Filename: "x.exe", Data: []byte("MZ\x90\x00")}), okcare.EUNSUPPORTEDMEDIA)
	wantCode(t, db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "see file",
		Attachments: []*okcare.Attachment{{Filename: "big.png", Data: append(pngBytes, make([]byte, 6<<20)...)}}}), okcare.EBODYTOOLARGE)
	if count(t, db, `SELECT COUNT(*) FROM tickets`) != tickets || count(t, db, `SELECT COUNT(*) FROM ticket_messages`) != messages || count(t, db, `SELECT COUNT(*) FROM attachments`) != 1 {
		t.Fatal("a refused file left something behind")
	}

	// Another ticket's file is not found through this one.
	other, _ := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "eve@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "hi"}})
	_, err = db.Attachment(ctx, other.ID, list[0].ID)
	wantCode(t, err, okcare.ENOTFOUND)

	// A reply with a file; then up to the limit of ten, and no further.
	if err := db.AddTicketMessage(ctx, &okcare.TicketMessage{TicketID: tk.ID, Author: "contact", Public: true, Body: "log attached",
		Attachments: []*okcare.Attachment{{Filename: "app.log", Data: []byte("boot failed\n")}}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		if err := db.AddAttachment(ctx, tk.ID, "contact", &okcare.Attachment{Filename: "more.png", Data: pngBytes}); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, db.AddAttachment(ctx, tk.ID, "contact", &okcare.Attachment{Filename: "eleventh.png", Data: pngBytes}), okcare.ECONFLICT)
	if list, _ := db.Attachments(ctx, tk.ID); len(list) != 10 {
		t.Fatalf("%d attachments, want 10", len(list))
	}
	db.SetTicketStatus(ctx, other.ID, "agent:agt_1", okcare.TicketClosed)
	wantCode(t, db.AddAttachment(ctx, other.ID, "contact", &okcare.Attachment{Filename: "late.png", Data: pngBytes}), okcare.ECONFLICT)
}
