-- Help-center articles: every saved version is kept; one may be published.
CREATE TABLE article_versions (
	slug       TEXT NOT NULL,
	lang       TEXT NOT NULL,
	version    INTEGER NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (slug, lang, version)
);

CREATE TABLE articles (
	slug              TEXT NOT NULL,
	lang              TEXT NOT NULL,
	published_version INTEGER,
	PRIMARY KEY (slug, lang)
);
