package smtp_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/okcare/okcare/smtp"
)

// withAttachment builds a multipart message carrying one file.
func withAttachment(messageID, filename, contentType string, data []byte) string {
	return `From: Li Wei <liwei@example.com>
To: support@okwallet.example
Subject: crash screenshot
Message-ID: <` + messageID + `>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

打开就闪退，截图见附件。
--b1
Content-Type: ` + contentType + `
Content-Disposition: attachment; filename="` + filename + `"
Content-Transfer-Encoding: base64

` + base64.StdEncoding.EncodeToString(data) + `
--b1--
`
}

func TestInboundAttachments(t *testing.T) {
	db, addr, count := startReceiver(t, 1<<20)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 300)...)

	if err := send(t, addr, "liwei@example.com", withAttachment("a1@example.com", "截图 1.png", "image/png", png)); err != nil {
		t.Fatal(err)
	}
	var name, ct string
	var size int
	db.SQL().QueryRow(`SELECT filename, content_type, size FROM attachments`).Scan(&name, &ct, &size)
	if count("tickets") != 1 || name != "截图 1.png" || ct != "image/png" || size != len(png) {
		t.Fatalf("tickets %d, attachment %q %q %d", count("tickets"), name, ct, size)
	}

	// A page or a program as an attachment: the mail is accepted, its text
	// kept, the file left out, and the customer told which file and why,
	// in the ticket's language.
	for i, bad := range []struct{ name, ct, body, subject, note string }{
		{"invoice.html", "text/html", "<html><script>alert(1)</script></html>", "crash screenshot", "附件「invoice.html」未保存：只能接收截图和照片（PNG、JPEG、GIF、WebP）、PDF 和纯文本文件。"},
		{"photo.png", "image/png", "MZ\x90\x00\x03 this is a program", "app crash", "The attachment \"photo.png\" was not kept: only screenshots and photos"},
	} {
		raw := withAttachment("bad"+string(rune('0'+i))+"@example.com", bad.name, bad.ct, []byte(bad.body))
		if i == 1 { // an English mail
			raw = strings.Replace(strings.Replace(raw, "打开就闪退，截图见附件。", "It crashes on start, see the screenshot.", 1), "Subject: crash screenshot", "Subject: "+bad.subject, 1)
		}
		if err := send(t, addr, "liwei@example.com", raw); err != nil {
			t.Fatalf("%s: the mail was refused: %v", bad.name, err)
		}
		var ticket, note string
		db.SQL().QueryRow(`SELECT ticket_id, body FROM ticket_messages WHERE author = 'system' AND public = true ORDER BY created_at DESC LIMIT 1`).Scan(&ticket, &note)
		if !strings.HasPrefix(note, bad.note) {
			t.Fatalf("%s: note %q", bad.name, note)
		}
		if n := count("ticket_messages WHERE ticket_id = '" + ticket + "' AND author = 'contact' AND body != ''"); n != 1 {
			t.Fatalf("%s: the text was not kept", bad.name)
		}
	}
	if count("tickets") != 3 || count("attachments") != 1 {
		t.Fatalf("%d tickets, %d attachments: a refused file was kept", count("tickets"), count("attachments"))
	}

	// A reply with a refused file joins its ticket all the same; the note
	// is in the ticket's language (the Chinese one opened first).
	var first string
	db.SQL().QueryRow(`SELECT id FROM tickets ORDER BY number LIMIT 1`).Scan(&first)
	reply := strings.Replace(withAttachment("reply1@example.com", "setup.exe", "application/octet-stream", []byte("MZ\x90\x00 program")),
		"Subject: crash screenshot", "Subject: Re: crash screenshot\nIn-Reply-To: <ntf_1."+first+"."+smtp.ReplyToken(testKey, first)+"@okwallet.example>", 1)
	if err := send(t, addr, "liwei@example.com", reply); err != nil {
		t.Fatal(err)
	}
	if n := count("ticket_messages WHERE ticket_id = '" + first + "' AND author = 'contact'"); n != 2 {
		t.Fatalf("the reply did not join its ticket: %d customer messages", n)
	}
	if n := count("ticket_messages WHERE ticket_id = '" + first + "' AND author = 'system' AND public = true AND body LIKE '附件「setup.exe」未保存%'"); n != 1 {
		t.Fatal("no note in Chinese naming the file left out of the reply")
	}
	if count("tickets") != 3 || count("attachments") != 1 {
		t.Fatal("the reply's refused file was kept, or the reply opened a ticket")
	}
}
