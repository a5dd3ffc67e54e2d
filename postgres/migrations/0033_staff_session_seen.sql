-- Staff sessions end after an idle spell as well as at their absolute
-- end: last_seen_at is when the session was last used.
ALTER TABLE agent_sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE agent_sessions SET last_seen_at = created_at;
