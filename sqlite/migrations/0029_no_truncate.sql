-- SQLite has no TRUNCATE: a DELETE without WHERE fires the row triggers
-- of migrations 0001 and 0006. This keeps the numbering of both stores alike.
SELECT 1;
