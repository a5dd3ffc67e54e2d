package smtp_test

import (
	"strings"
	"testing"

	"github.com/okcare/okcare/storetest"
)

// TestMailSecretsNeverStored: a mail with a private key in its subject, a
// recovery phrase in its body and a one-time code in a text attachment,
// over a real SMTP conversation: only the markers are stored, the ticket
// is flagged, and the acknowledgement carries the warning in English.
func TestMailSecretsNeverStored(t *testing.T) {
	db, addr, count := startReceiver(t, 64<<10)
	raw := `From: Sam <sam@example.com>
To: support@okwallet.example
Subject: key 4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318 not accepted
Message-ID: <secret1@example.com>
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

The agent on Telegram asked for my seed phrase:
draft oyster rack north fresh grape junior boat exhibit shrug egg cactus
--b1
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="sms.txt"

Your OK Wallet verification code is 482913
--b1--
`
	if err := send(t, addr, "sam@example.com", raw); err != nil {
		t.Fatal(err)
	}
	var subject, tags, priority string
	db.SQL().QueryRow(`SELECT subject, tags, priority FROM tickets`).Scan(&subject, &tags, &priority)
	if subject != "key [private key hidden] not accepted" || !strings.Contains(tags, "secret_exposed") || priority != "urgent" {
		t.Fatalf("ticket subject %q tags %q priority %q", subject, tags, priority)
	}
	var data string
	db.SQL().QueryRow(`SELECT CAST(data AS TEXT) FROM attachments`).Scan(&data)
	if data != "Your OK Wallet verification code is [code hidden]\n" && data != "Your OK Wallet verification code is [code hidden]" {
		t.Fatalf("attachment %q", data)
	}
	for _, secret := range []string{"oyster rack", "4c0883a69102937d", "482913"} {
		for _, place := range []string{"tickets WHERE subject LIKE '%" + secret + "%' OR intake LIKE '%" + secret + "%'",
			"ticket_messages WHERE body LIKE '%" + secret + "%' OR note LIKE '%" + secret + "%'",
			"attachments WHERE CAST(data AS TEXT) LIKE '%" + secret + "%'"} {
			if n := count(place); n != 0 {
				t.Errorf("%q stored in %s", secret, place)
			}
		}
	}
	ack := storetest.Notified(t, db, `WHERE event = 'ticket_ack'`) // bodies are sealed: read it as the sender does
	if !strings.Contains(ack.Body, "OK Wallet staff never ask for your recovery phrase, private key, password or codes") {
		t.Fatalf("acknowledgement without the warning:\n%s", ack.Body)
	}
	for _, secret := range []string{"oyster rack", "4c0883a69102937d", "482913"} {
		if strings.Contains(ack.Subject+ack.Body, secret) {
			t.Errorf("%q in the acknowledgement %q", secret, ack.Subject)
		}
	}
}
