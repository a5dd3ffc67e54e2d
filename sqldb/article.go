package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Article size limits.
const (
	maxArticleTitle = 200
	maxArticleBody  = 100_000
)

func validateArticle(a *okcare.Article) error {
	switch {
	case !slugPattern.MatchString(a.Slug) || len(a.Slug) > 100:
		return okcare.Errorf(okcare.EINVALID, "slug must be lower-case words joined by hyphens.")
	case !okcare.ValidLang(a.Lang):
		return okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	case a.Title == "" || utf8.RuneCountInString(a.Title) > maxArticleTitle:
		return okcare.Errorf(okcare.EINVALID, "title is required (at most %d characters).", maxArticleTitle)
	case a.Body == "" || len(a.Body) > maxArticleBody:
		return okcare.Errorf(okcare.EINVALID, "body is required (at most %d bytes).", maxArticleBody)
	case !utf8.ValidString(a.Title + a.Body):
		return okcare.Errorf(okcare.EINVALIDUTF8, "title and body must be valid UTF-8.")
	}
	return nil
}

// SaveArticleDraft stores a new version of an article.
func (db *DB) SaveArticleDraft(ctx context.Context, a *okcare.Article) error {
	if err := validateArticle(a); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO articles (slug, lang) VALUES (?, ?) ON CONFLICT (slug, lang) DO NOTHING`, a.Slug, a.Lang); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM article_versions WHERE slug = ? AND lang = ?`, a.Slug, a.Lang).Scan(&a.Version); err != nil {
			return err
		}
		a.CreatedAt, a.Published = fromMicros(micros(tx.now)), false
		_, err := tx.exec(ctx, `INSERT INTO article_versions (slug, lang, version, title, body, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Slug, a.Lang, a.Version, a.Title, a.Body, micros(tx.now), a.CreatedBy)
		return err
	})
}

const articleColumns = `v.slug, v.lang, v.version, v.title, v.body, v.created_at, v.created_by, COALESCE(a.published_version = v.version, FALSE)`

func scanArticle(row interface{ Scan(...any) error }) (*okcare.Article, error) {
	var a okcare.Article
	var created int64
	if err := row.Scan(&a.Slug, &a.Lang, &a.Version, &a.Title, &a.Body, &created, &a.CreatedBy, &a.Published); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, okcare.Errorf(okcare.ENOTFOUND, "No such article.")
		}
		return nil, err
	}
	a.CreatedAt = fromMicros(created)
	return &a, nil
}

// PublishArticle makes a saved version the published one.
func (db *DB) PublishArticle(ctx context.Context, slug, lang string, version int, by string) (*okcare.Article, error) {
	var a *okcare.Article
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE articles SET published_version = ? WHERE slug = ? AND lang = ?
			AND EXISTS (SELECT 1 FROM article_versions WHERE slug = ? AND lang = ? AND version = ?)`, version, slug, lang, slug, lang, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return okcare.Errorf(okcare.ENOTFOUND, "No such article version.")
		}
		a, err = scanArticle(tx.queryRow(ctx, `SELECT `+articleColumns+` FROM article_versions v JOIN articles a ON a.slug = v.slug AND a.lang = v.lang
			WHERE v.slug = ? AND v.lang = ? AND v.version = ?`, slug, lang, version))
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, actorOr(by), "article.publish", "article:"+slug+"/"+lang, map[string]int{"version": version})
	})
	return a, err
}

// PublishedArticle returns the published version of an article.
func (db *DB) PublishedArticle(ctx context.Context, slug, lang string) (*okcare.Article, error) {
	return scanArticle(db.queryRow(ctx, `SELECT `+articleColumns+` FROM articles a JOIN article_versions v
		ON v.slug = a.slug AND v.lang = a.lang AND v.version = a.published_version WHERE a.slug = ? AND a.lang = ?`, slug, lang))
}

func (db *DB) listArticles(ctx context.Context, q string, args ...any) ([]*okcare.Article, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*okcare.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ArticleHistory lists every version of an article, newest first.
func (db *DB) ArticleHistory(ctx context.Context, slug, lang string) ([]*okcare.Article, error) {
	list, err := db.listArticles(ctx, `SELECT `+articleColumns+` FROM article_versions v JOIN articles a ON a.slug = v.slug AND a.lang = v.lang
		WHERE v.slug = ? AND v.lang = ? ORDER BY v.version DESC`, slug, lang)
	if err == nil && len(list) == 0 {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such article.")
	}
	return list, err
}

// PublishedArticles lists every published article.
func (db *DB) PublishedArticles(ctx context.Context) ([]*okcare.Article, error) {
	return db.listArticles(ctx, `SELECT `+articleColumns+` FROM articles a JOIN article_versions v
		ON v.slug = a.slug AND v.lang = a.lang AND v.version = a.published_version ORDER BY a.slug, a.lang`)
}
