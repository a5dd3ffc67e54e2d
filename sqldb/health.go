package sqldb

import (
	"context"
	"time"
)

// heartbeatsKept is how long a stopped node's heartbeat row stays.
const heartbeatsKept = 24 * time.Hour

// Heartbeat records that node is alive, in a durable write transaction of
// its own: /readyz calls it to prove the database takes writes, not only
// reads. Rows of nodes gone for a day are removed in passing.
func (db *DB) Heartbeat(ctx context.Context, node string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		now := micros(tx.now)
		if _, err := tx.exec(ctx, `INSERT INTO node_heartbeats (node, seen_at) VALUES (?, ?)
			ON CONFLICT (node) DO UPDATE SET seen_at = excluded.seen_at`, node, now); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM node_heartbeats WHERE seen_at < ?`, now-heartbeatsKept.Microseconds())
		return err
	})
}
