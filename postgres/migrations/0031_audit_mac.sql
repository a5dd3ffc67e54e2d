-- Each audit entry is signed with a key the database does not hold (from
-- the secret key file): anyone who can write the database can recompute
-- the hash chain, but not these signatures. Entries written before this
-- migration keep ''.
ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT '';
