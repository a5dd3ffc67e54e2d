-- PostgreSQL moves ticket numbers to a sequence here; SQLite, with one
-- writer at a time, keeps the counter row.
SELECT 1;
