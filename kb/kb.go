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
		out = append(out, &okcare.Article{Slug: base[:dot], Lang: base[dot+1:], Title: strings.TrimPrefix(title, "# "), Body: body, CreatedBy: "system:kb"})
	}
	return out, nil
}

// Store is where Load writes.
type Store interface {
	// PublishShipped saves and publishes, in one transaction, the given
	// articles the store has never published (sqldb.DB.PublishShipped),
	// repairing any left as a lone draft by an interrupted start, and
	// returns how many it published.
	PublishShipped(ctx context.Context, articles []*okcare.Article) (int, error)
}

// Load publishes each shipped article that the store has not published
// yet, and a new shipped text of one nobody has edited, leaving edited
// ones alone, all in one transaction: a start killed half way leaves
// nothing half done. It returns how many it published.
func Load(ctx context.Context, s Store) (int, error) {
	articles, err := Shipped()
	if err != nil {
		return 0, err
	}
	return s.PublishShipped(ctx, articles)
}
