-- Support tickets and their conversations.
CREATE TABLE ticket_numbers (
	name TEXT PRIMARY KEY,
	last BIGINT NOT NULL
);
INSERT INTO ticket_numbers (name, last) VALUES ('tickets', 100000);

CREATE TABLE tickets (
	id              TEXT PRIMARY KEY,
	number          BIGINT NOT NULL UNIQUE,
	user_id         TEXT,
	contact_email   TEXT NOT NULL DEFAULT '',
	contact_phone   TEXT NOT NULL DEFAULT '',
	channel         TEXT NOT NULL,
	status          TEXT NOT NULL,
	priority        TEXT NOT NULL,
	category        TEXT NOT NULL,
	lang            TEXT NOT NULL,
	subject         TEXT NOT NULL,
	intake          TEXT NOT NULL,
	idem_scope      TEXT NOT NULL,
	idempotency_key TEXT,
	request_hash    TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	UNIQUE (idem_scope, idempotency_key)
);
CREATE INDEX tickets_user ON tickets(user_id, created_at);

CREATE TABLE ticket_messages (
	id         TEXT PRIMARY KEY,
	ticket_id  TEXT NOT NULL REFERENCES tickets(id),
	author     TEXT NOT NULL,
	public     BOOLEAN NOT NULL,
	body       TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, created_at);
