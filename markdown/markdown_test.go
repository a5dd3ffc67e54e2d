package markdown_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/okcare/okcare/markdown"
)

func TestRender(t *testing.T) {
	got := string(markdown.Render("# 检查网络\n\n1. **打开** Wi-Fi\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[更新](/help/update-app)"))
	for _, want := range []string{"<h1>检查网络</h1>", "<strong>打开</strong>", "<table>", `<a href="/help/update-app">更新</a>`} {
		if !strings.Contains(got, want) {
			t.Errorf("render lacks %q:\n%s", want, got)
		}
	}
}

// hostile are inputs that try to run script through the Markdown path.
var hostile = []string{
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[click](javascript:alert(1))",
	"[click](JaVaScRiPt:alert(1))",
	"![x](javascript:alert(1))",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<iframe src=//evil.example></iframe>",
	"<svg onload=alert(1)>",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"<div style=\"background:url(javascript:alert(1))\">x</div>",
	"`<script>` in code is text",
}

var (
	tagPattern    = regexp.MustCompile(`<[^>]*>`)
	badTagName    = regexp.MustCompile(`^</?(script|iframe|svg|object|embed|style|form|input|link|meta)\b`)
	badAttrInside = regexp.MustCompile(`(\bon[a-z]+\s*=|javascript:|vbscript:|data:|\bstyle\s*=)`)
)

// assertSafe fails if any tag in out could run script. Text between tags may
// say anything: it is escaped.
func assertSafe(t *testing.T, src, out string) {
	t.Helper()
	for _, tag := range tagPattern.FindAllString(out, -1) {
		low := strings.ToLower(tag)
		if badTagName.MatchString(low) || badAttrInside.MatchString(low) {
			t.Fatalf("Render(%q) kept a dangerous tag %q in: %s", src, tag, out)
		}
	}
}

func TestRenderNeverRunsScript(t *testing.T) {
	for _, src := range hostile {
		assertSafe(t, src, string(markdown.Render(src)))
	}
	if got := markdown.Text("# Title\n\n**bold** <b>x</b>"); strings.Contains(got, "<") {
		t.Errorf("Text left tags: %q", got)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		assertSafe(t, src, string(markdown.Render(src)))
	})
}

func TestFrontMatter(t *testing.T) {
	for _, tc := range []struct {
		src        string
		fields     map[string]string
		body, html string
	}{
		{"---\nplatform: ios\ntopics: cache, reinstall\n---\n\nText", map[string]string{"platform": "ios", "topics": "cache, reinstall"}, "Text", "<p>Text</p>"},
		{"---\r\nplatform: android\r\n---\r\nText", map[string]string{"platform": "android"}, "Text", "<p>Text</p>"},
		{"No front matter", nil, "No front matter", "<p>No front matter</p>"},
		// A thematic break and a paragraph are Markdown, not front matter.
		{"---\nA paragraph.\n---\n", nil, "---\nA paragraph.\n---\n", "<hr>"},
		{"---\nplatform: ios\n", nil, "---\nplatform: ios\n", "<hr>"},
	} {
		fields, body := markdown.FrontMatter(tc.src)
		if len(fields) != len(tc.fields) || body != tc.body {
			t.Errorf("FrontMatter(%q) = %v, %q; want %v, %q", tc.src, fields, body, tc.fields, tc.body)
		}
		for k, v := range tc.fields {
			if fields[k] != v {
				t.Errorf("FrontMatter(%q)[%s] = %q, want %q", tc.src, k, fields[k], v)
			}
		}
		if html := string(markdown.Render(tc.src)); !strings.Contains(html, tc.html) || (tc.fields != nil && strings.Contains(html, "platform")) {
			t.Errorf("Render(%q) = %q, want it to contain %q and no front matter", tc.src, html, tc.html)
		}
	}
	if got := markdown.List("cache，crash, , reinstall"); strings.Join(got, "|") != "cache|crash|reinstall" {
		t.Errorf("List = %q", got)
	}
}
