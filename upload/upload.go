// Package upload decides whether a file a customer sends may be kept: it
// sniffs the content (the name and the declared type are not trusted),
// allows only images, PDF and plain text, and cleans the file name so that
// its extension always matches what the file is. It is pure.
package upload

import (
	"bytes"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

// Limits on attachments.
const (
	MaxBytes     = 5 << 20 // per file
	MaxPerTicket = 10
	maxNameRunes = 120
)

// allowed maps a sniffed content type to the extensions it may carry; the
// first is used when the name has none of them.
var allowed = map[string][]string{
	"image/png":                 {".png"},
	"image/jpeg":                {".jpg", ".jpeg"},
	"image/gif":                 {".gif"},
	"image/webp":                {".webp"},
	"application/pdf":           {".pdf"},
	"text/plain; charset=utf-8": {".txt", ".log"},
}

// Check returns the name to store and the content type to serve for a
// file, or EBODYTOOLARGE / EUNSUPPORTEDMEDIA / EINVALID.
func Check(name string, data []byte) (cleanName, contentType string, err error) {
	switch {
	case len(data) == 0:
		return "", "", okcare.Errorf(okcare.EINVALID, "The file is empty.")
	case len(data) > MaxBytes:
		return "", "", okcare.Errorf(okcare.EBODYTOOLARGE, "A file may be at most %d MiB.", MaxBytes>>20)
	}
	contentType = http.DetectContentType(data)
	exts, ok := allowed[contentType]
	if ok && strings.HasPrefix(contentType, "text/plain") {
		// "Text" that is not UTF-8 is a binary the sniffer does not know;
		// text that starts with "<" is markup (SVG, XML, HTML fragments).
		ok = utf8.Valid(data) && !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte("<"))
	}
	if !ok {
		return "", "", okcare.Errorf(okcare.EUNSUPPORTEDMEDIA, "Only screenshots and photos (PNG, JPEG, GIF, WebP), PDF and plain text files can be attached.")
	}
	return cleanFileName(name, exts), contentType, nil
}

// cleanFileName keeps the base name's letters, digits and a few marks, at
// most maxNameRunes of them, and makes sure it ends in one of exts.
func cleanFileName(name string, exts []string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' || r == ' ' || r == '(' || r == ')':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	clean := strings.Trim(strings.TrimSpace(b.String()), ".")
	if r := []rune(clean); len(r) > maxNameRunes {
		clean = string(r[:maxNameRunes])
	}
	if clean == "" || clean == "_" {
		clean = "attachment"
	}
	ext := strings.ToLower(path.Ext(clean))
	for _, e := range exts {
		if ext == e {
			return clean
		}
	}
	return clean + exts[0]
}
