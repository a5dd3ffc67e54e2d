-- The agent queue: every ticket now has a first-response target (tickets
-- from before targets existed get creation + 3 days), so the queue orders
-- by it directly, through these indexes.
UPDATE tickets SET first_response_due = created_at + 259200000000 WHERE first_response_due IS NULL;
UPDATE tickets SET resolution_due = first_response_due + 172800000000 WHERE resolution_due IS NULL;
CREATE INDEX tickets_queue ON tickets(status, first_response_due, created_at);
CREATE INDEX tickets_queue_category ON tickets(category, status, first_response_due);
