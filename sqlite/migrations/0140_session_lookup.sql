-- The session lookup of every authenticated call reads the session's id,
-- user and times by its token hash, and the app's launch only the
-- account's state besides (sqldb.AuthenticateAccount). From the unique
-- indexes each table took two B-tree descents (index, then row); at a
-- million sessions their leaf pages are rarely in a reader's cache, so
-- each descent costs a page read. These indexes answer both from the
-- index alone. Sessions made before this migration are in them at once
-- (CREATE INDEX reads the table): no token changes.
CREATE INDEX sessions_token_lookup ON sessions(token_hash, user_id, created_at, last_seen_at, revoked_at, id);
CREATE INDEX users_account_state ON users(id, state, state_reason, restricted_until);
-- The planner takes a covering index over the unique one once it has
-- statistics for it: sqlite.Open's PRAGMA optimize, right after the
-- migrations, samples indexes that have none.
