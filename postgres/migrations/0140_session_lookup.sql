-- SQLite's session lookup reads covering indexes from this migration on.
-- PostgreSQL keeps its unique index on the token hash plus a heap fetch:
-- an index holding last_seen_at would stop the buffered activity writes
-- from being HOT updates (a new entry in every index of sessions for each).
SELECT 1;
