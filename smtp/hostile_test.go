package smtp_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare/smtp"
	"github.com/okcare/okcare/storetest"
)

// smtpCase is one hostile SMTP conversation: every command but the last
// must be accepted, and the last must get code and enhanced.
type smtpCase struct {
	name     string
	steps    []string // a step "DATA\n<message>" sends DATA, then the message and its ending dot
	code     int
	enhanced string
}

// The inbound listener answers hostile mail with its SMTP code and
// enhanced status, and stores nothing, on both stores.
func TestHostileMail(t *testing.T) {
	for _, store := range storetest.Stores {
		t.Run(store.Name, func(t *testing.T) {
			db := store.Open(t)
			rc := &smtp.Receiver{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Address: "support@okwallet.example",
				Own: []string{"OK Wallet <no-reply@okwallet.example>"}, ReplyKey: testKey, LookupTXT: noDNS}
			srv := smtp.NewServer("127.0.0.1:0", "okwallet.example", 64<<10, rc)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Close() })
			count := storetest.RowCounter(t, db)
			cases := hostileMail()
			for _, c := range cases {
				before := count()
				code, enhanced, text := converse(t, ln.Addr().String(), c.steps)
				if testing.Verbose() {
					t.Logf("%s: %s", c.name, text)
				}
				if code != c.code || enhanced != c.enhanced {
					t.Errorf("%s: %d %s %q, want %d %s", c.name, code, enhanced, text, c.code, c.enhanced)
				}
				if changed := storetest.RowChanges(before, count()); changed != "" {
					t.Errorf("%s: changed rows: %s", c.name, changed)
				}
			}
			t.Logf("%s: %d hostile mail conversations, each answered and storing nothing", store.Name, len(cases))
		})
	}
}

// Raw 8-bit bytes in a subject or body (an old client's GBK, say) are not
// the sender's fault to be refused for: the mail is filed, its text kept
// as valid UTF-8, on both stores (PostgreSQL refuses anything else).
func TestGarbledMailIsKeptAsText(t *testing.T) {
	for _, store := range storetest.Stores {
		t.Run(store.Name, func(t *testing.T) {
			db := store.Open(t)
			rc := &smtp.Receiver{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Address: "support@okwallet.example", ReplyKey: testKey, LookupTXT: noDNS}
			srv := smtp.NewServer("127.0.0.1:0", "okwallet.example", 64<<10, rc)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Close() })
			msg := message("\xc7\xae\xb0\xfc\xb4\xf2\xb2\xbb\xbf\xaa", "From: gbk@example.com", "To: support@okwallet.example", "Message-ID: <gbk@example.com>", "Subject: \xb0\xef\xd6\xfa \xff")
			code, _, text := converse(t, ln.Addr().String(), []string{"EHLO client.example", "MAIL FROM:<gbk@example.com>", "RCPT TO:<support@okwallet.example>", "DATA\n" + msg})
			if code != 250 {
				t.Fatalf("garbled mail: %s", text)
			}
			var subject, body string
			if err := db.SQL().QueryRow(`SELECT t.subject, m.body FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id WHERE t.contact_email = 'gbk@example.com'`).Scan(&subject, &body); err != nil {
				t.Fatal(err)
			}
			if !utf8.ValidString(subject) || !utf8.ValidString(body) || !strings.Contains(subject, "\uFFFD") {
				t.Fatalf("kept %q / %q", subject, body)
			}
		})
	}
}

// converse runs the steps on a fresh connection and returns the answer to
// the last one.
func converse(t *testing.T, addr string, steps []string) (int, string, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	rd := bufio.NewReader(conn)
	reply := func() (int, string, string) {
		var code int
		var lines []string
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				return 0, "", "connection closed: " + strings.Join(lines, " ")
			}
			line = strings.TrimRight(line, "\r\n")
			lines = append(lines, line)
			if len(line) >= 4 && line[3] == '-' {
				continue
			}
			code, _ = strconv.Atoi(line[:min(3, len(line))])
			break
		}
		last := lines[len(lines)-1]
		enhanced := ""
		if f := strings.Fields(last); len(f) > 1 && strings.Count(f[1], ".") == 2 {
			enhanced = f[1]
		}
		return code, enhanced, strings.Join(lines, " | ")
	}
	if code, _, text := reply(); code != 220 {
		t.Fatalf("greeting: %s", text)
	}
	for i, step := range steps {
		cmd, message, data := strings.Cut(step, "\n")
		fmt.Fprintf(conn, "%s\r\n", cmd)
		code, enhanced, text := reply()
		if data && code == 354 {
			io.WriteString(conn, message+"\r\n.\r\n")
			code, enhanced, text = reply()
		}
		if i == len(steps)-1 {
			return code, enhanced, text
		}
		if code < 200 || code >= 400 {
			t.Fatalf("step %q: %s", cmd, text)
		}
	}
	return 0, "", ""
}

