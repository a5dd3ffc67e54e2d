package storetest

import (
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/sqldb"
)

// testShippedArticles: the shipped help center is published whole, and a
// start killed between saving an article and publishing it (the state an
// older okcare left) is repaired by the next start, while articles staff
// have written on are left alone.
func testShippedArticles(t *testing.T, db *sqldb.DB, _ *Clock) {
	shipped, err := kb.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	// The half-loaded state: account-frozen/en saved by the loader, the
	// process killed before it was published.
	half := &okcare.Article{Slug: "account-frozen", Lang: "en", Title: "Frozen", Body: "Shipped text.", CreatedBy: sqldb.ShippedBy}
	if err := db.SaveArticleDraft(ctx, half); err != nil {
		t.Fatal(err)
	}
	// A staff member is drafting a new article on a shipped slug, and has
	// rewritten and published another.
	draft := &okcare.Article{Slug: "reinstall-app", Lang: "zh-CN", Title: "重装", Body: "草稿。", CreatedBy: "agent:agt_1"}
	if err := db.SaveArticleDraft(ctx, draft); err != nil {
		t.Fatal(err)
	}
	edited := &okcare.Article{Slug: "update-app", Lang: "en", Title: "Update okcare", Body: "Our own words.", CreatedBy: "agent:agt_1"}
	if err := db.SaveArticleDraft(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishArticle(ctx, "update-app", "en", 1, "agent:agt_1"); err != nil {
		t.Fatal(err)
	}

	n, err := kb.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(shipped) - 2; n != want { // all but the staff's two
		t.Fatalf("Load published %d articles, want %d", n, want)
	}
	a, err := db.PublishedArticle(ctx, "account-frozen", "en")
	if err != nil || a.Version != 1 || a.Title != "Frozen" {
		t.Fatalf("the half-loaded article is not published: %+v %v", a, err)
	}
	if _, err := db.PublishedArticle(ctx, "reinstall-app", "zh-CN"); okcare.ErrorCode(err) != okcare.ENOTFOUND {
		t.Fatalf("the staff's draft was published over: %v", err)
	}
	if a, _ := db.PublishedArticle(ctx, "update-app", "en"); a == nil || a.Title != "Update okcare" {
		t.Fatalf("the staff's article was replaced: %+v", a)
	}
	all, _ := db.PublishedArticles(ctx)
	if len(all) != len(shipped)-1 {
		t.Fatalf("%d articles published, want %d", len(all), len(shipped)-1)
	}
	if hist, _ := db.ArticleHistory(ctx, "check-network", "en"); len(hist) != 1 || !hist[0].Published || hist[0].CreatedBy != sqldb.ShippedBy {
		t.Fatalf("check-network/en: %+v", hist)
	}
	// The next start gives the repaired article, which nobody edited, the
	// shipped text as its next version; the staff's stay theirs.
	if n, err := kb.Load(ctx, db); err != nil || n != 1 {
		t.Fatalf("second Load published %d (%v), want 1", n, err)
	}
	for _, s := range shipped {
		if s.Slug == "account-frozen" && s.Lang == "en" {
			if a, err := db.PublishedArticle(ctx, "account-frozen", "en"); err != nil || a.Version != 2 || a.Title != s.Title || a.Body != s.Body || a.CreatedBy != sqldb.ShippedBy {
				t.Fatalf("the untouched article did not get the shipped text: %+v %v", a, err)
			}
		}
	}
	if a, _ := db.PublishedArticle(ctx, "update-app", "en"); a == nil || a.Title != "Update okcare" {
		t.Fatalf("the staff's article was replaced: %+v", a)
	}
	// Then a start finds nothing to do.
	if n, err := kb.Load(ctx, db); err != nil || n != 0 {
		t.Fatalf("third Load published %d (%v)", n, err)
	}
}
