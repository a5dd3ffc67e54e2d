package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/search"
	"github.com/okcare/okcare/sqldb"
)

// kbIndexPath is where the help-center index lives.
func kbIndexPath(c *Config) string {
	if c.KBIndex != "" {
		return c.KBIndex
	}
	return filepath.Join(c.DataDir, "kb.bleve")
}

// openHelpCenter loads the shipped articles the store lacks (and new
// shipped versions of articles nobody edited) and opens the search index,
// rebuilding it when it is empty, articles were added or updated, or an
// older okcare built it.
func openHelpCenter(ctx context.Context, c *Config, db *sqldb.DB, logger *slog.Logger) (*search.Index, error) {
	added, err := kb.Load(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("load help-center articles: %w", err)
	}
	idx, err := search.Open(kbIndexPath(c))
	if err != nil {
		return nil, err
	}
	n, err := idx.Count()
	if err != nil {
		idx.Close()
		return nil, err
	}
	if n == 0 || added > 0 || idx.Stale() {
		articles, err := db.PublishedArticles(ctx)
		if err == nil {
			err = idx.Rebuild(articles, nil)
		}
		if err != nil {
			idx.Close()
			return nil, fmt.Errorf("build search index: %w", err)
		}
		n = uint64(len(articles))
	}
	logger.Info("help center ready", "articles_added", added, "indexed", n)
	return idx, nil
}

// runKB runs `okcare kb <command>`.
func runKB(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "reindex" {
		return usageError("usage: okcare kb reindex [--data-dir D | --db URL] [--kb-index DIR]")
	}
	c, fs, err := parseConfig("kb reindex", args[1:])
	if err != nil {
		return err
	}
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	db, _, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := kb.Load(ctx, db); err != nil {
		return err
	}
	articles, err := db.PublishedArticles(ctx)
	if err != nil {
		return err
	}
	idx, err := search.Open(kbIndexPath(c))
	if err != nil {
		return err
	}
	defer idx.Close()
	err = idx.Rebuild(articles, func(done, total int) { progressBar(os.Stderr, done, total) })
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nindexed %d articles into %s\n", len(articles), kbIndexPath(c))
	return nil
}

// progressBar redraws a one-line bar: [##########----------] 22/44.
func progressBar(w io.Writer, done, total int) {
	const width = 30
	filled := 0
	if total > 0 {
		filled = done * width / total
	}
	fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat("-", width-filled), done, total)
}
