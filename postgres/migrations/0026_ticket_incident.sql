-- The incident a ticket is about: set when it arrives during an open
-- incident (unless it is about the customer's own account), changed by
-- agents; when the incident is resolved its customers are told.
ALTER TABLE tickets ADD COLUMN incident_id TEXT REFERENCES incidents(id);
CREATE INDEX tickets_incident ON tickets(incident_id);
