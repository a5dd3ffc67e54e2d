package markdown

import (
	"regexp"
	"strings"
)

// fieldLine is one front-matter line: a lower-case key, a colon, a value.
var fieldLine = regexp.MustCompile(`^([a-z][a-z_]*):\s*(.*?)\s*$`)

// FrontMatter splits an article's source into its front matter and the
// Markdown after it. Front matter is an optional block at the very start,
// between two lines of "---", of "key: value" lines (the help center's
// `platform:` and `topics:`, which steer search and are not shown). A
// block with any other line is not front matter: it is Markdown (a
// thematic break) and is returned whole, with no fields.
func FrontMatter(src string) (fields map[string]string, body string) {
	rest, ok := strings.CutPrefix(src, "---\n")
	if !ok {
		rest, ok = strings.CutPrefix(src, "---\r\n")
	}
	if !ok {
		return nil, src
	}
	fields = map[string]string{}
	for len(rest) > 0 {
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		line = strings.TrimRight(line, "\r")
		if line == "---" {
			return fields, strings.TrimLeft(rest, "\r\n")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := fieldLine.FindStringSubmatch(line)
		if m == nil {
			return nil, src
		}
		fields[m[1]] = m[2]
	}
	return nil, src // never closed
}

// Body is src without its front matter.
func Body(src string) string {
	_, body := FrontMatter(src)
	return body
}

// List splits a front-matter value on commas (ASCII or Chinese) into
// trimmed, non-empty items.
func List(value string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == '，' }) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
