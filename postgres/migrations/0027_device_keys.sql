-- A device is "known" to an account only when it proves it with the key it
-- was given at a successful sign-in (device ids are not secrets: agents and
-- session lists show them). Only the key's hash is kept.
CREATE TABLE device_keys (
	key_hash     TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users(id),
	device_id    TEXT NOT NULL,
	created_at   BIGINT NOT NULL
);
CREATE INDEX device_keys_user ON device_keys(user_id);
-- Failed sign-ins for logins that name no account are counted like real
-- ones, so a restriction does not tell which accounts exist.
CREATE INDEX login_attempts_login ON login_attempts(login, at);
