package storetest

import (
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

func testArticles(t *testing.T, db *sqldb.DB, _ *Clock) {
	_, err := db.PublishedArticle(ctx, "check-network", "en")
	wantCode(t, err, okcare.ENOTFOUND)
	v1 := &okcare.Article{Slug: "check-network", Lang: "en", Title: "Check your network", Body: "Turn Wi-Fi on.", CreatedBy: "agent:agt_1"}
	if err := db.SaveArticleDraft(ctx, v1); err != nil || v1.Version != 1 {
		t.Fatalf("draft 1: %v %+v", err, v1)
	}
	_, err = db.PublishedArticle(ctx, "check-network", "en")
	wantCode(t, err, okcare.ENOTFOUND) // a draft is not published
	if a, err := db.PublishArticle(ctx, "check-network", "en", 1, "agent:agt_1"); err != nil || !a.Published || a.Title != "Check your network" {
		t.Fatalf("publish: %+v %v", a, err)
	}
	v2 := &okcare.Article{Slug: "check-network", Lang: "en", Title: "Check the network", Body: "Turn Wi-Fi or data on.", CreatedBy: "agent:agt_2"}
	if err := db.SaveArticleDraft(ctx, v2); err != nil || v2.Version != 2 {
		t.Fatalf("draft 2: %v %+v", err, v2)
	}
	if a, _ := db.PublishedArticle(ctx, "check-network", "en"); a.Version != 1 {
		t.Fatal("saving a draft changed the published version")
	}
	zh := &okcare.Article{Slug: "check-network", Lang: "zh-CN", Title: "检查网络", Body: "打开 Wi-Fi。", CreatedBy: "agent:agt_1"}
	if err := db.SaveArticleDraft(ctx, zh); err != nil || zh.Version != 1 {
		t.Fatalf("zh draft: %v", err)
	}
	db.PublishArticle(ctx, "check-network", "zh-CN", 1, "agent:agt_1")
	if _, err := db.PublishArticle(ctx, "check-network", "en", 2, "agent:agt_1"); err != nil {
		t.Fatal(err)
	}
	hist, err := db.ArticleHistory(ctx, "check-network", "en")
	if err != nil || len(hist) != 2 || hist[0].Version != 2 || !hist[0].Published || hist[1].Published || hist[1].CreatedBy != "agent:agt_1" {
		t.Fatalf("history: %+v %v", hist, err)
	}
	if log, _ := db.AuditLog(ctx, 1); len(log) != 1 || log[0].Action != "article.publish" || log[0].Actor != "agent:agt_1" {
		t.Fatalf("publishing not audited: %+v", log)
	}
	_, err = db.PublishArticle(ctx, "check-network", "en", 9, "agent:agt_1")
	wantCode(t, err, okcare.ENOTFOUND)
	all, _ := db.PublishedArticles(ctx)
	if len(all) != 2 || all[0].Lang != "en" || all[0].Version != 2 || all[1].Lang != "zh-CN" {
		t.Fatalf("published: %+v", all)
	}
	for _, bad := range []*okcare.Article{
		{Slug: "Bad Slug", Lang: "en", Title: "x", Body: "y"},
		{Slug: "ok", Lang: "fr", Title: "x", Body: "y"},
		{Slug: "ok", Lang: "en", Title: "", Body: "y"},
		{Slug: "ok", Lang: "en", Title: "x", Body: ""},
	} {
		if err := db.SaveArticleDraft(ctx, bad); okcare.ErrorCode(err) != okcare.EINVALID {
			t.Errorf("SaveArticleDraft(%+v) = %v", bad, err)
		}
	}
	_, err = db.ArticleHistory(ctx, "ok", "en")
	wantCode(t, err, okcare.ENOTFOUND) // rejected drafts stored nothing
}
