package storetest

import (
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testPublishedVersions: the list every node's search index follows holds
// each published article at its published version, and nothing else.
func testPublishedVersions(t *testing.T, db *sqldb.DB, _ *Clock) {
	save := func(slug, lang, body string) {
		t.Helper()
		if err := db.SaveArticleDraft(ctx, &okcare.Article{Slug: slug, Lang: lang, Title: "T", Body: body, CreatedBy: "agent:agt_1"}); err != nil {
			t.Fatal(err)
		}
	}
	save("offline-mode", "en", "v1")
	save("offline-mode", "en", "v2")
	save("offline-mode", "zh-CN", "v1")
	save("draft-only", "en", "v1")
	if _, err := db.PublishArticle(ctx, "offline-mode", "en", 2, "agent:agt_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishArticle(ctx, "offline-mode", "zh-CN", 1, "agent:agt_1"); err != nil {
		t.Fatal(err)
	}
	got, err := db.PublishedVersions(ctx)
	if err != nil || len(got) != 2 || got["offline-mode/en"] != 2 || got["offline-mode/zh-CN"] != 1 {
		t.Fatalf("published versions %v, %v", got, err)
	}
	// Publishing an older version again is a change too.
	if _, err := db.PublishArticle(ctx, "offline-mode", "en", 1, "agent:agt_1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PublishedVersions(ctx); got["offline-mode/en"] != 1 {
		t.Fatalf("after republishing v1: %v", got)
	}
}
