-- Agent console: macros (canned replies that can also set status and
-- tags), ticket tags, and the lookups the customer-context panel makes.
CREATE TABLE macros (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	lang       TEXT NOT NULL,
	body       TEXT NOT NULL,
	set_status TEXT NOT NULL DEFAULT '',
	tags       TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (name, lang)
);
ALTER TABLE tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE INDEX diagnoses_user ON diagnoses(user_id, created_at);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
CREATE INDEX approvals_ticket ON approvals(ticket_id, created_at);
