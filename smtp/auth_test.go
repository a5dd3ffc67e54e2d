package smtp_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/okcare/okcare/smtp"
)

// fakeDNS answers TXT queries from a map, without the network.
type fakeDNS map[string]string

func (d fakeDNS) lookup(name string) ([]string, error) {
	if v, ok := d[name]; ok {
		return []string{v}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

// signed returns raw signed by domain's key with go-msgauth.
func signed(t *testing.T, raw, domain string, key ed25519.PrivateKey) string {
	t.Helper()
	var b bytes.Buffer
	err := dkim.Sign(&b, strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")), &dkim.SignOptions{Domain: domain, Selector: "sel", Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

// TestInboundAuthentication: DKIM is verified against the key the
// signer's DNS publishes and DMARC derived from it; the agent sees the
// result as an internal note on the message.
func TestInboundAuthentication(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	dns := fakeDNS{
		"sel._domainkey.example.com":      "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub),
		"sel._domainkey.mail.example.com": "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub),
		"_dmarc.example.com":              "v=DMARC1; p=reject",
		"sel._domainkey.elsewhere.test":   "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub),
	}
	db, addr, _ := startReceiver(t, 1<<20, func(rc *smtp.Receiver) { rc.LookupTXT = dns.lookup })
	msg := func(id, from string) string {
		return "From: " + from + "\nTo: support@okwallet.example\nSubject: hello\nMessage-ID: <" + id + "@example.com>\n\nMy wallet will not open.\n"
	}
	for _, c := range []struct{ name, raw, note string }{
		{"signed", signed(t, msg("a1", "alice@example.com"), "example.com", key),
			"DKIM: pass (example.com) · SPF: none (not checked) · DMARC: pass (example.com, p=reject)"},
		{"signed by a subdomain (relaxed alignment)", signed(t, msg("a2", "alice@example.com"), "mail.example.com", key),
			"DKIM: pass (mail.example.com) · SPF: none (not checked) · DMARC: pass (example.com, p=reject)"},
		{"signed by another domain", signed(t, msg("a3", "alice@example.com"), "elsewhere.test", key),
			"DKIM: pass (elsewhere.test) · SPF: none (not checked) · DMARC: fail (example.com, p=reject)"},
		{"altered after signing", strings.Replace(signed(t, msg("a4", "alice@example.com"), "example.com", key), "will not open", "opens fine", 1),
			"DKIM: fail (example.com) · SPF: none (not checked) · DMARC: fail (example.com, p=reject)"},
		{"signed with a key not published", signed(t, msg("a5", "alice@example.com"), "example.com", otherKey),
			"DKIM: fail (example.com) · SPF: none (not checked) · DMARC: fail (example.com, p=reject)"},
		{"unsigned", msg("a6", "bob@nopolicy.test"),
			"DKIM: none · SPF: none (not checked) · DMARC: none"},
	} {
		if err := send(t, addr, "alice@example.com", c.raw); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var note string
		var public bool
		err := db.SQL().QueryRow(`SELECT m.body, m.public FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
			WHERE t.idempotency_key = ? AND m.author = 'system'`, strings.SplitN(strings.SplitN(c.raw, "Message-ID: <", 2)[1], ">", 2)[0]).Scan(&note, &public)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if note != c.note || public {
			t.Errorf("%s: note %q (public %v), want %q", c.name, note, public, c.note)
		}
	}
}
