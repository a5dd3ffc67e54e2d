package smtp

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
)

// eventKind says how mail for one notification event goes out.
type eventKind struct {
	// human: a person wrote it (an agent's answer). It gets no
	// Auto-Submitted, so the customer's own auto-reply may answer it, and
	// the customer's mail filters treat it as a person's mail.
	human bool
	// customer: mail to the ticket's customer, who may answer it: it gets
	// the ticket's secret reply address. Mail to staff (SLA alerts) does
	// not, so an agent answering an alert does not write into the ticket
	// as its customer.
	customer bool
}

// events lists the events okcare mails. An event missing here is treated
// as automatic mail to nobody in particular, the safe side.
var events = map[string]eventKind{
	"ticket_reply":      {human: true, customer: true}, // an agent's public answer
	"ticket_followup":   {human: true, customer: true}, // an agent's scheduled message, their words
	"ticket_ack":        {customer: true},
	"csat_survey":       {customer: true},
	"pending_reminder":  {customer: true},
	"incident_resolved": {customer: true}, // the outage a ticket was about is over; replies reopen it
	"sla_warning":       {},
	"sla_breach":        {},

	okcare.EventNewDeviceLogin:   {},
	okcare.EventPasswordChanged:  {},
	okcare.EventTOTPEnabled:      {},
	okcare.EventTOTPDisabled:     {},
	okcare.EventAccountFrozen:    {},
	okcare.EventAccountUnfrozen:  {},
	okcare.EventLoginRestricted:  {},
	okcare.EventRestrictionLift:  {},
	"identity_verification_code": {},
	"password_reset_link":        {},
	"self_freeze_code":           {},
}

// AutoSubmitted is the Auto-Submitted header value (RFC 3834) for mail
// about event: "auto-replied" for everything okcare writes by itself, ""
// (no header) for what an agent wrote. Inbound mail carrying any value but
// "no" is never answered, so our automatic mail cannot start a loop with
// another system's.
func AutoSubmitted(event string) string {
	if events[event].human {
		return ""
	}
	return "auto-replied"
}

// composed is an outgoing message and its envelope: bare addresses.
type composed struct {
	envelopeFrom, envelopeTo string
	data                     []byte
}

// compose builds the message for n with go-message: From with its display
// name encoded, UTF-8 text and an HTML version of it as
// multipart/alternative, and a Message-ID made from the notification id, so
// a retried delivery is recognisably the same message. Mail to a ticket's
// customer replies to the ticket's secret address and embeds its token in
// the Message-ID.
func (s *Sender) compose(n *okcare.Notification, now time.Time) (*composed, error) {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, fmt.Errorf("--smtp-from %q: %w", s.From, err)
	}
	to, err := mail.ParseAddress(n.To)
	if err != nil {
		return nil, fmt.Errorf("recipient %q: %w", n.To, err)
	}
	domain := s.Domain
	if domain == "" {
		_, domain, _ = strings.Cut(from.Address, "@")
	}
	var h mail.Header
	h.SetAddressList("From", []*mail.Address{from})
	h.SetAddressList("To", []*mail.Address{to})
	h.SetSubject(n.Subject)
	h.SetDate(now)
	kind := events[n.Event]
	if n.TicketID != "" && kind.customer && len(s.ReplyKey) > 0 && s.SupportAddress != "" {
		tok := ReplyToken(s.ReplyKey, n.TicketID)
		h.SetMessageID(threadID(n.ID, n.TicketID, tok) + "@" + domain)
		h.SetAddressList("Reply-To", []*mail.Address{{Name: from.Name, Address: replyAddress(s.SupportAddress, tok)}})
	} else {
		h.SetMessageID(n.ID + "@" + domain)
	}
	if id := strings.Trim(strings.TrimSpace(n.InReplyTo), "<>"); id != "" && !strings.ContainsAny(id, "\r\n<> ") {
		h.SetMsgIDList("In-Reply-To", []string{id})
		h.SetMsgIDList("References", []string{id})
	}
	if v := AutoSubmitted(n.Event); v != "" {
		h.Set("Auto-Submitted", v)
		// Exchange and Outlook ignore Auto-Submitted but heed this: no
		// out-of-office answers to our automatic mail.
		h.Set("X-Auto-Response-Suppress", "All")
	}
	// The loop header names the support mailbox, the address inbound mail
	// is checked against (see automatic in parse.go).
	if loop := nonEmptyString(s.SupportAddress, from.Address); loop != "" {
		h.Set("X-Loop", loop)
	}
	h.Set("MIME-Version", "1.0")

	var b bytes.Buffer
	w, err := mail.CreateInlineWriter(&b, h)
	if err != nil {
		return nil, err
	}
	// A customer's anti-phishing code opens the text: mail without it is
	// not ours.
	text := notice.WithAntiPhishing(n.AntiPhishingCode, n.Subject, n.Body, false)
	for _, part := range []struct{ ct, body string }{
		{"text/plain", text},
		{"text/html", textToHTML(text)},
	} {
		var ph mail.InlineHeader
		ph.SetContentType(part.ct, map[string]string{"charset": "utf-8"})
		pw, err := w.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(pw, part.body); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return &composed{envelopeFrom: from.Address, envelopeTo: to.Address, data: b.Bytes()}, nil
}

// textToHTML renders plain text as HTML: escaped, a paragraph per block
// separated by a blank line, line breaks kept inside a paragraph.
func textToHTML(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"></head><body>\r\n")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\r\n") + "</p>\r\n")
	}
	b.WriteString("</body></html>\r\n")
	return b.String()
}

func nonEmptyString(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
