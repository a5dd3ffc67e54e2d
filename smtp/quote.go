package smtp

import (
	"regexp"
	"strings"
)

// StripQuoted removes the quoted history a mail client puts under a reply
// and returns what the sender wrote. It knows the shapes the mail clients
// okcare's customers use write:
//
//   - Outlook (en, zh): an optional line of underscores, then a header
//     block "From:/发件人:" followed by "Sent:/发送时间:", "To:/收件人:",
//     "Subject:/主题:"; or "-----Original Message-----/-----原始邮件-----".
//   - Foxmail and QQ Mail: "------------------ 原始邮件 ------------------"
//     (or "Original") followed by a header block.
//   - NetEase 163/126, Gmail and Apple Mail: an attribution line,
//     "在 2026-11-30 10:00:00，"x" <a@b> 写道：", "x <a@b> 于2026年11月30日
//     写道：", "On Mon, 30 Nov 2026, x <a@b> wrote:" (which Gmail may wrap
//     over two lines).
//   - ">" quoted lines at the end of the message.
//
// Quoting inside the text (answers between quoted lines) is kept as it is.
// When nothing but quoted history would remain, nothing is removed.
// stripped says whether anything was removed. StripQuoted is pure.
func StripQuoted(text string) (kept string, stripped bool) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	cut := len(lines)
	for i := range lines {
		if n := historyStart(lines, i); n >= 0 {
			cut = n
			break
		}
	}
	cut = trailingQuote(lines[:cut])
	kept = strings.TrimSpace(strings.Join(lines[:cut], "\n"))
	if kept == "" || cut == len(lines) {
		return strings.TrimSpace(text), false
	}
	return kept, true
}

var (
	separator     = regexp.MustCompile(`(?i)^-{2,}[\s\x{a0}\x{3000}]*(original message|original|原始邮件|原始郵件|原邮件)[\s\x{a0}\x{3000}]*-{2,}$`)
	fromField     = regexp.MustCompile(`(?i)^(from|发件人|寄件者|寄件人)\s*[:：]`)
	nextField     = regexp.MustCompile(`(?i)^(sent|date|to|cc|subject|发送时间|时间|日期|寄件日期|傳送時間|收件人|收件者|抄送|副本|主题|主旨)\s*[:：]`)
	forwardMarker = regexp.MustCompile(`(?i)^(-+\s*(forwarded message|转发邮件|轉寄郵件|转发的邮件)\s*-+|begin forwarded message:|以下是转发的邮件[:：]?)$`)
	// attribution lines end the written text: "On … wrote:", "… 写道：".
	wroteEN = regexp.MustCompile(`(?i)^(on\s.+|.*@.*)\swrote:$`)
	wroteZH = regexp.MustCompile(`^.+\s*(写道|寫道)\s*[:：]$`)
)

// clean drops what HTML renderings and clients add around a line: bold
// marks, quote marks, non-breaking and ideographic spaces.
func clean(line string) string {
	return strings.Trim(line, " \t*\u00a0\u3000")
}

// historyStart returns where quoted history starts if it starts at line i
// (possibly one line earlier, for a rule above it), else -1.
func historyStart(lines []string, i int) int {
	l := clean(lines[i])
	switch {
	case l == "":
		return -1
	case separator.MatchString(l):
		return i
	case fromField.MatchString(l) && headerBlockFollows(lines, i+1) && !forwardedBelow(lines, i):
		if i > 0 && isRule(clean(lines[i-1])) {
			return i - 1
		}
		return i
	case i+1 < len(lines) && startsAttribution(l) && isAttribution(l+" "+clean(lines[i+1])):
		return i // an attribution wrapped over two lines
	case isAttribution(l):
		return i
	}
	return -1
}

// forwardedBelow says whether the header block at line i is a message the
// sender forwarded ("---------- Forwarded message ---------"): that is
// what they want us to read, not history.
func forwardedBelow(lines []string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if l := clean(lines[j]); l != "" {
			return forwardMarker.MatchString(l)
		}
	}
	return false
}

// startsAttribution: "On …" or "在 …", the first half of a wrapped
// attribution line.
func startsAttribution(l string) bool {
	return len(l) < 200 && (strings.HasPrefix(strings.ToLower(l), "on ") || strings.HasPrefix(l, "在"))
}

func isAttribution(l string) bool {
	if len(l) > 300 {
		return false
	}
	return wroteEN.MatchString(l) || (wroteZH.MatchString(l) && (strings.Contains(l, "@") || strings.HasPrefix(l, "在")))
}

// headerBlockFollows says whether a quoted message's header fields
// ("Sent:", "收件人:") follow within a few lines.
func headerBlockFollows(lines []string, from int) bool {
	for j := from; j < len(lines) && j < from+4; j++ {
		if nextField.MatchString(clean(lines[j])) {
			return true
		}
	}
	return false
}

// isRule is Outlook's line of underscores (or dashes) above a quoted
// header block.
func isRule(l string) bool {
	return len(l) >= 10 && (strings.Trim(l, "_") == "" || strings.Trim(l, "-") == "")
}

// trailingQuote returns where a block of ">" lines at the end of lines
// starts (blank lines inside and after it included), or len(lines).
func trailingQuote(lines []string) int {
	end := len(lines)
	for end > 0 && clean(lines[end-1]) == "" {
		end--
	}
	start := end
	for start > 0 {
		l := clean(lines[start-1])
		if strings.HasPrefix(l, ">") || (l == "" && start < end) {
			start--
			continue
		}
		break
	}
	for start < end && clean(lines[start]) == "" {
		start++
	}
	if start == end || !strings.HasPrefix(clean(lines[start]), ">") {
		return len(lines)
	}
	// An attribution line right above the block belongs to it.
	if p := start - 1; p >= 0 && isAttribution(clean(lines[p])) {
		start = p
	}
	return start
}
