-- Private links to one ticket, for customers without an account (or not
-- signed in): the token goes out in the acknowledgement; only its hash is
-- kept.
CREATE TABLE ticket_access (
	token_hash TEXT PRIMARY KEY,
	ticket_id  TEXT NOT NULL REFERENCES tickets(id),
	expires_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX ticket_access_ticket ON ticket_access(ticket_id);
