-- postings_entry was never read: postings are listed by account and
-- sequence, and journal entries are never deleted. Each posting paid for
-- it with an index insert.
DROP INDEX postings_entry;
