package storetest

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Malformed input is refused before anything is stored or counted: an
// "email" that would say more than one plain address in a mail header, a
// blank incident title, a password or code longer than any there can be
// (not a guess, so not counted against the account), a new password that
// could never be set, an action that does not exist.
func testMalformedInput(t *testing.T, db *sqldb.DB, _ *Clock) {
	u := mustRegister(t, db, "mal@example.com")
	count := RowCounter(t, db)
	before := count()
	for _, email := range []string{"<a@example.com>", `"a"@example.com`, "a@example.com,b@example.com", "Alice <a@example.com>", "a@exa(mple).com",
		"a;b@example.com", "a\u3000b@example.com", "a\u00a0@example.com", "a\x7f@example.com", "a@example.com\r\nBcc: b@example.com"} {
		_, err := db.Register(ctx, okcare.RegisterRequest{Email: email, Password: "purple-harbour-lamp-93"})
		wantCode(t, err, okcare.EINVALID)
		_, err = db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: email, Channel: okcare.ChannelAPI, Lang: "en", Intake: okcare.Intake{Description: "x"}})
		wantCode(t, err, okcare.EINVALID)
	}
	for _, title := range []string{"", "   ", "\t\n"} {
		err := db.CreateIncident(ctx, &okcare.Incident{Title: title, Severity: okcare.SeverityMajor})
		wantCode(t, err, okcare.EINVALID)
	}
	long := strings.Repeat("p", 4000)
	wantCode(t, db.ChangePassword(ctx, u.ID, "", long, "purple-harbour-lamp-93", ""), okcare.EINVALID)
	wantCode(t, db.ChangePassword(ctx, u.ID, "", "blue-kettle-42", "purple-harbour-lamp-93", strings.Repeat("1", 100)), okcare.EINVALID)
	wantCode(t, db.ChangePassword(ctx, u.ID, "", "wrong-password-1", long, ""), okcare.EWEAKPASSWORD)
	wantCode(t, db.ChangePassword(ctx, u.ID, "", "wrong-password-1", "password", ""), okcare.EWEAKPASSWORD)
	_, err := db.BeginTOTP(ctx, u.ID, long)
	wantCode(t, err, okcare.EINVALID)
	if changed := RowChanges(before, count()); changed != "" {
		t.Fatalf("malformed input changed rows: %s", changed)
	}
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{UserID: u.ID, Channel: okcare.ChannelAPI, Lang: "en", Intake: okcare.Intake{Description: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	before = count()
	for _, action := range []string{"bogus", "", "UNFREEZE", "revoke_sessions; DROP TABLE users"} {
		_, err := db.TakeAction(ctx, tk.ID, "agt_1", action)
		wantCode(t, err, okcare.EINVALID)
	}
	if changed := RowChanges(before, count()); changed != "" {
		t.Fatalf("malformed input changed rows: %s", changed)
	}
	// None of it counted as a failed sign-in: the right password still works.
	if _, _, err := login(db, "mal@example.com", "blue-kettle-42", "phone-1", ""); err != nil {
		t.Fatal(err)
	}
}
