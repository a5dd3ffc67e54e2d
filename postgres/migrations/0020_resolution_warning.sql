-- When the SLA watch warned that a ticket's resolution target is near.
ALTER TABLE tickets ADD COLUMN sla_resolution_warned_at BIGINT;
