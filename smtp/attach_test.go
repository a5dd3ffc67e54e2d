package smtp_test

import (
	"encoding/base64"
	"strings"
	"testing"
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

	// A page or a program as an attachment: refused with the reason, nothing kept.
	for i, bad := range []struct{ name, ct, body string }{
		{"invoice.html", "text/html", "<html><script>alert(1)</script></html>"},
		{"photo.png", "image/png", "MZ\x90\x00\x03 this is a program"},
	} {
		err := send(t, addr, "liwei@example.com", withAttachment("bad"+string(rune('0'+i))+"@example.com", bad.name, bad.ct, []byte(bad.body)))
		if err == nil || !strings.Contains(err.Error(), "554") || !strings.Contains(err.Error(), "PNG") {
			t.Fatalf("%s: %v", bad.name, err)
		}
	}
	if count("tickets") != 1 || count("attachments") != 1 || count("ticket_messages") != 1 {
		t.Fatal("a refused attachment left something behind")
	}
}
