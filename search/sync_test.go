package search_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/search"
)

// memSource is a store of published articles in memory.
type memSource struct {
	mu       sync.Mutex
	articles map[string]*okcare.Article
	reads    int // PublishedArticle and PublishedArticles calls
}

func (m *memSource) publish(a *okcare.Article) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.articles[a.Slug+"/"+a.Lang] = a
}

func (m *memSource) PublishedVersions(context.Context) (map[string]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for id, a := range m.articles {
		out[id] = a.Version
	}
	return out, nil
}

func (m *memSource) PublishedArticle(_ context.Context, slug, lang string) (*okcare.Article, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	if a, ok := m.articles[slug+"/"+lang]; ok {
		return a, nil
	}
	return nil, okcare.Errorf(okcare.ENOTFOUND, "No such article.")
}

func (m *memSource) PublishedArticles(context.Context) ([]*okcare.Article, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	var out []*okcare.Article
	for _, a := range m.articles {
		out = append(out, a)
	}
	return out, nil
}

func slugs(t *testing.T, idx *search.Index, q, lang string) []string {
	t.Helper()
	res, err := idx.Search(q, lang, 10)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res {
		out = append(out, r.Slug)
	}
	return out
}

// TestSyncFollowsTheStore: Sync brings the index to the store's published
// articles (new, republished at another version, unpublished), does
// nothing when they agree, knows what Put indexed, and picks up where an
// index on disk left off after a restart.
func TestSyncFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.bleve")
	idx, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	src := &memSource{articles: map[string]*okcare.Article{}}
	src.publish(&okcare.Article{Slug: "offline-mode", Lang: "en", Version: 1, Title: "Offline mode", Body: "The zebrafinch screen means no network."})
	src.publish(&okcare.Article{Slug: "account-frozen", Lang: "en", Version: 2, Title: "Frozen account", Body: "Why an account is frozen."})
	sync := func(want int) {
		t.Helper()
		if n, err := idx.Sync(ctx, src); err != nil || n != want {
			t.Fatalf("Sync changed %d (%v), want %d", n, err, want)
		}
	}
	sync(2)
	if got := slugs(t, idx, "zebrafinch", "en"); len(got) != 1 || got[0] != "offline-mode" {
		t.Fatalf("new article not found: %v", got)
	}
	sync(0)
	src.publish(&okcare.Article{Slug: "offline-mode", Lang: "en", Version: 2, Title: "Offline mode", Body: "The wombat screen means no network."})
	sync(1)
	if got := slugs(t, idx, "zebrafinch", "en"); len(got) != 0 {
		t.Fatalf("the old version is still found: %v", got)
	}
	if got := slugs(t, idx, "wombat", "en"); len(got) != 1 {
		t.Fatalf("the new version is not found: %v", got)
	}
	// What this node indexed itself at publishing is not read again.
	a := &okcare.Article{Slug: "account-frozen", Lang: "en", Version: 3, Title: "Frozen account", Body: "Why an account is frozen: quokka."}
	src.publish(a)
	if err := idx.Put(a); err != nil {
		t.Fatal(err)
	}
	sync(0)
	// Unpublished articles leave the index.
	src.mu.Lock()
	delete(src.articles, "account-frozen/en")
	src.mu.Unlock()
	sync(1)
	if got := slugs(t, idx, "quokka", "en"); len(got) != 0 {
		t.Fatalf("an unpublished article is still found: %v", got)
	}
	// A restart reads the versions back from the index on disk.
	idx.Close()
	if idx, err = search.Open(path); err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	reads := src.reads
	sync(0)
	if src.reads != reads {
		t.Fatal("a restart with an index in step read articles again")
	}
	src.publish(&okcare.Article{Slug: "offline-mode", Lang: "en", Version: 3, Title: "Offline mode", Body: "The numbat screen means no network."})
	sync(1)
	if got := slugs(t, idx, "numbat", "en"); len(got) != 1 {
		t.Fatalf("after restart, the new version is not found: %v", got)
	}
}

// TestUnreadableIndexIsRebuilt: an index a crash left unreadable (its
// mapping half written) does not stop Open: it is dropped, an empty one
// takes its place, says why, and Sync fills it from the store.
func TestUnreadableIndexIsRebuilt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.bleve")
	idx, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	src := &memSource{articles: map[string]*okcare.Article{}}
	src.publish(&okcare.Article{Slug: "offline-mode", Lang: "en", Version: 1, Title: "Offline mode", Body: "The zebrafinch screen means no network."})
	if _, err := idx.Sync(ctx, src); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scor`), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err = search.Open(path)
	if err != nil {
		t.Fatalf("an unreadable index stops Open: %v", err)
	}
	defer idx.Close()
	if idx.Recreated() == nil {
		t.Fatal("Open does not say it recreated the index")
	}
	if n, err := idx.Sync(ctx, src); err != nil || n != 1 {
		t.Fatalf("Sync after recreating: %d (%v)", n, err)
	}
	if got := slugs(t, idx, "zebrafinch", "en"); len(got) != 1 {
		t.Fatalf("not found after the rebuild: %v", got)
	}
}
