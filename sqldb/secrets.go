package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/secretscan"
)

// Secrets never stored. The store is where customer text becomes durable,
// and everything else (the console, the search, mail, the chat relay,
// logs) reads what it stored; so the masking happens here, on every path
// that writes text a customer sent: a new ticket's subject, intake and
// text attachments (every channel: web, API, mail, chat, callback, left
// messages), every ticket message (replies by page, API, mail and chat;
// notes and staff replies too, which may quote the customer), survey
// comments and diagnoses. A customer's secret also flags the ticket for
// the security team (tag, urgent, a note for staff) and warns the
// customer at once in the ticket's language (a public message, in the
// acknowledgement of a new ticket, by mail on a mail ticket).

// NoteSecretMasked is the staff note saying which kinds were hidden.
const NoteSecretMasked = "secret_masked"

// masker masks texts in one language and gathers the kinds found.
type masker struct {
	lang  string
	kinds []string
}

// text masks s.
func (mk *masker) text(s string) string {
	if s == "" {
		return s
	}
	r := secretscan.Mask(s, mk.lang)
	for _, k := range r.Kinds {
		if !slices.Contains(mk.kinds, k) {
			mk.kinds = append(mk.kinds, k)
		}
	}
	return r.Text
}

// found reports the kinds found so far in the order secretscan lists them.
func (mk *masker) found() []string {
	var out []string
	for _, k := range secretscan.Kinds {
		if slices.Contains(mk.kinds, k) {
			out = append(out, k)
		}
	}
	return out
}

// maskNewTicket masks the text of a new ticket before it is checked (so
// that a subject taken from the description is taken from the masked
// one). When something was masked, the idempotency fingerprint becomes
// one of the masked request: the caller's hash covered the secret, and a
// short code could be found again from it.
func maskNewTicket(req *okcare.NewTicket) []string {
	mk := &masker{lang: req.Lang}
	req.Subject = mk.text(req.Subject)
	in := &req.Intake
	in.Description, in.HappenedAt, in.Symptom = mk.text(in.Description), mk.text(in.HappenedAt), mk.text(in.Symptom)
	for i, s := range in.StepsTried {
		in.StepsTried[i] = mk.text(s)
	}
	if req.Ack != nil {
		ack := *req.Ack
		ack.Subject = mk.text(ack.Subject)
		req.Ack = &ack
	}
	kinds := mk.found()
	if kinds != nil && req.RequestHash != "" {
		b, _ := json.Marshal([]any{req.Subject, req.Intake, req.ContactEmail, req.ContactPhone, req.Category, req.Lang})
		sum := sha256.Sum256(b)
		req.RequestHash = "masked:" + hex.EncodeToString(sum[:])
	}
	return kinds
}

// maskAttachments masks checked text files (checkAttachments has run),
// keeping their size and hash right.
func maskAttachments(list []*okcare.Attachment, lang string) []string {
	mk := &masker{lang: lang}
	for _, a := range list {
		a.Filename = mk.text(a.Filename)
		if !strings.HasPrefix(a.ContentType, "text/") || !utf8.Valid(a.Data) {
			continue
		}
		if masked := mk.text(string(a.Data)); masked != string(a.Data) {
			sum := sha256.Sum256([]byte(masked))
			a.Data, a.Size, a.SHA256 = []byte(masked), int64(len(masked)), hex.EncodeToString(sum[:])
		}
	}
	return mk.found()
}

// maskMessage masks a message's body and its note's arguments.
func maskMessage(m *okcare.TicketMessage, lang string) []string {
	mk := &masker{lang: lang}
	m.Body = mk.text(m.Body)
	if m.Note != nil && len(m.Note.Args) > 0 {
		args := make(map[string]string, len(m.Note.Args))
		for k, v := range m.Note.Args {
			args[k] = mk.text(v)
		}
		m.Note = &okcare.Note{Key: m.Note.Key, Args: args}
	}
	return mk.found()
}

// maskJSON masks every string in a JSON document; the document is
// rewritten only when something was found.
func maskJSON(raw []byte, lang string) ([]byte, []string) {
	if len(raw) == 0 {
		return raw, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		// Not JSON: mask it as text.
		mk := &masker{lang: lang}
		out := mk.text(string(raw))
		return []byte(out), mk.found()
	}
	mk := &masker{lang: lang}
	v = maskValue(v, mk)
	kinds := mk.found()
	if kinds == nil {
		return raw, nil
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw, nil
	}
	return out, kinds
}

func maskValue(v any, mk *masker) any {
	switch x := v.(type) {
	case string:
		return mk.text(x)
	case []any:
		for i := range x {
			x[i] = maskValue(x[i], mk)
		}
	case map[string]any:
		for k := range x {
			x[k] = maskValue(x[k], mk)
		}
	}
	return v
}

// customerAuthor reports whether a message's author is the customer.
func customerAuthor(author string) bool {
	return author == "contact" || strings.HasPrefix(author, "user:")
}

// flagSecret marks t (locked by the caller) after secrets of kinds were
// hidden from its customer's text: the tag, urgent priority, a note for
// staff naming the kinds (never the secret), and the public warning the
// customer sees at once.
func (db *DB) flagSecret(ctx context.Context, tx *Tx, t *okcare.Ticket, kinds []string) (*okcare.SecretWarning, error) {
	if !t.SecretExposed() {
		t.Tags = append(t.Tags, okcare.TagSecretExposed)
		if _, err := tx.exec(ctx, `UPDATE tickets SET tags = ?, updated_at = ? WHERE id = ?`, strings.Join(t.Tags, ","), micros(tx.now), t.ID); err != nil {
			return nil, err
		}
	}
	if t.Priority != okcare.PriorityUrgent && t.Status != okcare.TicketClosed {
		tags := t.Tags
		nt, err := db.setPriority(ctx, tx, t, "system", okcare.PriorityUrgent)
		if err != nil {
			return nil, err
		}
		*t = *nt
		t.Tags = tags
	}
	if err := addNote(ctx, tx, t.ID, NoteSecretMasked, map[string]string{"kinds": strings.Join(kinds, ",")}); err != nil {
		return nil, err
	}
	w := &okcare.SecretWarning{Kinds: kinds, Text: notice.SecretWarning(t.Lang, kinds)}
	w.Message = &okcare.TicketMessage{TicketID: t.ID, Author: "system", Public: true, Body: w.Text}
	if err := insertMaskedMessage(ctx, tx, w.Message); err != nil { // okcare's own words
		return nil, err
	}
	return w, nil
}

// mailSecretWarning sends the warning to the customer of a mail ticket,
// who would not otherwise see it until okcare next wrote.
func mailSecretWarning(ctx context.Context, tx *Tx, t *okcare.Ticket, w *okcare.SecretWarning) error {
	to := ticketEmail(ctx, tx, t)
	if to == "" || t.Channel != okcare.ChannelMail {
		return nil
	}
	subject := notice.T(t.Lang, "secret_warning_subject", notice.Args{"Number": t.Number})
	return enqueueThreaded(ctx, tx, t.UserID, okcare.ChannelEmail, to, "secret_warning", subject, w.Text+"\n\n-- \n"+notice.T(t.Lang, "reply_footer", nil), t.ID, "")
}

// mergeKinds joins two lists of kinds, in secretscan's order.
func mergeKinds(a, b []string) []string {
	if b == nil {
		return a
	}
	mk := &masker{kinds: append(append([]string{}, a...), b...)}
	return mk.found()
}
