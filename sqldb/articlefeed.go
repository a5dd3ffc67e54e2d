package sqldb

import "context"

// PublishedVersions maps "slug/lang" to the published version of every
// published article: what each node's search index compares itself with
// every few seconds (search.Index.Sync). It is one small query (the
// primary-key table alone), however long the articles.
func (db *DB) PublishedVersions(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT slug, lang, published_version FROM articles WHERE published_version IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var slug, lang string
		var version int
		if err := rows.Scan(&slug, &lang, &version); err != nil {
			return nil, err
		}
		out[slug+"/"+lang] = version
	}
	return out, rows.Err()
}
