package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/okcare/okcare/reports"
)

// ReportFacts returns the facts of the tickets opened since a time and the
// survey answers given since then, for reports.Build.
func (db *DB) ReportFacts(ctx context.Context, since time.Time) ([]reports.TicketFacts, []reports.Rating, error) {
	rows, err := db.query(ctx, `SELECT channel, category, status, created_at, first_response_due, first_responded_at, resolution_due, pending_since, solved_at
		FROM tickets WHERE created_at >= ?`, micros(since))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	facts := []reports.TicketFacts{}
	for rows.Next() {
		var f reports.TicketFacts
		var created int64
		var due, responded, resolve, paused, solved sql.NullInt64
		if err := rows.Scan(&f.Channel, &f.Category, &f.Status, &created, &due, &responded, &resolve, &paused, &solved); err != nil {
			return nil, nil, err
		}
		f.CreatedAt = fromMicros(created)
		f.FirstResponseDue, f.FirstRespondedAt, f.ResolutionDue = fromNullMicros(due), fromNullMicros(responded), fromNullMicros(resolve)
		f.PausedSince, f.SolvedAt = fromNullMicros(paused), fromNullMicros(solved)
		facts = append(facts, f)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rrows, err := db.query(ctx, `SELECT answered_at, rating FROM csat WHERE answered_at IS NOT NULL AND answered_at >= ?`, micros(since))
	if err != nil {
		return nil, nil, err
	}
	defer rrows.Close()
	ratings := []reports.Rating{}
	for rrows.Next() {
		var at int64
		var r reports.Rating
		if err := rrows.Scan(&at, &r.Score); err != nil {
			return nil, nil, err
		}
		r.At = fromMicros(at)
		ratings = append(ratings, r)
	}
	return facts, ratings, rrows.Err()
}
