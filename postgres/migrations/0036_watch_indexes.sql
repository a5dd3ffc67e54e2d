-- The periodic jobs read through partial indexes on their due columns, so
-- a minute's scan costs what is due (or the first page of the waiting
-- queue), not the size of the ticket history. Each index's condition is
-- the query's own, word for word, so both planners use it.
CREATE INDEX tickets_first_response_watch ON tickets(first_response_due)
	WHERE first_responded_at IS NULL AND first_response_due IS NOT NULL
	AND status NOT IN ('solved', 'closed') AND sla_breached_at IS NULL;
CREATE INDEX tickets_resolution_watch ON tickets(resolution_due)
	WHERE resolution_due IS NOT NULL AND status IN ('new', 'open', 'on_hold') AND sla_resolution_breached_at IS NULL;
CREATE INDEX tickets_unassigned ON tickets(first_response_due, created_at)
	WHERE assignee_id IS NULL AND status IN ('new', 'open');
CREATE INDEX tickets_pending_watch ON tickets(pending_since)
	WHERE status = 'pending' AND pending_since IS NOT NULL;
