-- Holiday schedules admins import, a year at a time (the State Council's
-- notice for that year), merged over the ones okcare ships. A year is
-- replaced whole; its days are the calendar's data, its text is the file
-- as the admin gave it.
CREATE TABLE holiday_years (
	year        INTEGER PRIMARY KEY,
	text        TEXT NOT NULL,
	imported_by TEXT NOT NULL,
	imported_at BIGINT NOT NULL,
	source      TEXT NOT NULL
);

CREATE TABLE holiday_days (
	year INTEGER NOT NULL REFERENCES holiday_years(year),
	day  TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL,
	PRIMARY KEY (year, day)
);
