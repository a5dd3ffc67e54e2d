-- Resolution targets: the deadline (moved later by the business time a
-- ticket spends pending on the customer), when it was last solved, and when
-- the SLA watch reported the breach.
ALTER TABLE tickets ADD COLUMN resolution_due BIGINT;
ALTER TABLE tickets ADD COLUMN solved_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_resolution_breached_at BIGINT;
