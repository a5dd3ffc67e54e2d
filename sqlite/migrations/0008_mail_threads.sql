-- Outgoing mail about a ticket carries its id (in the Message-ID, so that
-- replies thread back) and the message it answers.
ALTER TABLE notifications ADD COLUMN ticket_id TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
