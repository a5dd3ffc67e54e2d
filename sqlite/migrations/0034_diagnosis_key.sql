-- An anonymous diagnosis is opened with a secret key its link carries, not
-- by its id alone: key_hash is the SHA-256 of that key (NULL for a
-- diagnosis made while signed in, which only its owner opens).
ALTER TABLE diagnoses ADD COLUMN key_hash TEXT;
