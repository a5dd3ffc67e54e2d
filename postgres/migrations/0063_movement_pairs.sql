-- Whether a sender has paid a recipient before (a payment to a new
-- recipient alerts the sender) is one index lookup.
CREATE INDEX movements_pair ON movements(from_user_id, to_user_id, to_merchant_id);
