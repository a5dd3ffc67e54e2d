package smtp

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/upload"
)

// refusal is a file left out of a message, and why, in the ticket's
// language.
type refusal struct{ name, why string }

// originalName is the file keeping a reply's whole text when quoted
// history was removed from it.
const originalName = "original-message.txt"

// checkFiles splits a message's files into those the store will keep
// and those it would refuse, so that one bad file never costs the text:
// the mail is filed without it and the customer is told. When quoted
// history was removed, the whole text comes along as original-message.txt.
func checkFiles(m *InboundMail, lang string) ([]*okcare.Attachment, []refusal) {
	var keep []*okcare.Attachment
	var refused []refusal
	for _, a := range m.Attachments {
		if _, _, err := upload.Check(a.Filename, a.Data); err != nil {
			refused = append(refused, refusal{a.Filename, leftOutText(lang, okcare.ErrorCode(err))})
			continue
		}
		if len(keep) == upload.MaxPerTicket {
			refused = append(refused, refusal{a.Filename, leftOutText(lang, "many")})
			continue
		}
		keep = append(keep, a)
	}
	if m.Original != "" && len(keep) < upload.MaxPerTicket {
		orig := &okcare.Attachment{Filename: originalName, Data: []byte("Subject: " + m.Subject + "\nFrom: " + m.From + "\n\n" + m.Original + "\n")}
		if _, _, err := upload.Check(orig.Filename, orig.Data); err == nil {
			keep = append(keep, orig)
		}
	}
	return keep, refused
}

func names(rs []refusal) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.name)
	}
	return out
}

// leftOutText says why a file was left out, by error code.
func leftOutText(lang, code string) string {
	zh := map[string]string{
		okcare.EUNSUPPORTEDMEDIA: "只能接收截图和照片（PNG、JPEG、GIF、WebP）、PDF 和纯文本文件",
		okcare.EBODYTOOLARGE:     fmt.Sprintf("文件超过 %d MB", upload.MaxBytes>>20),
		okcare.EINVALID:          "文件是空的",
		"many":                   fmt.Sprintf("每个工单最多 %d 个附件", upload.MaxPerTicket),
		"full":                   fmt.Sprintf("此工单已有 %d 个附件，达到上限", upload.MaxPerTicket),
	}
	en := map[string]string{
		okcare.EUNSUPPORTEDMEDIA: "only screenshots and photos (PNG, JPEG, GIF, WebP), PDF and plain text files can be attached",
		okcare.EBODYTOOLARGE:     fmt.Sprintf("a file may be at most %d MB", upload.MaxBytes>>20),
		okcare.EINVALID:          "the file is empty",
		"many":                   fmt.Sprintf("a ticket takes at most %d files", upload.MaxPerTicket),
		"full":                   fmt.Sprintf("this ticket already has the most files allowed (%d)", upload.MaxPerTicket),
	}
	texts := en
	if lang == okcare.LangZH {
		texts = zh
	}
	if t, ok := texts[code]; ok {
		return t
	}
	return texts[okcare.EUNSUPPORTEDMEDIA]
}

// leftOutNote is the public note naming a file left out.
func leftOutNote(lang string, r refusal) string {
	// The name is the sender's: no control characters, not too long.
	name := strings.Map(func(c rune) rune {
		if unicode.IsControl(c) {
			return -1
		}
		return c
	}, r.name)
	if rs := []rune(name); len(rs) > 120 {
		name = string(rs[:120]) + "…"
	}
	if strings.TrimSpace(name) == "" {
		name = "(no name)"
	}
	if lang == okcare.LangZH {
		return fmt.Sprintf("附件「%s」未保存：%s。邮件正文已收到。", name, r.why)
	}
	return fmt.Sprintf("The attachment \"%s\" was not kept: %s. Your message itself was received.", name, r.why)
}
