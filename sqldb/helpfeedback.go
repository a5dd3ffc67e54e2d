package sqldb

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

// maxFeedbackQuery bounds a stored search, in characters: the search box's
// own limit.
const maxFeedbackQuery = 200

// cleanQuery is a search as reports show it: spaces collapsed, lower case.
// It refuses what no search box sends.
func cleanQuery(q string) (string, error) {
	if !utf8.ValidString(q) {
		return "", okcare.Errorf(okcare.EINVALIDUTF8, "query must be valid UTF-8.")
	}
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	if utf8.RuneCountInString(q) > maxFeedbackQuery {
		return "", okcare.Errorf(okcare.EINVALID, "query must be at most %d characters.", maxFeedbackQuery)
	}
	if strings.IndexFunc(q, unicode.IsControl) >= 0 {
		return "", okcare.Errorf(okcare.EINVALID, "query may not contain control characters.")
	}
	return q, nil
}

// VoteArticle records a reader's vote on a published article, replacing
// the same reader's earlier vote on it. Votes are advisory records, written
// like diagnoses (durability.go).
func (db *DB) VoteArticle(ctx context.Context, v *okcare.ArticleVote) error {
	q, err := cleanQuery(v.Query)
	if err != nil {
		return err
	}
	if !okcare.ValidLang(v.Lang) {
		return okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	if v.Voter == "" || len(v.Voter) > 100 {
		return okcare.Errorf(okcare.EINVALID, "A vote needs its voter.")
	}
	if _, err := db.PublishedArticle(ctx, v.Slug, v.Lang); err != nil {
		return err
	}
	v.Query = q
	return db.inRelaxedTx(ctx, func(tx *Tx) error {
		v.CreatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO article_votes (slug, lang, voter, helpful, query, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (slug, lang, voter) DO UPDATE SET helpful = excluded.helpful, query = excluded.query, created_at = excluded.created_at`,
			v.Slug, v.Lang, v.Voter, v.Helpful, q, micros(tx.now))
		return err
	})
}

const microsPerDay = int64(24 * time.Hour / time.Microsecond)

// RecordSearchMiss counts a search that found no good answer, in the
// day's row for that query.
func (db *DB) RecordSearchMiss(ctx context.Context, lang, query string) error {
	q, err := cleanQuery(query)
	if err != nil {
		return err
	}
	if !okcare.ValidLang(lang) || q == "" {
		return okcare.Errorf(okcare.EINVALID, "A search miss needs a language and a query.")
	}
	return db.inRelaxedTx(ctx, func(tx *Tx) error {
		now := micros(tx.now)
		_, err := tx.exec(ctx, `INSERT INTO search_misses (lang, query, day, searches, last_at) VALUES (?, ?, ?, 1, ?)
			ON CONFLICT (lang, query, day) DO UPDATE SET searches = search_misses.searches + 1, last_at = excluded.last_at`,
			lang, q, now/microsPerDay, now)
		return err
	})
}

// HelpFeedback reports votes and searches since a time.
func (db *DB) HelpFeedback(ctx context.Context, since time.Time, limit int) (*okcare.HelpFeedback, error) {
	if limit < 1 || limit > 1000 {
		return nil, okcare.Errorf(okcare.EINVALID, "limit must be 1-1000.")
	}
	r := &okcare.HelpFeedback{Since: since, Articles: []okcare.ArticleVotes{}, UnhelpfulQueries: []okcare.QueryCount{}, ZeroResultQueries: []okcare.QueryCount{}}
	from := micros(since)
	rows, err := db.query(ctx, `SELECT slug, lang, SUM(CASE WHEN helpful THEN 1 ELSE 0 END), SUM(CASE WHEN helpful THEN 0 ELSE 1 END)
		FROM article_votes WHERE created_at >= ? GROUP BY slug, lang
		ORDER BY SUM(CASE WHEN helpful THEN 0 ELSE 1 END) DESC, COUNT(*) DESC, slug, lang LIMIT ?`, from, limit)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var a okcare.ArticleVotes
		if err := rows.Scan(&a.Slug, &a.Lang, &a.Helpful, &a.Unhelpful); err != nil {
			rows.Close()
			return nil, err
		}
		r.Articles = append(r.Articles, a)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	if r.UnhelpfulQueries, err = db.queryCounts(ctx, `SELECT query, lang, slug, COUNT(*), MAX(created_at) FROM article_votes
		WHERE created_at >= ? AND NOT helpful AND query <> '' GROUP BY query, lang, slug
		ORDER BY COUNT(*) DESC, MAX(created_at) DESC, query LIMIT ?`, from, limit); err != nil {
		return nil, err
	}
	if r.ZeroResultQueries, err = db.queryCounts(ctx, `SELECT query, lang, '', SUM(searches), MAX(last_at) FROM search_misses
		WHERE day >= ? GROUP BY query, lang ORDER BY SUM(searches) DESC, MAX(last_at) DESC, query LIMIT ?`, from/microsPerDay, limit); err != nil {
		return nil, err
	}
	return r, nil
}

func (db *DB) queryCounts(ctx context.Context, q string, args ...any) ([]okcare.QueryCount, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out := []okcare.QueryCount{}
	for rows.Next() {
		var c okcare.QueryCount
		var last int64
		if err := rows.Scan(&c.Query, &c.Lang, &c.Slug, &c.Count, &last); err != nil {
			rows.Close()
			return nil, err
		}
		c.LastAt = fromMicros(last)
		out = append(out, c)
	}
	return out, closeRows(rows)
}

func closeRows(rows interface {
	Err() error
	Close() error
}) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
