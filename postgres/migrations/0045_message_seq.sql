-- Every message's place in its ticket's conversation (seq: 1, 2, 3...) and
-- the id its sender gave it (client_id, empty when none was given). The
-- ticket keeps the last seq given and the last message's time, so a new
-- message's place and time are taken together under the ticket's row lock:
-- the order by seq and the order by time never disagree, whichever node
-- writes. Older messages are numbered in the order they were shown in.
ALTER TABLE tickets ADD COLUMN message_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN message_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket_messages ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket_messages ADD COLUMN client_id TEXT NOT NULL DEFAULT '';

UPDATE ticket_messages SET seq = r.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY created_at, id) AS n FROM ticket_messages) AS r
WHERE r.id = ticket_messages.id;

UPDATE tickets SET message_seq = m.n, message_at = m.at
FROM (SELECT ticket_id, MAX(seq) AS n, MAX(created_at) AS at FROM ticket_messages GROUP BY ticket_id) AS m
WHERE m.ticket_id = tickets.id;

-- Catch-up after a reconnect reads a ticket's messages after a seq.
CREATE UNIQUE INDEX ticket_messages_seq ON ticket_messages (ticket_id, seq);
-- A message sent again under the same client id is the same message.
CREATE UNIQUE INDEX ticket_messages_client_id ON ticket_messages (ticket_id, client_id) WHERE client_id <> '';
