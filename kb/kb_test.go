package kb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/markdown"
	"github.com/okcare/okcare/storetest"
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

// TestFrontMatterConsistent checks that both languages of an article say
// the same to search: the same platform and the same topics.
func TestFrontMatterConsistent(t *testing.T) {
	articles, err := kb.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string]map[string]string{}
	for _, a := range articles {
		fields, _ := markdown.FrontMatter(a.Body)
		if strings.Contains(markdown.Text(a.Body), "topics:") {
			t.Errorf("%s/%s shows its front matter", a.Slug, a.Lang)
		}
		norm := map[string]string{"platform": fields["platform"], "topics": strings.Join(markdown.List(fields["topics"]), ",")}
		if other, ok := meta[a.Slug]; ok {
			if other["platform"] != norm["platform"] || other["topics"] != norm["topics"] {
				t.Errorf("%s: languages disagree: %v and %v", a.Slug, other, norm)
			}
		}
		meta[a.Slug] = norm
	}
}

// TestLoadUpdatesUntouched checks that a new shipped text reaches an
// article nobody edited, and never one that staff edited.
func TestLoadUpdatesUntouched(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	n, err := kb.Load(ctx, db)
	if err != nil || n == 0 {
		t.Fatalf("Load = %d, %v", n, err)
	}
	if n, err := kb.Load(ctx, db); err != nil || n != 0 {
		t.Fatalf("second Load = %d, %v; want 0", n, err)
	}
	// An older shipped text (as an earlier release loaded it), and an
	// article a member of staff has since edited.
	old := &okcare.Article{Slug: "update-app", Lang: "en", Title: "Old title", Body: "An older shipped body of the article, long enough.", CreatedBy: "system:kb"}
	edited := &okcare.Article{Slug: "reinstall-app", Lang: "en", Title: "Edited", Body: "Staff wrote this.", CreatedBy: "agent:ag_1"}
	for _, a := range []*okcare.Article{old, edited} {
		if err := db.SaveArticleDraft(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishArticle(ctx, a.Slug, a.Lang, a.Version, a.CreatedBy); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := kb.Load(ctx, db); err != nil || n != 1 {
		t.Fatalf("Load after changes = %d, %v; want 1 (the untouched article)", n, err)
	}
	shipped, _ := kb.Shipped()
	for _, a := range shipped {
		got, err := db.PublishedArticle(ctx, a.Slug, a.Lang)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case a.Slug == "reinstall-app" && a.Lang == "en":
			if got.Title != "Edited" {
				t.Errorf("Load replaced an edited article: %q", got.Title)
			}
		case got.Title != a.Title || got.Body != a.Body:
			t.Errorf("%s/%s: published %q, shipped %q", a.Slug, a.Lang, got.Title, a.Title)
		}
	}
}
