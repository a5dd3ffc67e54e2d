-- Agent presence, capacity and language skills; ticket assignment.
ALTER TABLE agents ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline';
ALTER TABLE agents ADD COLUMN capacity INTEGER NOT NULL DEFAULT 10;
ALTER TABLE agents ADD COLUMN langs TEXT NOT NULL DEFAULT 'zh-CN,en';
ALTER TABLE agents ADD COLUMN last_assigned_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN assignee_id TEXT;
CREATE INDEX tickets_assignee ON tickets(assignee_id, status);
