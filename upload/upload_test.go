package upload_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/upload"
)

var (
	png  = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 64)...)
	pdf  = []byte("%PDF-1.7\n1 0 obj\n")
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		name     string
		data     []byte
		wantName string
		wantType string
		wantCode string
	}{
		{"screenshot.png", png, "screenshot.png", "image/png", ""},
		{"IMG_0001.JPG", jpeg, "IMG_0001.JPG", "image/jpeg", ""},
		{"闪退截图.jpeg", jpeg, "闪退截图.jpeg", "image/jpeg", ""},
		{"report.pdf", pdf, "report.pdf", "application/pdf", ""},
		{"app.log", []byte("2026-11-25 crash at launch\n"), "app.log", "text/plain; charset=utf-8", ""},
		// The name never decides the type, and the extension follows the content.
		{"photo.png", jpeg, "photo.png.jpg", "image/jpeg", ""},
		{"notes.html", []byte("just words, no markup\n"), "notes.html.txt", "text/plain; charset=utf-8", ""},
		{"../../etc/passwd", []byte("root:x:0:0\n"), "passwd.txt", "text/plain; charset=utf-8", ""},
		{`C:\Users\me\evil<script>.png`, png, "evil_script_.png", "image/png", ""},
		{"", png, "attachment.png", "image/png", ""},
		{"...", png, "attachment.png", "image/png", ""},
		{"a\x00b\r\n.png", png, "a_b__.png", "image/png", ""},
		// Refused.
		{"page.html", []byte("<!DOCTYPE html><script>alert(1)</script>"), "", "", okcare.EUNSUPPORTEDMEDIA},
		{"x.png", []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "", "", okcare.EUNSUPPORTEDMEDIA},
		{"setup.exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", "", okcare.EUNSUPPORTEDMEDIA},
		{"a.zip", []byte("PK\x03\x04\x14\x00"), "", "", okcare.EUNSUPPORTEDMEDIA},
		{"gbk.txt", []byte{0xC4, 0xE3, 0xBA, 0xC3, 0x0A}, "", "", okcare.EUNSUPPORTEDMEDIA}, // not UTF-8
		{"empty.png", nil, "", "", okcare.EINVALID},
		{"huge.png", append(png, make([]byte, upload.MaxBytes)...), "", "", okcare.EBODYTOOLARGE},
	} {
		name, ct, err := upload.Check(tt.name, tt.data)
		if tt.wantCode != "" {
			if okcare.ErrorCode(err) != tt.wantCode {
				t.Errorf("Check(%q) = %q %q %v, want %s", tt.name, name, ct, err, tt.wantCode)
			}
			continue
		}
		if err != nil || name != tt.wantName || ct != tt.wantType {
			t.Errorf("Check(%q) = %q, %q, %v; want %q, %q", tt.name, name, ct, err, tt.wantName, tt.wantType)
		}
	}
}

func TestLongNamesAreCut(t *testing.T) {
	name, _, err := upload.Check(strings.Repeat("长", 300)+".png", png)
	if err != nil || utf8.RuneCountInString(name) > 124 || !strings.HasSuffix(name, ".png") {
		t.Fatalf("%q (%d runes) %v", name, utf8.RuneCountInString(name), err)
	}
}

// FuzzCheck: whatever comes in, an accepted file has an allowed type, a
// name without path separators or control characters, and no text file
// that starts as markup is accepted.
func FuzzCheck(f *testing.F) {
	f.Add("a.png", png)
	f.Add("x.html", []byte("<html><body>hi"))
	f.Add("../x", []byte("text"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		clean, ct, err := upload.Check(name, data)
		if err != nil {
			return
		}
		if strings.ContainsAny(clean, "/\\\x00\r\n<>\"") || clean == "" {
			t.Fatalf("unsafe name %q", clean)
		}
		if strings.Contains(ct, "html") || strings.Contains(ct, "xml") || !utf8.ValidString(clean) {
			t.Fatalf("type %q name %q", ct, clean)
		}
		if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte("<")) && strings.HasPrefix(ct, "text/") {
			t.Fatalf("markup accepted as %q", ct)
		}
	})
}
