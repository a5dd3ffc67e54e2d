-- Files customers attach to tickets: checked by content, kept in the
-- database (so they are in the same transactions and backups as the
-- conversation), always served as downloads.
CREATE TABLE attachments (
	id           TEXT PRIMARY KEY,
	ticket_id    TEXT NOT NULL REFERENCES tickets(id),
	message_id   TEXT,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	data         BLOB NOT NULL,
	created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, created_at);
