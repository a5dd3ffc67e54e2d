-- Bodies that carried a one-time secret (identity codes, reset links,
-- private ticket links) are now sealed while queued and removed once sent
-- or given up; remove those already finished before this change.
UPDATE notifications SET body = '[removed after delivery: it carried a one-time secret]'
WHERE status IN ('sent', 'failed') AND event IN ('identity_verification_code', 'password_reset_link', 'ticket_ack');
