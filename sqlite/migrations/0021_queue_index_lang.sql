-- The queue indexes carry the ticket's language and creation time, so a
-- queue filtered by language skips other tickets inside the index instead
-- of reading each row, and the order needs no sort.
DROP INDEX tickets_queue;
DROP INDEX tickets_queue_category;
CREATE INDEX tickets_queue ON tickets(status, first_response_due, created_at, lang);
CREATE INDEX tickets_queue_category ON tickets(category, status, first_response_due, created_at, lang);
