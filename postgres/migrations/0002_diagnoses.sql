-- Stored diagnoses and the user's answer ("solved" or "still_broken").
CREATE TABLE diagnoses (
	id         TEXT PRIMARY KEY,
	user_id    TEXT,
	lang       TEXT NOT NULL,
	top_cause  TEXT NOT NULL,
	request    TEXT NOT NULL,
	result     TEXT NOT NULL,
	outcome    TEXT CHECK (outcome IN ('solved', 'still_broken')),
	created_at BIGINT NOT NULL,
	answered_at BIGINT
);
CREATE INDEX diagnoses_created ON diagnoses(created_at);
