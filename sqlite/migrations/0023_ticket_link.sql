-- How a ticket's account was proven: 'signed_in' (opened while signed in)
-- or 'verified_contact' (the customer read back a code sent to the
-- account's registered email or phone). '' while no account is linked.
ALTER TABLE tickets ADD COLUMN link_method TEXT NOT NULL DEFAULT '';
UPDATE tickets SET link_method = 'signed_in' WHERE user_id IS NOT NULL AND user_id <> '';
-- Codes sent for one ticket in the last hour are counted on every request.
CREATE INDEX verifications_ticket_created ON verifications(ticket_id, created_at);
