-- Follow-up messages an agent schedules on a ticket ("is it still
-- working?"); the SLA watch sends them when due.
CREATE TABLE followups (
	id          TEXT PRIMARY KEY,
	ticket_id   TEXT NOT NULL REFERENCES tickets(id),
	body        TEXT NOT NULL,
	due_at      BIGINT NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	sent_at     BIGINT,
	canceled_at BIGINT
);
CREATE INDEX followups_due ON followups(due_at) WHERE sent_at IS NULL AND canceled_at IS NULL;
CREATE INDEX followups_ticket ON followups(ticket_id);
