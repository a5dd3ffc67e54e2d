-- Identity checks on tickets, four-eyes approvals, password-reset links.
CREATE TABLE verifications (
	id          TEXT PRIMARY KEY,
	ticket_id   TEXT NOT NULL REFERENCES tickets(id),
	user_id     TEXT NOT NULL,
	channel     TEXT NOT NULL,
	sent_to     TEXT NOT NULL,
	code_hash   TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	expires_at  BIGINT NOT NULL,
	verified_at BIGINT,
	verified_by TEXT NOT NULL DEFAULT '',
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX verifications_ticket ON verifications(ticket_id, verified_at);

CREATE TABLE approvals (
	id           TEXT PRIMARY KEY,
	ticket_id    TEXT NOT NULL REFERENCES tickets(id),
	user_id      TEXT NOT NULL,
	action       TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	approved_by  TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	approved_at  BIGINT
);

CREATE TABLE password_resets (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT,
	created_at BIGINT NOT NULL
);
