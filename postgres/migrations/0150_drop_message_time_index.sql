-- A ticket's messages are read in seq order through ticket_messages_seq
-- (ticket_id, seq), whose ticket_id prefix also serves the foreign key;
-- nothing reads them by (ticket_id, created_at) any more. Every stored
-- message wrote an entry in this index as well, a page of the log each
-- under a chat's load.
DROP INDEX ticket_messages_ticket;
