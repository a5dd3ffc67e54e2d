package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/okcare/okcare"
)

// ShippedBy is the author of the articles okcare ships (kb.Load).
const ShippedBy = "system:kb"

// PublishShipped saves and publishes, in one transaction, each shipped
// article the help center has never published, and returns how many it
// published. Saving a draft and publishing it used to be two
// transactions: a process killed between them left the article with a
// draft and nothing published, and every later start skipped it because
// it existed. Now an article is published with its first version or not
// at all, and an article left that way by an older version (only shipped
// drafts, none published) is repaired by publishing its latest draft.
// An article nobody has edited (only shipped versions, the latest
// published) gets a new shipped text as its next version, published.
// Articles staff have written on are left alone: one with any staff
// version is theirs.
//
// Rows are locked in slug and language order, so two nodes starting at
// once on PostgreSQL queue instead of both writing version 1.
func (db *DB) PublishShipped(ctx context.Context, articles []*okcare.Article) (int, error) {
	for _, a := range articles {
		if err := validateArticle(a); err != nil {
			return 0, fmt.Errorf("%s/%s: %w", a.Slug, a.Lang, err)
		}
	}
	published := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		published = 0
		for _, a := range sortedArticles(articles) {
			ok, err := publishShipped(ctx, tx, a)
			if err != nil {
				return fmt.Errorf("%s/%s: %w", a.Slug, a.Lang, err)
			}
			if ok {
				published++
			}
		}
		return nil
	})
	return published, err
}

// publishShipped is PublishShipped for one article, inside tx.
func publishShipped(ctx context.Context, tx *Tx, a *okcare.Article) (bool, error) {
	if _, err := tx.exec(ctx, `INSERT INTO articles (slug, lang) VALUES (?, ?) ON CONFLICT (slug, lang) DO NOTHING`, a.Slug, a.Lang); err != nil {
		return false, err
	}
	var published sql.NullInt64
	if err := tx.queryRow(ctx, `SELECT published_version FROM articles WHERE slug = ? AND lang = ?`+tx.db.dialect.ForUpdate, a.Slug, a.Lang).Scan(&published); err != nil {
		return false, err
	}
	var latest, staff int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0), COALESCE(SUM(CASE WHEN created_by <> ? THEN 1 ELSE 0 END), 0)
		FROM article_versions WHERE slug = ? AND lang = ?`, ShippedBy, a.Slug, a.Lang).Scan(&latest, &staff); err != nil {
		return false, err
	}
	if staff > 0 {
		return false, nil
	}
	if published.Valid {
		// Nobody has edited it: a new shipped text (front matter, a
		// correction) becomes its next version, published.
		if int(published.Int64) != latest {
			return false, nil
		}
		var title, body string
		if err := tx.queryRow(ctx, `SELECT title, body FROM article_versions WHERE slug = ? AND lang = ? AND version = ?`, a.Slug, a.Lang, latest).Scan(&title, &body); err != nil {
			return false, err
		}
		if title == a.Title && body == a.Body {
			return false, nil
		}
		latest++
		if _, err := tx.exec(ctx, `INSERT INTO article_versions (slug, lang, version, title, body, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Slug, a.Lang, latest, a.Title, a.Body, micros(tx.now), ShippedBy); err != nil {
			return false, err
		}
	} else if latest == 0 {
		latest = 1
		if _, err := tx.exec(ctx, `INSERT INTO article_versions (slug, lang, version, title, body, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Slug, a.Lang, latest, a.Title, a.Body, micros(tx.now), ShippedBy); err != nil {
			return false, err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE articles SET published_version = ? WHERE slug = ? AND lang = ?`, latest, a.Slug, a.Lang); err != nil {
		return false, err
	}
	a.Version, a.Published = latest, true
	return true, appendAudit(ctx, tx, ShippedBy, "article.publish", "article:"+a.Slug+"/"+a.Lang, map[string]int{"version": latest})
}

// sortedArticles is articles in slug, then language order (the lock order).
func sortedArticles(articles []*okcare.Article) []*okcare.Article {
	out := append([]*okcare.Article(nil), articles...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Slug != out[j].Slug {
			return out[i].Slug < out[j].Slug
		}
		return out[i].Lang < out[j].Lang
	})
	return out
}
