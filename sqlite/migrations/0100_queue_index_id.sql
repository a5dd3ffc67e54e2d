-- The queue indexes carry the ticket's id too, so the queue is chosen
-- inside the indexes (status, target, creation time, language) and only
-- the hundred tickets shown are read whole.
DROP INDEX tickets_queue;
DROP INDEX tickets_queue_category;
CREATE INDEX tickets_queue ON tickets(status, first_response_due, created_at, lang, id);
CREATE INDEX tickets_queue_category ON tickets(category, status, first_response_due, created_at, lang, id);
