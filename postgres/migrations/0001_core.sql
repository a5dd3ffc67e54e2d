-- Users, credentials, sessions and account state.
CREATE TABLE users (
	id                  TEXT PRIMARY KEY,
	email               TEXT UNIQUE,
	phone               TEXT UNIQUE,
	password_hash       TEXT NOT NULL,
	state               TEXT NOT NULL CHECK (state IN ('active','frozen','login_restricted','closed')),
	state_reason        TEXT NOT NULL DEFAULT '',
	restricted_until    BIGINT,
	totp_secret         TEXT,
	totp_pending_secret TEXT,
	totp_last_step      BIGINT NOT NULL DEFAULT 0,
	created_at          BIGINT NOT NULL,
	CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

CREATE TABLE account_state_history (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users(id),
	from_state TEXT NOT NULL,
	to_state   TEXT NOT NULL,
	reason     TEXT NOT NULL,
	actor      TEXT NOT NULL,
	at         BIGINT NOT NULL
);
CREATE INDEX account_state_history_user ON account_state_history(user_id, id);

CREATE TABLE recovery_codes (
	user_id   TEXT NOT NULL REFERENCES users(id),
	code_hash TEXT NOT NULL,
	used_at   BIGINT,
	PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users(id),
	token_hash   TEXT NOT NULL UNIQUE,
	device_id    TEXT NOT NULL,
	platform     TEXT NOT NULL,
	os_version   TEXT NOT NULL,
	app_version  TEXT NOT NULL,
	model        TEXT NOT NULL DEFAULT '',
	ip           TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	revoked_at   BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id, device_id);

CREATE TABLE login_attempts (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id      TEXT,
	login        TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	ip           TEXT NOT NULL,
	success      BOOLEAN NOT NULL,
	outcome      TEXT NOT NULL,
	counts       BOOLEAN NOT NULL,
	at           BIGINT NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(user_id, at);

-- The ledger. Amounts are base-10 integers in minor units, as text.
CREATE TABLE assets (
	code     TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 18)
);

CREATE TABLE merchants (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE ledger_accounts (
	id             TEXT PRIMARY KEY,
	owner_kind     TEXT NOT NULL CHECK (owner_kind IN ('user','merchant','system')),
	owner_id       TEXT NOT NULL,
	asset          TEXT NOT NULL REFERENCES assets(code),
	balance        TEXT NOT NULL DEFAULT '0',
	allow_negative BOOLEAN NOT NULL DEFAULT FALSE,
	UNIQUE (owner_kind, owner_id, asset)
);

CREATE TABLE journal_entries (
	id          TEXT PRIMARY KEY,
	movement_id TEXT NOT NULL,
	kind        TEXT NOT NULL,
	memo        TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL
);

CREATE TABLE postings (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	entry_id   TEXT NOT NULL REFERENCES journal_entries(id),
	account_id TEXT NOT NULL REFERENCES ledger_accounts(id),
	asset      TEXT NOT NULL,
	amount     TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX postings_account ON postings(account_id, seq);
CREATE INDEX postings_entry ON postings(entry_id);

CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ledger history is immutable';
END;
$$;
CREATE TRIGGER postings_immutable BEFORE UPDATE OR DELETE ON postings FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER entries_immutable BEFORE UPDATE OR DELETE ON journal_entries FOR EACH ROW EXECUTE FUNCTION ledger_immutable();

CREATE TABLE movements (
	id             TEXT PRIMARY KEY,
	kind           TEXT NOT NULL,
	from_user_id   TEXT NOT NULL DEFAULT '',
	to_user_id     TEXT NOT NULL DEFAULT '',
	to_merchant_id TEXT NOT NULL DEFAULT '',
	asset          TEXT NOT NULL,
	amount         TEXT NOT NULL,
	memo           TEXT NOT NULL DEFAULT '',
	entry_id       TEXT NOT NULL,
	created_at     BIGINT NOT NULL
);

CREATE TABLE idempotency_keys (
	user_id      TEXT NOT NULL,
	key          TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	movement_id  TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	PRIMARY KEY (user_id, key)
);

-- Release policy and incidents.
CREATE TABLE releases (
	platform       TEXT PRIMARY KEY,
	min_version    TEXT NOT NULL,
	latest_version TEXT NOT NULL,
	min_os_version TEXT NOT NULL,
	update_url     TEXT NOT NULL,
	known_bad      TEXT NOT NULL,
	updated_at     BIGINT NOT NULL,
	updated_by     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE incidents (
	id          TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	message     TEXT NOT NULL,
	severity    TEXT NOT NULL,
	status      TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	resolved_at BIGINT
);

CREATE TABLE incident_updates (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id TEXT NOT NULL REFERENCES incidents(id),
	status      TEXT NOT NULL,
	message     TEXT NOT NULL,
	at          BIGINT NOT NULL
);

-- Staff.
CREATE TABLE agents (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('agent','supervisor','admin')),
	password_hash TEXT NOT NULL,
	created_at    BIGINT NOT NULL
);

CREATE TABLE agent_sessions (
	token_hash TEXT PRIMARY KEY,
	agent_id   TEXT NOT NULL REFERENCES agents(id),
	ip         TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

-- The outbox of security notifications. Each row is delivered by a River
-- job inserted in the same transaction.
CREATE TABLE notifications (
	id              TEXT PRIMARY KEY,
	user_id         TEXT NOT NULL,
	channel         TEXT NOT NULL,
	to_addr         TEXT NOT NULL,
	event           TEXT NOT NULL,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	status          TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	sent_at         BIGINT
);
CREATE INDEX notifications_created ON notifications(created_at);