// message is a mail with CRLF line ends from header lines and a body.
func message(body string, headers ...string) string {
	return strings.Join(headers, "\r\n") + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
}

// hostileMail are the conversations, each with a sender of its own so
// that no per-sender limit is what answers.
func hostileMail() []smtpCase {
	var out []smtpCase
	n := 0
	send := func(name, from string, msg string, code int, enhanced string) {
		n++
		out = append(out, smtpCase{name: name, code: code, enhanced: enhanced,
			steps: []string{"EHLO client.example", "MAIL FROM:<" + from + ">", "RCPT TO:<support@okwallet.example>", "DATA\n" + msg}})
	}
	sender := func(i int) string { return fmt.Sprintf("sender%d@example.com", i) }
	hdr := func(i int, extra ...string) []string {
		return append([]string{"From: " + sender(i), "To: support@okwallet.example", fmt.Sprintf("Message-ID: <hostile-%d@example.com>", i), "Subject: help"}, extra...)
	}
	// The envelope.
	dialog := func(name string, code int, enhanced string, steps ...string) {
		out = append(out, smtpCase{name: name, steps: steps, code: code, enhanced: enhanced})
	}
	dialog("too many recipients", 452, "4.5.3", append([]string{"EHLO client.example", "MAIL FROM:<many@example.com>"}, repeat("RCPT TO:<support@okwallet.example>", 11)...)...)
	for _, rcpt := range []string{"victim@example.net", "ceo@okwallet.example", "support@okwallet.example.evil.net", "support@evil.net", "postmaster@localhost"} {
		dialog("recipient not ours: "+rcpt, 550, "5.1.1", "EHLO client.example", "MAIL FROM:<a@example.com>", "RCPT TO:<"+rcpt+">")
	}
	for _, rcpt := range []string{"victim@example.net", "<" + strings.Repeat("a", 300) + "@okwallet.example>", "<support\xff@okwallet.example>", "<support\x01@okwallet.example>"} {
		dialog("recipient not ours: "+rcpt, 550, "5.1.1", "EHLO client.example", "MAIL FROM:<a@example.com>", "RCPT TO:"+rcpt)
	}
	for _, rcpt := range []string{"<not an address>", "<>", "<support@okwallet.example", "<a b@okwallet.example>"} {
		dialog("bad recipient: "+rcpt, 501, "5.5.2", "EHLO client.example", "MAIL FROM:<a@example.com>", "RCPT TO:"+rcpt)
	}
	for _, from := range []string{"<a b@example.com>", "<a@example.com"} {
		dialog("bad sender: "+from, 501, "5.5.2", "EHLO client.example", "MAIL FROM:"+from)
	}
	dialog("an unknown MAIL parameter", 500, "5.5.4", "EHLO client.example", "MAIL FROM:<a@example.com> X-EVIL=1")
	for _, from := range []string{"<\xff\xfe@example.com>", "<a\x01b@example.com>", "<\xc0\xaf@example.com>"} {
		dialog("sender not text: "+from, 553, "5.1.7", "EHLO client.example", "MAIL FROM:"+from)
	}
	dialog("a SIZE that is no number", 501, "5.5.4", "EHLO client.example", "MAIL FROM:<a@example.com> SIZE=abc")
	dialog("declared size over the limit", 552, "5.3.4", "EHLO client.example", "MAIL FROM:<big@example.com> SIZE=99999999")
	dialog("RCPT before MAIL", 502, "5.5.1", "EHLO client.example", "RCPT TO:<support@okwallet.example>")
	dialog("DATA before RCPT", 502, "5.5.1", "EHLO client.example", "MAIL FROM:<a@example.com>", "DATA")
	dialog("MAIL before EHLO", 502, "5.5.1", "MAIL FROM:<a@example.com>")
	dialog("AUTH in the clear", 523, "5.7.10", "EHLO client.example", "AUTH PLAIN AGFsaWNlAHBhc3N3b3Jk")
	dialog("VRFY tells nothing", 252, "2.5.0", "EHLO client.example", "VRFY support")
	dialog("an unknown command", 501, "5.5.2", "EHLO client.example", "XYZZY")
	dialog("a command line of 10,000 characters", 500, "5.4.0", "EHLO client.example", "MAIL FROM:<"+strings.Repeat("a", 10000)+"@example.com>")
	// The message.
	send("over the size limit", sender(1), message(strings.Repeat(strings.Repeat("x", 70)+"\n", 1000), hdr(1)...), 552, "5.3.4")
	send("a body line of 70,000 characters", sender(23), message(strings.Repeat("x", 70<<10), hdr(23)...), 554, "5.6.0")
	send("no From", sender(2), message("hello", "To: support@okwallet.example", "Message-ID: <hostile-2@example.com>", "Subject: help"), 554, "5.6.0")
	send("an empty From", sender(3), message("hello", append([]string{"From: "}, hdr(3)[1:]...)...), 554, "5.6.0")
	send("a From that is no address", sender(4), message("hello", append([]string{"From: not an address"}, hdr(4)[1:]...)...), 554, "5.6.0")
	send("8-bit garbage in From", sender(5), message("hello", append([]string{"From: \xff\xfe <\xff\xfe@example.com>"}, hdr(5)[1:]...)...), 554, "5.6.0")
	send("8-bit garbage in the From name only", sender(6), message("hello", append([]string{"From: \xff\xfe\x80 <" + sender(6) + ">", "X-Test: 1"}, hdr(6)[1:]...)...), 554, "5.6.0")
	send("a NUL in the body", sender(7), message("hello\x00world", hdr(7)...), 554, "5.6.0")
	send("a NUL in the subject", sender(8), message("hello", append(hdr(8)[:3], "Subject: he\x00lp")...), 554, "5.6.0")
	send("a NUL in From", sender(9), message("hello", append([]string{"From: a\x00b@example.com"}, hdr(9)[1:]...)...), 554, "5.6.0")
	send("no headers at all", sender(10), "just text, no header\r\nmore text", 554, "5.6.0")
	send("an empty message", sender(11), "", 554, "5.6.0")
	send("a subject of 10,000 characters", sender(12), message("hello", append(hdr(12)[:3], "Subject: "+strings.Repeat("s", 10000))...), 554, "5.6.0")
	send("a Message-ID with spaces", sender(13), message("hello", append(hdr(13)[:2], "Message-ID: <a b c@example.com>", "Subject: help")...), 554, "5.6.0")
	send("8-bit garbage in the Message-ID", sender(14), message("hello", append(hdr(14)[:2], "Message-ID: <\xff\xfe@example.com>", "Subject: help")...), 554, "5.6.0")
	send("broken base64", sender(15), message("!!!! not base64 ****", append(hdr(15), "Content-Transfer-Encoding: base64")...), 554, "5.6.0")
	send("a multipart without its boundary", sender(16), message("--x\r\nContent-Type: text/plain\r\n\r\nhello", append(hdr(16), "MIME-Version: 1.0", "Content-Type: multipart/mixed")...), 554, "5.6.0")
	send("a header line of 100,000 bytes", sender(17), message("hello", append(hdr(17), "X-Long: "+strings.Repeat("h", 60000))...), 554, "5.6.0")
	// Mail no human wrote is taken (so the sender stops) and filed nowhere.
	send("a bounce", "", message("Delivery failed", append(hdr(19), "Auto-Submitted: auto-replied")...), 250, "2.0.0")
	send("our own mail back", "support@okwallet.example", message("loop", append([]string{"From: support@okwallet.example"}, hdr(20)[1:]...)...), 250, "2.0.0")
	send("an X-Loop naming us", sender(21), message("loop", append(hdr(21), "X-Loop: support@okwallet.example")...), 250, "2.0.0")
	send("a mailing list", sender(22), message("news", append(hdr(22), "Precedence: bulk")...), 250, "2.0.0")
	return out
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
