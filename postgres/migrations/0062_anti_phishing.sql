-- The customer's anti-phishing code, shown at the top of every genuine
-- mail and SMS okcare sends them; sealed like TOTP seeds (bound to the
-- user), '' when none is set.
ALTER TABLE users ADD COLUMN anti_phishing TEXT NOT NULL DEFAULT '';
