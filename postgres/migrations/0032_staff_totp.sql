-- Staff sign in with a second factor: a TOTP seed (sealed with the secret
-- key), single-use recovery codes, and sessions that can do nothing but
-- enrol until the seed is confirmed.
ALTER TABLE agents ADD COLUMN totp_secret TEXT;
ALTER TABLE agents ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE agents ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agent_sessions ADD COLUMN mfa_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE agent_recovery_codes (
	agent_id  TEXT NOT NULL REFERENCES agents(id),
	code_hash TEXT NOT NULL,
	used_at   BIGINT,
	PRIMARY KEY (agent_id, code_hash)
);
