package search

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

func BenchmarkUnderstand(b *testing.B) {
	for i := 0; i < b.N; i++ {
		understand("公共wifi安全吗 why did ok wallet freeze my account")
	}
}

// TestUnderstand reads platforms and concepts from queries, in both
// languages, with the conditions that keep "the app freezes" from being
// an account freeze.
func TestUnderstand(t *testing.T) {
	for _, tc := range []struct {
		q, platform string
		has, hasNot []string
	}{
		{"why did ok wallet freeze my account", "", []string{"frozen"}, []string{"update", "loading"}},
		{"the app freezes on startup", "", []string{"loading"}, []string{"frozen"}},
		{"my account is frozen in the app", "", []string{"frozen"}, nil},
		{"苹果手机ok钱包缓存怎么清", "ios", []string{"cache"}, nil},
		{"华为手机打不开", "android", []string{"wont-open"}, nil},
		{"iphone and android", "", nil, nil},
		{"跟客服说什么", "", []string{"describe"}, []string{"contact"}},
		{"客服电话", "", []string{"contact"}, []string{"describe"}},
		{"闪退怎么处理", "", []string{"crash"}, []string{"process"}},
		{"客服怎么处理问题", "", []string{"process"}, []string{"contact"}},
		{"ios 12 还能用吗", "ios", []string{"os-version"}, nil},
		{"系统更新", "", nil, []string{"update"}},
		{"why can't i open my wallet", "", []string{"wont-open"}, nil},
		{"kicking me out", "", []string{"crash"}, nil},
	} {
		q := understand(tc.q)
		if q.platform != tc.platform {
			t.Errorf("%q: platform %q, want %q", tc.q, q.platform, tc.platform)
		}
		for _, c := range tc.has {
			if !q.concepts[c] {
				t.Errorf("%q: no %s in %v", tc.q, c, q.concepts)
			}
		}
		for _, c := range tc.hasNot {
			if q.concepts[c] {
				t.Errorf("%q: %s in %v", tc.q, c, q.concepts)
			}
		}
	}
}

// TestReopenAndStale: an index on disk keeps its catalog across a reopen,
// and one built by an older okcare (documents of another format) says it
// is stale until rebuilt.
func TestReopenAndStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.bleve")
	idx, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a := &okcare.Article{Slug: "clear-cache-ios", Lang: "en", Title: "iOS: clearing the cache", Body: "---\nplatform: ios\ntopics: cache\n---\nOffload the app."}
	if err := idx.Put(a); err != nil {
		t.Fatal(err)
	}
	old := toDoc(&okcare.Article{Slug: "old-one", Lang: "en", Title: "Old", Body: "Old text."})
	old.Format = 1
	if err := idx.idx.Index("old-one/en", old); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if idx, err = Open(path); err != nil {
		t.Fatal(err)
	}
	if !idx.Stale() {
		t.Error("an index with older documents is not stale")
	}
	if e := idx.cat.docs["clear-cache-ios/en"]; e == nil || e.platform != "ios" || len(e.topics) != 1 || e.title != a.Title {
		t.Errorf("catalog after reopen: %+v", e)
	}
	if res, err := idx.Search("clear cache iphone", "en", 5); err != nil || len(res) == 0 || res[0].Slug != "clear-cache-ios" {
		t.Errorf("search after reopen: %+v, %v", res, err)
	}
	if err := idx.Rebuild([]*okcare.Article{a}, nil); err != nil || idx.Stale() {
		t.Errorf("after a rebuild: stale %v, %v", idx.Stale(), err)
	}
	idx.Close()
}

func TestSnippet(t *testing.T) {
	text := strings.Repeat("前文", 40) + "清除缓存会删除临时文件" + strings.Repeat("后文", 100)
	got := snippet(text, "缓存")
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "清除缓存") || utf8.RuneCountInString(got) != 122 {
		t.Errorf("snippet = %q (%d runes)", got, utf8.RuneCountInString(got))
	}
	if got := snippet("Short text.", "nothing"); got != "Short text." {
		t.Errorf("short snippet = %q", got)
	}
	// Upper case that lower-cases to other lengths: no offset confusion.
	if got := snippet("İİİ cache", "cache"); !utf8.ValidString(got) {
		t.Errorf("snippet cut a character: %q", got)
	}
}
