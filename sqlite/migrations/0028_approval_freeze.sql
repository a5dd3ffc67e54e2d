-- An unfreeze request answers one freeze and expires: approving it after
-- the account was frozen again (a newer finding, say confirmed fraud) or a
-- day later is refused. Older requests keep NULLs and are treated as
-- expired.
ALTER TABLE approvals ADD COLUMN freeze_id BIGINT;
ALTER TABLE approvals ADD COLUMN expires_at BIGINT;
