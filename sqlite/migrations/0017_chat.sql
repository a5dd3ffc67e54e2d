-- Live-chat sessions: the customer's browser holds a random token (only
-- its hash is kept) that opens one chat ticket until it expires.
CREATE TABLE chat_sessions (
	token_hash TEXT PRIMARY KEY,
	ticket_id  TEXT NOT NULL REFERENCES tickets(id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX chat_sessions_ticket ON chat_sessions(ticket_id);
