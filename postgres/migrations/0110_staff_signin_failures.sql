-- Failed staff sign-ins, shared by every node, so that guesses at one
-- staff account spread over nodes are slowed as one (each node kept its
-- own count before). Each attempt is recorded before its password is
-- checked (and removed if it succeeds or was no guess), so parallel
-- attempts count one after another. The login is kept hashed: a password
-- typed into the email field is not stored.
CREATE TABLE staff_signin_failures (
	id         TEXT PRIMARY KEY,
	login_hash TEXT NOT NULL,
	at         BIGINT NOT NULL
);
CREATE INDEX staff_signin_failures_login ON staff_signin_failures (login_hash, at);
CREATE INDEX staff_signin_failures_at ON staff_signin_failures (at);
