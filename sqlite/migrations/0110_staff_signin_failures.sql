-- Failed staff sign-ins, shared by every node, so that guesses at one
-- staff account spread over nodes are slowed as one (each node kept its
-- own count before). The login is kept hashed: a password typed into the
-- email field is not stored.
CREATE TABLE staff_signin_failures (
	login_hash TEXT NOT NULL,
	at         BIGINT NOT NULL
);
CREATE INDEX staff_signin_failures_login ON staff_signin_failures (login_hash, at);
CREATE INDEX staff_signin_failures_at ON staff_signin_failures (at);
