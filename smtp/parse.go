package smtp

import (
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode GBK, Big5 and other charsets Chinese mail uses
	"github.com/emersion/go-message/mail"
	"github.com/inbucket/html2text"
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
	// Recipients are the envelope's RCPT TO addresses; a reply's token
	// may come in one's plus part.
	Recipients []string
	Subject    string
	// Text is what the sender wrote, quoted history removed; Original is
	// the whole text when something was removed, else "".
	Text     string
	Original string
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
	return parseInbound(r, envelopeFrom, ourAddress, 0)
}

// maxNesting bounds forwarded messages inside forwarded messages.
const maxNesting = 3

func parseInbound(r io.Reader, envelopeFrom, ourAddress string, depth int) (*InboundMail, error) {
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

	var plain, htmlText string
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
			if ct, _, _ := ah.ContentType(); ct == "message/rfc822" {
				a, err := forwarded(p.Body, depth)
				if err != nil {
					return nil, err
				}
				m.Attachments = append(m.Attachments, a)
				continue
			}
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
		if ct == "message/rfc822" {
			// A forwarded message sent inline: kept as a file, not dropped.
			a, err := forwarded(p.Body, depth)
			if err != nil {
				return nil, err
			}
			m.Attachments = append(m.Attachments, a)
			continue
		}
		// A screenshot pasted into the text (Outlook, QQ Mail) or a file
		// Apple Mail sends "inline" is a file all the same.
		if name, _ := (&mail.AttachmentHeader{Header: ih.Header}).Filename(); name != "" || (ct != "" && !strings.HasPrefix(ct, "text/")) {
			data, err := io.ReadAll(io.LimitReader(p.Body, upload.MaxBytes+1))
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
			}
			m.Attachments = append(m.Attachments, &okcare.Attachment{Filename: name, Data: data})
			continue
		}
		body, err := io.ReadAll(io.LimitReader(p.Body, 1<<20))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch {
		case (ct == "" || ct == "text/plain") && plain == "":
			plain = string(body)
		case ct == "text/html" && htmlText == "":
			htmlText = string(body)
		}
	}
	text := plain
	if strings.TrimSpace(text) == "" && htmlText != "" {
		text = HTMLToText(htmlText)
	}
	text = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(text, "\r\n", "\n"), "\uFFFD"))
	if kept, stripped := StripQuoted(text); stripped {
		m.Text, m.Original = kept, text
	} else {
		m.Text = text
	}
	m.Text = truncate(m.Text, maxTextChars)
	m.Subject = strings.ToValidUTF8(m.Subject, "\uFFFD")
	if !m.Automatic {
		m.Automatic, m.Why = autoReplySubject(m.Subject)
	}
	return m, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n])
	}
	return s
}

// HTMLToText renders an HTML-only message as readable text with
// github.com/inbucket/html2text: entities decoded (&nbsp; as a plain
// space), paragraphs and line breaks kept, links as "text ( url )", quoted
// blocks (<blockquote>) as "> " lines, so that StripQuoted finds them.
// Markup it cannot parse loses its tags.
func HTMLToText(h string) string {
	text, err := html2text.FromString(h, html2text.Options{})
	if err != nil {
		return html.UnescapeString(bluemonday.StrictPolicy().Sanitize(h))
	}
	return strings.ReplaceAll(text, "\u00a0", " ") // &nbsp;, which webmail uses for every other space
}

// forwarded keeps a message/rfc822 part as a text file named after its
// subject: the message as it came if it is UTF-8 (a 7-bit message is),
// else its decoded headers and text, so that the attachment check (plain
// text must be UTF-8) keeps it either way.
func forwarded(body io.Reader, depth int) (*okcare.Attachment, error) {
	raw, err := io.ReadAll(io.LimitReader(body, upload.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	name := "forwarded-message"
	var inner *InboundMail
	if depth < maxNesting {
		inner, err = parseInbound(strings.NewReader(string(raw)), "forwarded", "", depth+1)
	}
	if err == nil && inner != nil && strings.TrimSpace(inner.Subject) != "" {
		name = inner.Subject
	}
	data := raw
	if !utf8.Valid(raw) && err == nil && inner != nil {
		data = []byte("From: " + inner.From + "\nSubject: " + inner.Subject + "\n\n" + nonEmptyString(inner.Original, inner.Text) + "\n")
	}
	return &okcare.Attachment{Filename: name + ".eml.txt", Data: data}, nil
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

// autoReplySubject spots auto-replies that carry no header saying so, by
// the subjects Outlook, Exchange, QQ Mail, NetEase and Gmail vacation
// responders put on them.
func autoReplySubject(subject string) (bool, string) {
	s := strings.ToLower(strings.TrimSpace(subject))
	for _, p := range autoReplyPrefixes {
		if strings.HasPrefix(s, p) {
			return true, "auto-reply subject"
		}
	}
	return false, ""
}

var autoReplyPrefixes = []string{
	"自动回复", "自動回覆", "自动答复", "自動回復", "[自动回复]", "【自动回复】",
	"auto reply", "auto-reply", "autoreply", "automatic reply", "auto response", "auto-response", "autoresponse",
	"out of office", "out of the office", "ooo:", "vacation reply", "away from the office",
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
