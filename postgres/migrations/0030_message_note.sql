-- The language-free form of a note okcare writes on a ticket: a versioned
-- JSON key and arguments, so that the console shows it in the reader's
-- language. Empty for messages written by people and for older notes,
-- which keep showing their body.
ALTER TABLE ticket_messages ADD COLUMN note TEXT NOT NULL DEFAULT '';
