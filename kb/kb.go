// Package kb ships the help center's articles (Markdown, zh-CN and English,
// in articles/) and loads them into the store.
package kb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/okcare/okcare"
)

//go:embed articles/*.md
var files embed.FS

// Shipped returns the shipped articles: file "<slug>.<lang>.md" whose first
// line is "# Title".
func Shipped() ([]*okcare.Article, error) {
	names, err := fs.Glob(files, "articles/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*okcare.Article
	for _, name := range names {
		raw, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(strings.TrimPrefix(name, "articles/"), ".md")
		dot := strings.LastIndex(base, ".")
		title, body, _ := strings.Cut(string(raw), "\n")
		if dot < 0 || !strings.HasPrefix(title, "# ") {
			return nil, fmt.Errorf("%s: want <slug>.<lang>.md starting with '# Title'", name)
		}
		out = append(out, &okcare.Article{Slug: base[:dot], Lang: base[dot+1:], Title: strings.TrimPrefix(title, "# "), Body: strings.TrimSpace(body), CreatedBy: "system:kb"})
	}
	return out, nil
}

// Store is where Load writes.
type Store interface {
	okcare.ArticleService
}

// Load saves and publishes each shipped article that the store does not
// have yet, leaving edited ones alone. It returns how many it added.
func Load(ctx context.Context, s Store) (int, error) {
	articles, err := Shipped()
	if err != nil {
		return 0, err
	}
	added := 0
	for _, a := range articles {
		if _, err := s.ArticleHistory(ctx, a.Slug, a.Lang); err == nil {
			continue
		} else if okcare.ErrorCode(err) != okcare.ENOTFOUND {
			return added, err
		}
		if err := s.SaveArticleDraft(ctx, a); err != nil {
			return added, fmt.Errorf("%s/%s: %w", a.Slug, a.Lang, err)
		}
		if _, err := s.PublishArticle(ctx, a.Slug, a.Lang, a.Version, "system:kb"); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}
