package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/slaclock"
)

// Holiday data: the shipped schedules (or the --holidays-file) are the
// base; the years admins import are stored in holiday_years/holiday_days
// and merged over it, a stored year replacing the base's. Every node
// holds the merge in a slaclock.Book that its calendars share: it reads
// the stored years at start (RefreshHolidays) and again periodically, and
// an import swaps the book of the node that made it at once.
//
// A year's data changes deadlines already set: the open tickets whose
// targets cross the year are retimed in the import's transaction, from
// the data before it to the data after it. A node that had not yet read
// the import may set targets on the old data in between; when it reads
// the new year it retimes the tickets created since the import whose
// targets are exactly what the old data gives.

// holidayState is a store's holiday data.
type holidayState struct {
	mu     sync.Mutex // one load or import at a time
	book   *slaclock.Book
	base   []slaclock.Schedule
	stored []slaclock.Schedule
	stamps map[int]int64 // year -> imported_at of the stored years in the book
	loaded bool
	// office is the default calendar (09:00-18:00) on book.
	office *slaclock.Calendar
}

func newHolidayState() *holidayState {
	base := slaclock.Shipped()
	h := &holidayState{book: slaclock.NewBook(slaclock.NewData(base...)), base: base, stamps: map[int]int64{}}
	office, err := slaclock.New(slaclock.Shanghai(), 9*time.Hour, 18*time.Hour, h.book)
	if err != nil {
		panic(err) // constant hours
	}
	h.office = office
	return h
}

// merged is the base with stored years over it.
func (h *holidayState) merged(stored []slaclock.Schedule) *slaclock.Data {
	return slaclock.NewData(append(append([]slaclock.Schedule(nil), h.base...), stored...)...)
}

// HolidayBook returns the book of holiday data the store keeps current:
// calendars made on it (slaclock.New) follow imports and refreshes.
func (db *DB) HolidayBook() *slaclock.Book { return db.holidays.book }

// SetHolidayBase replaces the shipped schedules as the base under the
// stored years (the --holidays-file).
func (db *DB) SetHolidayBase(base []slaclock.Schedule) {
	h := db.holidays
	h.mu.Lock()
	defer h.mu.Unlock()
	h.base = base
	h.book.Set(h.merged(h.stored))
}

