package http

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestEveryTemplateStringExists: every .T.key and .C.key a template uses is
// translated in both languages, and both languages have the same keys.
func TestEveryTemplateStringExists(t *testing.T) {
	used := map[string]map[string]bool{"T": {}, "C": {}}
	ref := regexp.MustCompile(`\.(T|C)\.([a-z_0-9]+)`)
	fs.WalkDir(htmlFiles, "html", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, _ := htmlFiles.ReadFile(path)
		for _, m := range ref.FindAllStringSubmatch(string(raw), -1) {
			used[m[1]][m[2]] = true
		}
		return nil
	})
	for set, texts := range map[string]map[string]map[string]string{"T": uiText, "C": consoleText} {
		for key := range used[set] {
			for lang, m := range texts {
				if m[key] == "" {
					t.Errorf("%s.%s has no %s text", set, key, lang)
				}
			}
		}
		for key := range texts["zh-CN"] {
			if _, ok := texts["en"][key]; !ok {
				t.Errorf("%s.%s has Chinese but no English", set, key)
			}
		}
		for key := range texts["en"] {
			if _, ok := texts["zh-CN"][key]; !ok {
				t.Errorf("%s.%s has English but no Chinese", set, key)
			}
		}
	}
	if len(used["T"]) < 50 || len(used["C"]) < 50 {
		t.Fatalf("found only %d and %d keys: the pattern is wrong", len(used["T"]), len(used["C"]))
	}
}

// TestEveryErrorCodeHasCustomerText: a refused request on a customer page
// is explained in the page's language for every error code there is.
func TestEveryErrorCodeHasCustomerText(t *testing.T) {
	for code := range codeStatus {
		for _, lang := range []string{"zh-CN", "en"} {
			if uiText[lang]["err_"+code] == "" {
				t.Errorf("no %s text for error code %s", lang, code)
			}
		}
	}
}
