-- The official channels customers can check a contact against (/verify).
-- Rows are never deleted: removing a channel stamps removed_at, so the
-- list's history stays; every change is also in the audit log.
CREATE TABLE official_channels (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	display    TEXT NOT NULL,
	note_zh    TEXT NOT NULL DEFAULT '',
	note_en    TEXT NOT NULL DEFAULT '',
	added_by   TEXT NOT NULL,
	added_at   BIGINT NOT NULL,
	removed_by TEXT NOT NULL DEFAULT '',
	removed_at BIGINT
);
CREATE UNIQUE INDEX official_channels_current ON official_channels(kind, value) WHERE removed_at IS NULL;

-- Verification codes staff give a customer in a live chat or call, which
-- the customer checks on /verify. The code is kept sealed (the console
-- shows it again while it lasts) and found by its hash.
CREATE TABLE staff_codes (
	code_hash   TEXT PRIMARY KEY,
	agent_id    TEXT NOT NULL,
	ticket_id   TEXT NOT NULL,
	code_sealed TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL,
	checked_at  BIGINT
);
CREATE INDEX staff_codes_agent ON staff_codes(agent_id, ticket_id, expires_at);