// storedHolidays reads every stored year, in one statement (one snapshot).
func storedHolidays(ctx context.Context, q querier) ([]slaclock.Schedule, map[int]int64, error) {
	rows, err := q.query(ctx, `SELECT y.year, y.imported_at, d.day, d.kind, d.name FROM holiday_years y
		JOIN holiday_days d ON d.year = y.year ORDER BY y.year, d.day`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []slaclock.Schedule
	stamps := map[int]int64{}
	for rows.Next() {
		var year int
		var at int64
		var d slaclock.Day
		if err := rows.Scan(&year, &at, &d.Date, &d.Kind, &d.Name); err != nil {
			return nil, nil, err
		}
		if n := len(out); n == 0 || out[n-1].Year != year {
			out = append(out, slaclock.Schedule{Year: year})
			stamps[year] = at
		}
		out[len(out)-1].Days = append(out[len(out)-1].Days, d)
	}
	return out, stamps, rows.Err()
}

// RefreshHolidays reads the stored years and, if any changed since the
// last read, puts the new merge in the book and retimes the tickets this
// node may have set on the old data since the change (see above). It
// reports whether the data changed. serve runs it at start and every
// minute.
func (db *DB) RefreshHolidays(ctx context.Context) (bool, error) {
	h := db.holidays
	h.mu.Lock()
	defer h.mu.Unlock()
	stored, stamps, err := storedHolidays(ctx, db)
	if err != nil {
		return false, err
	}
	if h.loaded && sameStamps(stamps, h.stamps) {
		return false, nil
	}
	old, next := h.book.Data(), h.merged(stored)
	if h.loaded {
		for year, at := range stamps {
			if h.stamps[year] == at {
				continue
			}
			since := fromMicros(at)
			if err := db.inTx(ctx, func(tx *Tx) error {
				_, err := db.retime(ctx, tx, old, next, year, &since)
				return err
			}); err != nil {
				return false, err
			}
		}
	}
	h.book.Set(next)
	h.stored, h.stamps, h.loaded = stored, stamps, true
	return true, nil
}

func sameStamps(a, b map[int]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for y, at := range a {
		if b[y] != at {
			return false
		}
	}
	return true
}

// HolidayYears lists the imported years, oldest first.
func (db *DB) HolidayYears(ctx context.Context) ([]*okcare.HolidayYear, error) {
	rows, err := db.query(ctx, `SELECT y.year, y.text, y.imported_by, y.imported_at, y.source,
		(SELECT COUNT(*) FROM holiday_days d WHERE d.year = y.year AND d.kind = 'holiday'),
		(SELECT COUNT(*) FROM holiday_days d WHERE d.year = y.year AND d.kind = 'workday')
		FROM holiday_years y ORDER BY y.year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.HolidayYear{}
	for rows.Next() {
		var y okcare.HolidayYear
		var at int64
		if err := rows.Scan(&y.Year, &y.Text, &y.ImportedBy, &at, &y.Source, &y.Holidays, &y.Workdays); err != nil {
			return nil, err
		}
		y.ImportedAt = fromMicros(at)
		out = append(out, &y)
	}
	return out, rows.Err()
}

// maxScheduleText bounds an imported file: a year is a few dozen lines.
const maxScheduleText = 64 << 10

// invalidSchedule is the error of a schedule with problems: EINVALID,
// joined with the problems themselves for callers that list them.
func invalidSchedule(ps slaclock.Problems) error {
	msg := ps[0].String()
	if len(ps) > 1 {
		msg = fmt.Sprintf("%s (and %d more problems)", msg, len(ps)-1)
	}
	return errors.Join(okcare.Errorf(okcare.EINVALID, "The holiday schedule was not imported: %s", msg), ps)
}

// ImportHolidays checks one year's schedule and stores it in place of
// that year, retiming the open tickets whose targets cross the year and
// writing an audit entry, in one transaction; then puts the new data in
// this node's book.
func (db *DB) ImportHolidays(ctx context.Context, agentID, source, text string) (*okcare.HolidayImport, error) {
	if source != okcare.HolidaySourceConsole && source != okcare.HolidaySourceCLI {
		return nil, okcare.Errorf(okcare.EINVALID, "source must be console or cli.")
	}
	if len(text) > maxScheduleText {
		return nil, okcare.Errorf(okcare.EINVALID, "The schedule is too long: one year's notice is a few dozen lines.")
	}
	schedules, problems := slaclock.ParseSchedules(text)
	if len(problems) > 0 {
		return nil, invalidSchedule(problems)
	}
	if len(schedules) != 1 {
		return nil, okcare.Errorf(okcare.EINVALID, "Import one year at a time: the file has %d years.", len(schedules))
	}
	s := schedules[0]
	if problems := slaclock.Validate(s); len(problems) > 0 {
		return nil, invalidSchedule(problems)
	}
	h := db.holidays
	h.mu.Lock()
	defer h.mu.Unlock()
	res := &okcare.HolidayImport{Year: s.Year}
	res.Holidays, res.Workdays = s.Counts()
	var next *slaclock.Data
	var stored []slaclock.Schedule
	var stamps map[int]int64
	err := db.inTx(ctx, func(tx *Tx) error {
		var role string
		switch err := tx.queryRow(ctx, `SELECT role FROM agents WHERE id = ?`, agentID).Scan(&role); {
		case errors.Is(err, sql.ErrNoRows):
			return okcare.Errorf(okcare.ENOTFOUND, "No such staff member.")
		case err != nil:
			return err
		case okcare.AgentRole(role) != okcare.RoleAdmin:
			return okcare.Errorf(okcare.EFORBIDDEN, "Only an admin may import holidays.")
		}
		// The data every node computes with until this commits.
		before, beforeStamps, err := storedHolidays(ctx, tx)
		if err != nil {
			return err
		}
		_, res.Replaced = beforeStamps[s.Year]
		if _, err := tx.exec(ctx, `DELETE FROM holiday_days WHERE year = ?`, s.Year); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO holiday_years (year, text, imported_by, imported_at, source) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET text = excluded.text, imported_by = excluded.imported_by, imported_at = excluded.imported_at, source = excluded.source`,
			s.Year, text, "agent:"+agentID, micros(tx.now), source); err != nil {
			return err
		}
		for _, d := range s.Days {
			if _, err := tx.exec(ctx, `INSERT INTO holiday_days (year, day, kind, name) VALUES (?, ?, ?, ?)`, s.Year, d.Date, string(d.Kind), d.Name); err != nil {
				return err
			}
		}
		if stored, stamps, err = storedHolidays(ctx, tx); err != nil {
			return err
		}
		next = h.merged(stored)
		if res.Retimed, err = db.retime(ctx, tx, h.merged(before), next, s.Year, nil); err != nil {
			return err
		}
		return appendAudit(ctx, tx, "agent:"+agentID, "calendar.import", fmt.Sprintf("calendar:%d", s.Year), map[string]any{
			"year": s.Year, "holidays": res.Holidays, "workdays": res.Workdays, "source": source, "replaced": res.Replaced, "retimed": res.Retimed})
	})
	if err != nil {
		return nil, err
	}
	h.book.Set(next)
	h.stored, h.stamps, h.loaded = stored, stamps, true
	return res, nil
}

