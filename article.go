package okcare

import (
	"context"
	"time"
)

// Help-center languages.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// ValidLang reports whether lang is a help-center language.
func ValidLang(lang string) bool { return lang == LangZH || lang == LangEN }

// Article is one version of a help-center article in one language. Bodies
// are Markdown; HTML is rendered and sanitised on the way out.
type Article struct {
	Slug      string    `json:"slug"`
	Lang      string    `json:"lang"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Published bool      `json:"published"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// ArticleService keeps versioned help-center articles.
type ArticleService interface {
	// SaveArticleDraft stores a new version (not yet published) and returns
	// it. Returns EINVALID.
	SaveArticleDraft(ctx context.Context, a *Article) error

	// PublishArticle makes a version the published one. Returns ENOTFOUND.
	PublishArticle(ctx context.Context, slug, lang string, version int, by string) (*Article, error)

	// PublishedArticle returns the published version. Returns ENOTFOUND.
	PublishedArticle(ctx context.Context, slug, lang string) (*Article, error)

	// ArticleHistory lists every version, newest first. Returns ENOTFOUND.
	ArticleHistory(ctx context.Context, slug, lang string) ([]*Article, error)

	// PublishedArticles lists the published version of every article in
	// every language, for building the search index.
	PublishedArticles(ctx context.Context) ([]*Article, error)
}
