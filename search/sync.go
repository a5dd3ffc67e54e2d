package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/okcare/okcare"
)

// Source is the truth the index follows: the store's published articles.
type Source interface {
	// PublishedVersions maps "slug/lang" to the published version of
	// every published article.
	PublishedVersions(ctx context.Context) (map[string]int, error)
	PublishedArticle(ctx context.Context, slug, lang string) (*okcare.Article, error)
	PublishedArticles(ctx context.Context) ([]*okcare.Article, error)
}

// fetchAllOver is how many changed articles make Sync read them all in
// one query instead of one by one.
const fetchAllOver = 8

// Sync makes the index hold exactly the store's published articles, each
// at its published version: it indexes what is new or changed and
// removes what is no longer published, and returns how many documents it
// changed. Every node runs it at start and then every few seconds, so an
// article published on any node is found on all of them, and a node that
// was down when it was published finds it when it starts. Comparing the
// whole (slug, language, version) list costs one small query per run
// (44 rows shipped) and, unlike a "changed since" cursor, cannot miss a
// publish that commits after a later one was seen.
func (i *Index) Sync(ctx context.Context, src Source) (int, error) {
	i.writeMu.Lock()
	defer i.writeMu.Unlock()
	known, err := i.knownVersions()
	if err != nil {
		return 0, err
	}
	want, err := src.PublishedVersions(ctx)
	if err != nil {
		return 0, err
	}
	var stale, gone []string
	for id, v := range want {
		if known[id] != v {
			stale = append(stale, id)
		}
	}
	for id := range known {
		if _, ok := want[id]; !ok {
			gone = append(gone, id)
		}
	}
	if len(stale)+len(gone) == 0 {
		return 0, nil
	}
	articles, err := fetch(ctx, src, stale)
	if err != nil {
		return 0, err
	}
	b := i.idx.NewBatch()
	docs := make([]doc, 0, len(articles))
	for _, a := range articles {
		d := toDoc(a)
		if err := b.Index(docID(a.Slug, a.Lang), d); err != nil {
			return 0, err
		}
		docs = append(docs, d)
	}
	for _, id := range gone {
		b.Delete(id)
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if err := i.idx.Batch(b); err != nil {
		return 0, err
	}
	for k, a := range articles {
		i.versions[docID(a.Slug, a.Lang)] = a.Version
		i.cat.put(docID(a.Slug, a.Lang), docs[k].entry())
	}
	for _, id := range gone {
		delete(i.versions, id)
		delete(i.cat.docs, id)
	}
	i.cat.recount()
	return len(articles) + len(gone), nil
}

// fetch reads the published articles with the given ids (one that was
// unpublished meanwhile is left for the next Sync).
func fetch(ctx context.Context, src Source, ids []string) ([]*okcare.Article, error) {
	if len(ids) > fetchAllOver {
		all, err := src.PublishedArticles(ctx)
		if err != nil {
			return nil, err
		}
		wanted := map[string]bool{}
		for _, id := range ids {
			wanted[id] = true
		}
		var out []*okcare.Article
		for _, a := range all {
			if wanted[docID(a.Slug, a.Lang)] {
				out = append(out, a)
			}
		}
		return out, nil
	}
	var out []*okcare.Article
	for _, id := range ids {
		slug, lang := splitID(id)
		a, err := src.PublishedArticle(ctx, slug, lang)
		if okcare.ErrorCode(err) == okcare.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func splitID(id string) (slug, lang string) {
	k := strings.LastIndexByte(id, '/')
	return id[:max(k, 0)], id[k+1:]
}

// knownVersions returns the versions indexed, reading them back from the
// stored documents the first time (an index built by an older okcare has
// none: version 0, so Sync indexes each article once more). Callers hold
// writeMu.
func (i *Index) knownVersions() (map[string]int, error) {
	if i.versions != nil {
		return i.versions, nil
	}
	i.mu.RLock()
	defer i.mu.RUnlock()
	versions := map[string]int{}
	n, err := i.idx.DocCount()
	if err != nil {
		return nil, err
	}
	if n > 0 {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n), 0, false)
		req.Fields = []string{"version"}
		res, err := i.idx.Search(req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			v, _ := h.Fields["version"].(float64)
			versions[h.ID] = int(v)
		}
	}
	i.versions = versions
	return versions, nil
}