// retime moves the SLA targets of the open tickets whose targets cross
// year (from 29 December before it) from what old data gives to what new
// data gives. A first-response target moves only if it is exactly old's
// (not a callback window, say); a resolution target that is later than
// old's carries its paused business time over, as a priority change does.
// With since set (a node catching up), only tickets created since then
// are looked at, and only targets exactly old's move: retiming is then
// safe to repeat.
func (db *DB) retime(ctx context.Context, tx *Tx, old, next *slaclock.Data, year int, since *time.Time) (int, error) {
	loc := db.calendar().Location
	lo := time.Date(year-1, 12, 29, 0, 0, 0, 0, loc)
	hi := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	q := `SELECT id FROM tickets WHERE status NOT IN ('solved', 'closed') AND created_at < ?
		AND (resolution_due >= ? OR (first_responded_at IS NULL AND first_response_due >= ?))`
	args := []any{micros(hi), micros(lo), micros(lo)}
	if since != nil {
		q += ` AND created_at >= ?`
		args = append(args, micros(*since))
	}
	ids, err := txIDs(ctx, tx, q, args...)
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, id := range ids {
		t, err := lockTicket(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		cal := db.calendarFor(t.Channel)
		first, resolve := retimedTargets(t, db.policies().For(t.Channel, t.Priority), cal.WithData(old), cal.WithData(next), since == nil)
		if first == nil && resolve == nil {
			continue
		}
		moved++
		f, r := t.FirstResponseDue, t.ResolutionDue
		if first != nil {
			f = first
		}
		if resolve != nil {
			r = resolve
		}
		later := func(p *time.Time) bool { return p != nil && p.After(tx.now) }
		if _, err := tx.exec(ctx, `UPDATE tickets SET first_response_due = ?, resolution_due = ?, updated_at = ?,
			sla_warned_at = CASE WHEN ? THEN NULL ELSE sla_warned_at END,
			sla_breached_at = CASE WHEN ? THEN NULL ELSE sla_breached_at END,
			sla_resolution_warned_at = CASE WHEN ? THEN NULL ELSE sla_resolution_warned_at END,
			sla_resolution_breached_at = CASE WHEN ? THEN NULL ELSE sla_resolution_breached_at END WHERE id = ?`,
			nullMicros(f), nullMicros(r), micros(tx.now), later(first), later(first), later(resolve), later(resolve), t.ID); err != nil {
			return 0, err
		}
		for _, n := range []struct {
			key string
			due *time.Time
		}{{NoteSLARetimedFirst, first}, {NoteSLARetimedResolution, resolve}} {
			if n.due != nil {
				if err := addNote(ctx, tx, t.ID, n.key, map[string]string{"year": fmt.Sprint(year), "due": noteTime(*n.due)}); err != nil {
					return 0, err
				}
			}
		}
	}
	return moved, nil
}

// retimedTargets are a ticket's targets on the new calendar, nil where
// they stay: a target moves only when the old calendar gives exactly the
// stored one (for resolution, with paused allowed, its pauses added).
func retimedTargets(t *okcare.Ticket, pol slaclock.Policy, old, next *slaclock.Calendar, paused bool) (first, resolve *time.Time) {
	same := func(a time.Time, b *time.Time) bool { return b != nil && a.Truncate(time.Microsecond).Equal(*b) }
	if t.FirstRespondedAt == nil && t.FirstResponseDue != nil {
		if o := old.Due(pol.FirstResponse, t.CreatedAt); same(o, t.FirstResponseDue) {
			if n := next.Due(pol.FirstResponse, t.CreatedAt).Truncate(time.Microsecond); !n.Equal(*t.FirstResponseDue) {
				first = &n
			}
		}
	}
	if t.ResolutionDue != nil {
		o := old.Due(pol.Resolution, t.CreatedAt)
		var n time.Time
		switch {
		case same(o, t.ResolutionDue):
			n = next.Due(pol.Resolution, t.CreatedAt)
		case paused && t.ResolutionDue.After(o):
			n = next.Add(next.Due(pol.Resolution, t.CreatedAt), old.Between(o, *t.ResolutionDue))
		default:
			return first, nil
		}
		if n = n.Truncate(time.Microsecond); !n.Equal(*t.ResolutionDue) {
			resolve = &n
		}
	}
	return first, resolve
}

// txIDs is idList inside a transaction.
func txIDs(ctx context.Context, tx *Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
