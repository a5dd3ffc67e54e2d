-- First-response target (computed on the business calendar at creation)
-- and when staff first answered publicly.
ALTER TABLE tickets ADD COLUMN first_response_due BIGINT;
ALTER TABLE tickets ADD COLUMN first_responded_at BIGINT;
