-- Every ticket has a category: given by the customer or their diagnosis,
-- or read from its text by the diagnosis model (category_source 'model',
-- with the model's confidence), or corrected by an agent ('agent').
-- Tickets from before this migration keep '' (unknown source).
ALTER TABLE tickets ADD COLUMN category_source TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN category_confidence DOUBLE PRECISION;

-- An agent's correction of a ticket's category is labelled data: the text
-- the model read, what it (or the customer) said, and what the agent says
-- it is. Kept for export and retraining; never changed once written.
CREATE TABLE category_labels (
	id               TEXT PRIMARY KEY,
	ticket_id        TEXT NOT NULL REFERENCES tickets(id),
	lang             TEXT NOT NULL,
	text             TEXT NOT NULL,
	from_category    TEXT NOT NULL,
	from_source      TEXT NOT NULL,
	from_confidence  DOUBLE PRECISION,
	category         TEXT NOT NULL,
	agent_id         TEXT NOT NULL,
	created_at       BIGINT NOT NULL
);
CREATE INDEX category_labels_created ON category_labels(created_at, id);
