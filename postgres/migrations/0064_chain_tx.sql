-- The on-chain transaction hash of a deposit that came from a chain, for
-- staff looking a customer's transaction up by it; '' for movements
-- inside OK Wallet.
ALTER TABLE movements ADD COLUMN chain_tx TEXT NOT NULL DEFAULT '';
CREATE INDEX movements_chain_tx ON movements(chain_tx) WHERE chain_tx <> '';
