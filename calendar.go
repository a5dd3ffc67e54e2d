package okcare

import (
	"context"
	"time"
)

// Where a holiday schedule was imported from.
const (
	HolidaySourceConsole = "console"
	HolidaySourceCLI     = "cli"
)

// HolidayYear is a year's holiday schedule (the State Council's notice for
// that year) as an admin imported it. Imported years are merged over the
// shipped ones, replacing a shipped year of the same number.
type HolidayYear struct {
	Year int `json:"year"`
	// Text is the schedule in the file format (slaclock.ParseSchedules).
	Text       string    `json:"text,omitempty"`
	Holidays   int       `json:"holidays"`
	Workdays   int       `json:"workdays"`
	ImportedBy string    `json:"imported_by"` // "agent:<id>"
	ImportedAt time.Time `json:"imported_at"`
	Source     string    `json:"source"`
}

// HolidayImport is what importing a year did.
type HolidayImport struct {
	Year     int `json:"year"`
	Holidays int `json:"holidays"`
	Workdays int `json:"workdays"`
	// Replaced is set when the year had been imported before.
	Replaced bool `json:"replaced"`
	// Retimed counts the open tickets whose SLA targets moved because
	// they had been computed without (or with other) data for the year.
	Retimed int `json:"retimed"`
}

// CalendarService keeps the holiday schedules admins import.
type CalendarService interface {
	// HolidayYears lists the imported years, oldest first.
	HolidayYears(ctx context.Context) ([]*HolidayYear, error)

	// ImportHolidays checks one year's schedule (text in the schedule file
	// format) and stores it, replacing that year, with an audit entry
	// naming the admin and the year; the open tickets whose targets cross
	// the year are retimed in the same transaction. Returns EINVALID
	// (joined with the slaclock.Problems found), ENOTFOUND (no such staff
	// member), EFORBIDDEN (not an admin).
	ImportHolidays(ctx context.Context, agentID, source, text string) (*HolidayImport, error)
}
