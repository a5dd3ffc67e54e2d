package smtp

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode GBK, Big5 and other charsets Chinese mail uses
	"github.com/emersion/go-message/mail"
	"github.com/microcosm-cc/bluemonday"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/upload"
)

// InboundMail is what okcare keeps of a received message.
type InboundMail struct {
	MessageID  string
	InReplyTo  []string
	References []string
	From       string // address only, lower-cased
	Subject    string
	Text       string
	// Attachments are the files sent along, unchecked: the store checks
	// their content.
	Attachments []*okcare.Attachment
	// Automatic is set for mail no human wrote: auto-replies, bounces,
	// lists and our own messages coming back. Such mail never makes a ticket.
	Automatic bool
	Why       string // why it counts as automatic
}

// ErrMalformed is returned for mail that cannot be parsed.
var ErrMalformed = errors.New("malformed message")

// maxTextChars bounds what is kept of a body.
const maxTextChars = 10_000

// ParseInbound parses a raw RFC 5322 message with go-message. envelopeFrom
// is the SMTP MAIL FROM ("" for a bounce); ourAddress is the support
// mailbox, used to spot our own mail looping back.
func ParseInbound(r io.Reader, envelopeFrom, ourAddress string) (*InboundMail, error) {
	mr, err := mail.CreateReader(r)
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	defer mr.Close()
	h := mr.Header
	m := &InboundMail{}
	if m.MessageID, err = h.MessageID(); err != nil {
		return nil, fmt.Errorf("%w: Message-ID: %v", ErrMalformed, err)
	}
	m.InReplyTo, _ = h.MsgIDList("In-Reply-To")
	m.References, _ = h.MsgIDList("References")
	from, err := h.AddressList("From")
	if err != nil || len(from) == 0 {
		return nil, fmt.Errorf("%w: no From address", ErrMalformed)
	}
	m.From = strings.ToLower(from[0].Address)
	if m.Subject, err = h.Subject(); err != nil {
		m.Subject = h.Get("Subject")
	}
	m.Automatic, m.Why = automatic(h, envelopeFrom, ourAddress)

	var plain, html string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil && !message.IsUnknownCharset(err) {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if p == nil {
			break
		}
		if ah, ok := p.Header.(*mail.AttachmentHeader); ok {
			name, _ := ah.Filename()
			data, err := io.ReadAll(io.LimitReader(p.Body, upload.MaxBytes+1))
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
			}
			m.Attachments = append(m.Attachments, &okcare.Attachment{Filename: name, Data: data})
			continue
		}
		ih, ok := p.Header.(*mail.InlineHeader)
		if !ok {
			continue
		}
		ct, _, _ := mime.ParseMediaType(ih.Get("Content-Type"))
		body, err := io.ReadAll(io.LimitReader(p.Body, 1<<20))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch {
		case (ct == "" || ct == "text/plain") && plain == "":
			plain = string(body)
		case ct == "text/html" && html == "":
			html = string(body)
		}
	}
	m.Text = plain
	if strings.TrimSpace(m.Text) == "" && html != "" {
		m.Text = bluemonday.StrictPolicy().Sanitize(html)
	}
	m.Text = strings.TrimSpace(strings.ToValidUTF8(m.Text, "\uFFFD"))
	if utf8.RuneCountInString(m.Text) > maxTextChars {
		m.Text = string([]rune(m.Text)[:maxTextChars])
	}
	m.Subject = strings.ToValidUTF8(m.Subject, "\uFFFD")
	return m, nil
}

// automatic applies RFC 3834 and common practice.
func automatic(h mail.Header, envelopeFrom, ourAddress string) (bool, string) {
	if envelopeFrom == "" {
		return true, "bounce (empty MAIL FROM)"
	}
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true, "Auto-Submitted: " + v
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true, "Precedence: " + h.Get("Precedence")
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe"} {
		if h.Get(k) != "" {
			return true, k
		}
	}
	if ourAddress != "" && strings.Contains(strings.ToLower(h.Get("X-Loop")), strings.ToLower(ourAddress)) {
		return true, "X-Loop: our own mail"
	}
	return false, ""
}

var (
	ticketIDPattern     = regexp.MustCompile(`tkt_[0-9A-V]{26}`)
	ticketNumberPattern = regexp.MustCompile(`\[OK#(\d{1,12})\]`)
)

// ThreadTicketID finds a ticket id in the threading headers (our Message-IDs
// embed it).
func (m *InboundMail) ThreadTicketID() string {
	for _, id := range append(append([]string{}, m.InReplyTo...), m.References...) {
		if t := ticketIDPattern.FindString(id); t != "" {
			return t
		}
	}
	return ""
}

// SubjectTicketNumber finds "[OK#100001]" in the subject: it survives mail
// clients that rewrite or drop References.
func (m *InboundMail) SubjectTicketNumber() string {
	if g := ticketNumberPattern.FindStringSubmatch(m.Subject); g != nil {
		return g[1]
	}
	return ""
}
