-- Self-service requests made from the help center without signing in: an
-- emergency freeze (a code to the registered contact) and a forgotten
-- password (a reset link). A row is written for every request, whether or
-- not an account has the contact, so that the throttle per contact and the
-- answer are the same for every contact; the contact itself is kept only
-- as a hash. user_id is NULL when no account has it: nothing was sent.
CREATE TABLE self_service_requests (
	id           TEXT PRIMARY KEY,
	purpose      TEXT NOT NULL CHECK (purpose IN ('freeze', 'reset')),
	contact_hash TEXT NOT NULL,
	user_id      TEXT,
	channel      TEXT NOT NULL,
	code_hash    TEXT NOT NULL DEFAULT '',
	attempts     INTEGER NOT NULL DEFAULT 0,
	lang         TEXT NOT NULL,
	expires_at   BIGINT NOT NULL,
	used_at      BIGINT,
	created_at   BIGINT NOT NULL
);
CREATE INDEX self_service_requests_contact ON self_service_requests(purpose, contact_hash, created_at);
