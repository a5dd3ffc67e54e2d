-- Satisfaction surveys sent when a ticket is solved; pending reminders.
CREATE TABLE csat (
	ticket_id   TEXT PRIMARY KEY REFERENCES tickets(id),
	token_hash  TEXT NOT NULL UNIQUE,
	rating      INTEGER CHECK (rating BETWEEN 1 AND 5),
	comment     TEXT NOT NULL DEFAULT '',
	sent_at     BIGINT NOT NULL,
	answered_at BIGINT
);
ALTER TABLE tickets ADD COLUMN pending_since BIGINT;
ALTER TABLE tickets ADD COLUMN pending_warned_at BIGINT;
