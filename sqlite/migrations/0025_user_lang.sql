-- The language a customer reads okcare's mail and SMS in: chosen at
-- registration, then the last one they used on the help center.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh-CN';
