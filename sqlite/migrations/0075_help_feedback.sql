-- "Was this helpful?" under help-center articles: one vote per reader
-- (voter: a hash of their browser's form token) and article, the latest
-- kept, with the search that led there.
CREATE TABLE article_votes (
	slug       TEXT NOT NULL,
	lang       TEXT NOT NULL,
	voter      TEXT NOT NULL,
	helpful    BOOLEAN NOT NULL,
	query      TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	PRIMARY KEY (slug, lang, voter)
);
CREATE INDEX article_votes_created ON article_votes (created_at);

-- Help-center searches that found no good answer, counted per query and
-- day (UTC): bounded by distinct queries, and reportable by period.
CREATE TABLE search_misses (
	lang     TEXT NOT NULL,
	query    TEXT NOT NULL,
	day      BIGINT NOT NULL,
	searches BIGINT NOT NULL,
	last_at  BIGINT NOT NULL,
	PRIMARY KEY (lang, query, day)
);
CREATE INDEX search_misses_day ON search_misses (day);
