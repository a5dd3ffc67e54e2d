package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/okcare/okcare"
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
// shipped texts of articles nobody edited) and opens the search index,
// bringing it to the store's published articles: those published (on any
// node) while this one was down are indexed now. An index an older okcare
// built is rebuilt first.
func openHelpCenter(ctx context.Context, c *Config, db *sqldb.DB, logger *slog.Logger) (*search.Index, error) {
	added, err := kb.Load(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("load help-center articles: %w", err)
	}
	idx, err := search.Open(kbIndexPath(c))
	if err != nil {
		return nil, err
	}
	if cause := idx.Recreated(); cause != nil {
		logger.Warn("search index was unreadable; rebuilding it from the store", "error", cause)
	}
	if idx.Stale() {
		// Built by an older okcare: its documents lack what ranking reads
		// (front matter), so every one is indexed again.
		articles, err := db.PublishedArticles(ctx)
		if err == nil {
			err = idx.Rebuild(articles, nil)
		}
		if err != nil {
			idx.Close()
			return nil, fmt.Errorf("rebuild search index: %w", err)
		}
	}
	changed, err := idx.Sync(ctx, db)
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("build search index: %w", err)
	}
	n, err := idx.Count()
	if err != nil {
		idx.Close()
		return nil, err
	}
	logger.Info("help center ready", "articles_added", added, "reindexed", changed, "indexed", n)
	return idx, nil
}

// helpCenterFeed keeps this node's search index on the store's published
// articles, so that what an admin publishes on one node is found on every
// node within an interval. It is the change feed of the help center: a
// poll of the (slug, language, version) list through the store.
type helpCenterFeed struct {
	idx    *search.Index
	db     *sqldb.DB
	every  time.Duration
	logger *slog.Logger
	stop   chan struct{}
	done   chan struct{}
	// synced is when the index last agreed with the store (Unix nanos).
	synced atomic.Int64
}

func startHelpCenterFeed(idx *search.Index, db *sqldb.DB, every time.Duration, logger *slog.Logger) *helpCenterFeed {
	f := &helpCenterFeed{idx: idx, db: db, every: every, logger: logger, stop: make(chan struct{}), done: make(chan struct{})}
	f.synced.Store(time.Now().UnixNano())
	go f.run()
	return f
}

func (f *helpCenterFeed) run() {
	defer close(f.done)
	tick := time.NewTicker(f.every)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-f.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(f.every, 5*time.Second))
		n, err := f.idx.Sync(ctx, f.db)
		cancel()
		switch {
		case err != nil && !failing: // once per outage, not every tick
			f.logger.Warn("help center index cannot follow the store", "error", err)
		case err == nil && failing:
			f.logger.Info("help center index follows the store again")
		}
		failing = err != nil
		if err == nil {
			f.synced.Store(time.Now().UnixNano())
			if n > 0 {
				f.logger.Info("help center index updated", "documents", n)
			}
		}
	}
}

// health is the feed's part of /readyz: how long ago the index last
// agreed with the store.
func (f *helpCenterFeed) health(context.Context) (any, error) {
	ago := time.Since(time.Unix(0, f.synced.Load()))
	detail := map[string]any{"synced_ago_s": ago.Seconds(), "interval_s": f.every.Seconds()}
	if ago > 3*f.every+5*time.Second {
		return detail, okcare.Errorf(okcare.EUNAVAILABLE, "The search index has not followed the store for %s.", ago.Round(time.Second))
	}
	return detail, nil
}

func (f *helpCenterFeed) close() {
	if f == nil {
		return
	}
	close(f.stop)
	<-f.done
}

// runKB runs `okcare kb <command>`.
func runKB(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "export-labels" {
		return runExportLabels(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "reindex" {
		return usageError("usage: okcare kb reindex [--data-dir D | --db URL] [--kb-index DIR]\n       okcare kb export-labels [--format tsv|json] [--out FILE] [--data-dir D | --db URL]")
	}
	c, fs, err := parseConfig("kb reindex", args[1:])
	if err != nil {
		return err
	}
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	// The index belongs to the serving process while it runs.
	lock, err := lockDataDir(c.DataDir)
	if err != nil {
		return err
	}
	defer lock.release()
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
