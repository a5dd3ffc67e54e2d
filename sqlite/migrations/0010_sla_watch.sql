-- When the SLA watch warned about, and reported the breach of, a ticket's
-- first-response target (each once).
ALTER TABLE tickets ADD COLUMN sla_warned_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_breached_at BIGINT;
