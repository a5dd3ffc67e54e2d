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
	"github.com/okcare/okcare/markdown"
)

//go:embed articles/*.md
var files embed.FS

// Shipped returns the shipped articles: file "<slug>.<lang>.md" whose first
// line is "# Title", or which starts with front matter (`platform:`,
// `topics:`; see markdown.FrontMatter) followed by that line. The front
// matter stays at the start of the article's body, so that whoever edits
// the article edits it too.
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
		fields, content := markdown.FrontMatter(string(raw))
		title, body, _ := strings.Cut(content, "\n")
		if dot < 0 || !strings.HasPrefix(title, "# ") {
			return nil, fmt.Errorf("%s: want <slug>.<lang>.md starting with '# Title' (after any front matter)", name)
		}
		body = strings.TrimSpace(body)
		if fields != nil {
			body = strings.TrimSuffix(string(raw), content) + body
		}
		out = append(out, &okcare.Article{Slug: base[:dot], Lang: base[dot+1:], Title: strings.TrimPrefix(title, "# "), Body: body, CreatedBy: shippedBy})
	}
	return out, nil
}

// Store is where Load writes.
type Store interface {
	okcare.ArticleService
}

// shippedBy is the author of the shipped articles' versions.
const shippedBy = "system:kb"

// Load saves and publishes each shipped article that the store does not
// have yet, and a new shipped version of one nobody has edited (every
// version is the shipped text's, and the newest is published); an article
// staff have edited is left alone. It returns how many it added or updated.
func Load(ctx context.Context, s Store) (int, error) {
	articles, err := Shipped()
	if err != nil {
		return 0, err
	}
	added := 0
	for _, a := range articles {
		if history, err := s.ArticleHistory(ctx, a.Slug, a.Lang); err == nil {
			if !untouched(history) || (history[0].Title == a.Title && history[0].Body == a.Body) {
				continue
			}
		} else if okcare.ErrorCode(err) != okcare.ENOTFOUND {
			return added, err
		}
		if err := s.SaveArticleDraft(ctx, a); err != nil {
			return added, fmt.Errorf("%s/%s: %w", a.Slug, a.Lang, err)
		}
		if _, err := s.PublishArticle(ctx, a.Slug, a.Lang, a.Version, shippedBy); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// untouched reports whether an article's history (newest first) is only
// shipped versions, the newest of them published.
func untouched(history []*okcare.Article) bool {
	for _, v := range history {
		if v.CreatedBy != shippedBy {
			return false
		}
	}
	return len(history) > 0 && history[0].Published
}
