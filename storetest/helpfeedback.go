package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// testHelpFeedback: votes under articles (one per reader and article, the
// latest kept, with the search that led there) and searches that found
// nothing, reported per period.
func testHelpFeedback(t *testing.T, db *sqldb.DB, clock *Clock) {
	for _, a := range []*okcare.Article{
		{Slug: "account-frozen", Lang: "en", Title: "My account is frozen", Body: "Contact support.", CreatedBy: "system:kb"},
		{Slug: "account-frozen", Lang: "zh-CN", Title: "账户被冻结", Body: "请联系客服。", CreatedBy: "system:kb"},
		{Slug: "update-app", Lang: "en", Title: "Update OK Wallet", Body: "Open the store.", CreatedBy: "system:kb"},
	} {
		if err := db.SaveArticleDraft(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishArticle(ctx, a.Slug, a.Lang, a.Version, a.CreatedBy); err != nil {
			t.Fatal(err)
		}
	}
	start := clock.Now()
	vote := func(slug, lang, voter string, helpful bool, query string) error {
		return db.VoteArticle(ctx, &okcare.ArticleVote{Slug: slug, Lang: lang, Voter: voter, Helpful: helpful, Query: query})
	}
	for _, v := range []struct {
		slug, lang, voter string
		helpful           bool
		query             string
	}{
		{"account-frozen", "en", "v1", false, "Why did OK  Wallet freeze my account"},
		{"account-frozen", "en", "v2", false, "why did ok wallet freeze my account"},
		{"account-frozen", "en", "v3", true, ""},
		{"account-frozen", "zh-CN", "v1", true, "账户冻结"},
		{"update-app", "en", "v1", false, "freeze"},
	} {
		if err := vote(v.slug, v.lang, v.voter, v.helpful, v.query); err != nil {
			t.Fatalf("vote %+v: %v", v, err)
		}
	}
	// A reader who changes their mind replaces their vote.
	clock.Advance(time.Minute)
	if err := vote("update-app", "en", "v1", true, "freeze"); err != nil {
		t.Fatal(err)
	}
	// Refused, and nothing stored: an unpublished article, a bad language,
	// no voter, a query longer than the search box takes, control characters.
	wantCode(t, vote("no-such-article", "en", "v9", false, "x"), okcare.ENOTFOUND)
	wantCode(t, vote("account-frozen", "fr", "v9", false, "x"), okcare.EINVALID)
	wantCode(t, vote("account-frozen", "en", "", false, "x"), okcare.EINVALID)
	wantCode(t, vote("account-frozen", "en", "v9", false, strings.Repeat("长", 201)), okcare.EINVALID)
	wantCode(t, vote("account-frozen", "en", "v9", false, "a\x07b"), okcare.EINVALID)
	wantCode(t, vote("account-frozen", "en", "v9", false, "bad \xff"), okcare.EINVALIDUTF8)

	for i := 0; i < 3; i++ {
		if err := db.RecordSearchMiss(ctx, "zh-CN", "比特币 价格"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordSearchMiss(ctx, "en", "Pizza  Recipe"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RecordSearchMiss(ctx, "en", "   "), okcare.EINVALID)
	wantCode(t, db.RecordSearchMiss(ctx, "xx", "pizza"), okcare.EINVALID)

	r, err := db.HelpFeedback(ctx, start, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []okcare.ArticleVotes{
		{Slug: "account-frozen", Lang: "en", Helpful: 1, Unhelpful: 2},
		{Slug: "account-frozen", Lang: "zh-CN", Helpful: 1},
		{Slug: "update-app", Lang: "en", Helpful: 1},
	}
	if len(r.Articles) != len(want) {
		t.Fatalf("articles = %+v, want %+v", r.Articles, want)
	}
	for i := range want {
		if r.Articles[i] != want[i] {
			t.Errorf("articles[%d] = %+v, want %+v", i, r.Articles[i], want[i])
		}
	}
	// The two spellings of one search are one query; the changed vote is
	// no longer unhelpful.
	if len(r.UnhelpfulQueries) != 1 || r.UnhelpfulQueries[0].Query != "why did ok wallet freeze my account" || r.UnhelpfulQueries[0].Count != 2 ||
		r.UnhelpfulQueries[0].Slug != "account-frozen" || r.UnhelpfulQueries[0].Lang != "en" {
		t.Errorf("unhelpful queries = %+v", r.UnhelpfulQueries)
	}
	if len(r.ZeroResultQueries) != 2 || r.ZeroResultQueries[0] != (okcare.QueryCount{Query: "比特币 价格", Lang: "zh-CN", Count: 3, LastAt: start.Add(time.Minute)}) ||
		r.ZeroResultQueries[1].Query != "pizza recipe" {
		t.Errorf("zero-result queries = %+v", r.ZeroResultQueries)
	}
	// A later period has none of it; a short limit cuts the lists.
	clock.Advance(3 * 24 * time.Hour)
	if r, err := db.HelpFeedback(ctx, clock.Now().Add(-time.Hour), 10); err != nil || len(r.Articles)+len(r.UnhelpfulQueries)+len(r.ZeroResultQueries) != 0 {
		t.Errorf("later period = %+v, %v", r, err)
	}
	if r, err := db.HelpFeedback(ctx, start, 1); err != nil || len(r.Articles) != 1 || len(r.ZeroResultQueries) != 1 {
		t.Errorf("limit 1 = %+v, %v", r, err)
	}
	_, err = db.HelpFeedback(ctx, start, 0)
	wantCode(t, err, okcare.EINVALID)
}
