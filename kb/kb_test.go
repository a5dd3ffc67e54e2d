package kb_test

import (
	"testing"

	"github.com/okcare/okcare/kb"
)

// required are the slugs issue 3 asks for, each in both languages.
var required = []string{"wallet-wont-open", "symptom-crash-on-launch", "symptom-stuck-loading", "symptom-cannot-connect-server",
	"check-network", "update-app", "clear-cache-android", "clear-cache-ios", "reinstall-app", "device-storage-and-os",
	"account-frozen", "login-restricted", "check-account-status", "contact-support", "how-to-describe-your-problem",
	"support-response-times", "how-support-resolves", "enable-2fa", "change-password", "reset-password",
	"public-wifi-safety", "keep-wallet-healthy"}

func TestShippedArticles(t *testing.T) {
	articles, err := kb.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range articles {
		if a.Title == "" || len(a.Body) < 200 {
			t.Errorf("%s/%s is too thin", a.Slug, a.Lang)
		}
		have[a.Slug+"/"+a.Lang] = true
	}
	for _, slug := range required {
		for _, lang := range []string{"zh-CN", "en"} {
			if !have[slug+"/"+lang] {
				t.Errorf("missing %s/%s", slug, lang)
			}
		}
	}
}
