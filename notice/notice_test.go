package notice

import (
	"sort"
	"strings"
	"testing"
	"unicode"
)

func TestCatalogsHaveTheSameMessages(t *testing.T) {
	zh, err := IDs("zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	en, err := IDs("en")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(zh)
	sort.Strings(en)
	if strings.Join(zh, ",") != strings.Join(en, ",") {
		t.Fatalf("catalogs differ:\nzh-CN %v\nen    %v", zh, en)
	}
	if len(zh) < 10 {
		t.Fatalf("only %d messages", len(zh))
	}
}

// Every message renders in its own language: Chinese text in zh-CN, none in
// en, no template holes, and every argument used.
func TestEveryMessageRendersInItsLanguage(t *testing.T) {
	args := Args{"Number": 42, "Code": "123456", "Due": "2026-12-03 18:00", "Link": "https://help.example/t/x", "Channel": "email",
		"Name": "photo.png", "Why": "x", "Subject": "s", "Body": "b", "Minutes": 5, "Cause": "c", "Agent": "a", "Rating": 5, "Incident": "i", "Days": 3, "What": "w"}
	for _, lang := range Languages {
		ids, _ := IDs(lang)
		for _, id := range ids {
			out := T(lang, id, args)
			if out == id || out == "" || strings.Contains(out, "<no value>") || strings.Contains(out, "{{") {
				t.Errorf("%s %s renders %q", lang, id, out)
			}
			han := strings.IndexFunc(out, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
			if lang == "zh-CN" && !han {
				t.Errorf("zh-CN %s has no Chinese: %q", id, out)
			}
			if lang == "en" && han {
				t.Errorf("en %s has Chinese: %q", id, out)
			}
		}
	}
}

func TestUnknownLanguageFallsBackToChinese(t *testing.T) {
	if got := T("fr", "verify_subject", nil); got != T("zh-CN", "verify_subject", nil) {
		t.Fatalf("fr fell back to %q", got)
	}
}
