package riverjobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/okcare/okcare"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// DeliverySweepArgs is the periodic job that closes the books on deliveries
// the queue gave up on behind the worker's back. The worker marks a
// notification failed when its last attempt returns an error, but River
// also discards a job whose last attempt never returned: the node was
// killed mid-send and the rescuer found no attempts left, or the sender
// panicked. Such a notification would stay pending forever, shown to
// agents as "on its way".
type DeliverySweepArgs struct{}

// Kind names the job in River's tables.
func (DeliverySweepArgs) Kind() string { return "delivery_sweep" }

// InsertOpts runs the sweep in its own queue, one at a time.
func (DeliverySweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "sweep", MaxAttempts: 3}
}

// sweepLookBack is how far back a sweep looks for finished delivery jobs
// on its first pass; later passes start a little before the newest job
// the previous one saw, so a job finalized during a pass is not missed.
const (
	sweepLookBack = 24 * time.Hour
	sweepOverlap  = 5 * time.Minute
	sweepPage     = 200
)

type sweepWorker struct {
	river.WorkerDefaults[DeliverySweepArgs]
	store  okcare.NotificationService
	client *river.Client[*sql.Tx]
	logger *slog.Logger
	since  time.Time // only the leader runs periodic jobs; a new leader looks back a day
}

// Work marks failed every notification still pending whose delivery job
// River discarded or cancelled.
func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[DeliverySweepArgs]) error {
	since := w.since
	if since.IsZero() {
		since = time.Now().Add(-sweepLookBack)
	}
	newest := since
	params := river.NewJobListParams().Kinds(DeliverArgs{}.Kind()).
		States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).First(sweepPage)
	closed := 0
	for {
		page, err := w.client.JobList(ctx, params)
		if err != nil {
			return err
		}
		done := len(page.Jobs) < sweepPage
		for _, j := range page.Jobs {
			if j.FinalizedAt == nil || j.FinalizedAt.Before(since) {
				done = true
				break
			}
			if j.FinalizedAt.After(newest) {
				newest = *j.FinalizedAt
			}
			n, err := closeAbandoned(ctx, w.store, j)
			if err != nil {
				return err
			}
			closed += n
		}
		if done {
			break
		}
		params = params.After(river.JobListCursorFromJob(page.Jobs[len(page.Jobs)-1]))
	}
	w.since = newest.Add(-sweepOverlap)
	if closed > 0 {
		w.logger.Warn("notifications given up by the job queue marked failed", "count", closed)
	}
	return nil
}

// closeAbandoned marks the notification of a finished delivery job failed
// if it is still pending, and reports whether it did.
func closeAbandoned(ctx context.Context, store okcare.NotificationService, j *rivertype.JobRow) (int, error) {
	var args DeliverArgs
	if err := json.Unmarshal(j.EncodedArgs, &args); err != nil || args.NotificationID == "" {
		return 0, nil // not ours to read; nothing to close
	}
	n, err := store.Notification(ctx, args.NotificationID)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if n.Status != okcare.NotificationPending {
		return 0, nil
	}
	cause := "the job queue gave up on this delivery: its last attempt did not finish"
	if j.State == rivertype.JobStateCancelled {
		cause = "the delivery job was cancelled"
	}
	if err := store.MarkFailed(ctx, n.ID, cause, true); err != nil {
		return 0, err
	}
	return 1, nil
}
