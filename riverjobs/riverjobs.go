// Package riverjobs runs okcare's durable background jobs on River, on
// either store: riversqlite for the embedded SQLite database and
// riverdatabasesql for PostgreSQL, both through the same *sql.Tx so that a
// job is inserted in the transaction of the change that calls for it.
//
// Today's job is the delivery of security notifications: each outbox row
// gets a job; the job sends it through its channel's sender, and River
// retries failures with backoff until MaxAttempts, surviving restarts.
package riverjobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notify"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// MaxDeliveryAttempts is how often a notification is tried before it is
// marked failed.
const MaxDeliveryAttempts = 8

// DeliverArgs is the job that delivers one notification.
type DeliverArgs struct {
	NotificationID string `json:"notification_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "deliver_notification" }

// InsertOpts gives delivery jobs their own queue and attempt limit.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "notifications", MaxAttempts: MaxDeliveryAttempts}
}

// driver picks River's driver for the store.
func driver(db *sql.DB, dialect string) riverdriver.Driver[*sql.Tx] {
	if dialect == "sqlite" {
		return riversqlite.New(db)
	}
	return riverdatabasesql.New(db)
}

// Migrate applies River's own migrations to the store's database.
func Migrate(ctx context.Context, db *sql.DB, dialect string) error {
	m, err := rivermigrate.New(driver(db, dialect), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// Runner is the River client with okcare's workers.
type Runner struct {
	client      *river.Client[*sql.Tx]
	db          *sql.DB
	rescueAfter time.Duration
	maxAttempts int
}

// SLAScanner finds tickets near or past their targets and tickets left
// pending on the customer, and hands waiting tickets to agents.
type SLAScanner interface {
	SLAScan(ctx context.Context, now time.Time, warnWithin time.Duration) (warned, breached int, err error)
	PendingScan(ctx context.Context, now time.Time, warnAfter, solveAfter time.Duration) (warned, solved int, err error)
	AssignWaiting(ctx context.Context) (int, error)
	SendDueFollowUps(ctx context.Context, now time.Time) (int, error)
}

// Pending tickets get a reminder after PendingWarnAfter and are solved
// after PendingSolveAfter without an answer.
const (
	PendingWarnAfter  = 5 * 24 * time.Hour
	PendingSolveAfter = 7 * 24 * time.Hour
)

// Options configure a Runner.
type Options struct {
	Store   okcare.NotificationService
	Senders map[string]notify.Sender // by channel
	Logger  *slog.Logger
	// PollInterval is how often idle workers look for new jobs.
	PollInterval time.Duration
	// SLA, if set, is scanned every SLAInterval (default a minute) by a
	// periodic job, warning an hour before a target.
	SLA         SLAScanner
	SLAInterval time.Duration
	// JobTimeout cancels a job's context after this long (zero:
	// DefaultJobTimeout). RescueAfter is how long a job may stay running
	// before another node (or this one, restarted) takes it for the work
	// of a dead process and runs it again (zero: DefaultRescueAfter); it
	// must be longer than JobTimeout, or live jobs would be run twice.
	JobTimeout  time.Duration
	RescueAfter time.Duration
	// MaxDeliveryAttempts is how often a notification is tried (zero:
	// MaxDeliveryAttempts).
	MaxDeliveryAttempts int
	// SweepInterval is how often the books are closed on deliveries the
	// queue gave up on without the worker recording it (zero: a minute).
	SweepInterval time.Duration
}

// River's own default rescues a job only after an hour: a node killed in
// the middle of a delivery left the alert pending for 61 minutes. A
// delivery is bounded by its sender's deadline well inside JobTimeout, so
// a job still running at RescueAfter belongs to a dead process.
const (
	DefaultJobTimeout  = time.Minute
	DefaultRescueAfter = 2 * time.Minute
)

// SLAWatchArgs is the periodic SLA scan.
type SLAWatchArgs struct{}

// Kind names the job in River's tables.
func (SLAWatchArgs) Kind() string { return "sla_watch" }

// InsertOpts puts the scan in its own queue, one at a time.
func (SLAWatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "sla", MaxAttempts: 3}
}

type slaWorker struct {
	river.WorkerDefaults[SLAWatchArgs]
	sla    SLAScanner
	logger *slog.Logger
}

// Work scans once: targets, pending tickets, unassigned ones, then due
// follow-ups.
func (w *slaWorker) Work(ctx context.Context, job *river.Job[SLAWatchArgs]) error {
	warned, breached, err := w.sla.SLAScan(ctx, time.Now(), time.Hour)
	if warned+breached > 0 {
		w.logger.Info("sla watch", "warned", warned, "breached", breached)
	}
	if err != nil {
		return err
	}
	reminded, solved, err := w.sla.PendingScan(ctx, time.Now(), PendingWarnAfter, PendingSolveAfter)
	if reminded+solved > 0 {
		w.logger.Info("pending watch", "reminded", reminded, "solved", solved)
	}
	if err != nil {
		return err
	}
	assigned, err := w.sla.AssignWaiting(ctx)
	if assigned > 0 {
		w.logger.Info("assigned waiting tickets", "count", assigned)
	}
	if err != nil {
		return err
	}
	followed, err := w.sla.SendDueFollowUps(ctx, time.Now())
	if followed > 0 {
		w.logger.Info("follow-ups sent", "count", followed)
	}
	return err
}

// New builds a Runner on db (already migrated). Call Start to work jobs.
func New(db *sql.DB, dialect string, opts Options) (*Runner, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverWorker{store: opts.Store, senders: opts.Senders, logger: opts.Logger})
	queues := map[string]river.QueueConfig{"notifications": {MaxWorkers: 4}, "sweep": {MaxWorkers: 1}}
	sweeper := &sweepWorker{store: opts.Store, logger: opts.Logger}
	river.AddWorker(workers, sweeper)
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(opts.SweepInterval, time.Minute)),
		func() (river.JobArgs, *river.InsertOpts) { return DeliverySweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
	if opts.SLA != nil {
		river.AddWorker(workers, &slaWorker{sla: opts.SLA, logger: opts.Logger})
		queues["sla"] = river.QueueConfig{MaxWorkers: 1}
		every := opts.SLAInterval
		if every == 0 {
			every = time.Minute
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return SLAWatchArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	timeout, rescue := cmp.Or(opts.JobTimeout, DefaultJobTimeout), cmp.Or(opts.RescueAfter, DefaultRescueAfter)
	if rescue <= timeout {
		return nil, fmt.Errorf("jobs are rescued after %s, which must be longer than the job timeout %s", rescue, timeout)
	}
	// River rebuilds its job indexes every night; only their owner may.
	// A server running as an application role (okcare migrate granted it
	// only data privileges) leaves that to the owner.
	var reindex []string
	if dialect != "sqlite" {
		var owner bool
		if err := db.QueryRow(`SELECT COALESCE((SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass('river_job')), false)`).Scan(&owner); err != nil {
			return nil, err
		}
		if !owner {
			reindex = []string{}
		}
	}
	client, err := river.NewClient(driver(db, dialect), &river.Config{
		ReindexerIndexNames:  reindex,
		Logger:               opts.Logger.With("component", "river"),
		Queues:               queues,
		PeriodicJobs:         periodic,
		Workers:              workers,
		FetchPollInterval:    opts.PollInterval,
		FetchCooldown:        min(opts.PollInterval, 100*time.Millisecond),
		JobTimeout:           timeout,
		RescueStuckJobsAfter: rescue,
		// SQLite and PostgreSQL through database/sql have no LISTEN: poll.
		PollOnly: true,
	})
	if err != nil {
		return nil, err
	}
	sweeper.client = client
	return &Runner{client: client, db: db, rescueAfter: rescue, maxAttempts: cmp.Or(opts.MaxDeliveryAttempts, MaxDeliveryAttempts)}, nil
}

// QueueDelivery inserts the delivery job of a notification in tx. It has
// the signature of sqldb.DB.DeliveryJobs.
func (r *Runner) QueueDelivery(ctx context.Context, tx *sql.Tx, notificationID string) error {
	_, err := r.client.InsertTx(ctx, tx, DeliverArgs{NotificationID: notificationID},
		&river.InsertOpts{Queue: "notifications", MaxAttempts: r.maxAttempts})
	return err
}

// Start begins working jobs in the background.
func (r *Runner) Start(ctx context.Context) error { return r.client.Start(ctx) }

// Stop waits for running jobs to finish, up to ctx's deadline.
func (r *Runner) Stop(ctx context.Context) error { return r.client.Stop(ctx) }

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	store   okcare.NotificationService
	senders map[string]notify.Sender
	logger  *slog.Logger
}

// Work sends one notification. A notification already sent is not sent
// again, so a job retried after a crash between send and record repeats at
// most that one message.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	n, err := w.store.Notification(ctx, job.Args.NotificationID)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		return river.JobCancel(err)
	} else if err != nil {
		return err
	}
	if n.Status == okcare.NotificationSent {
		return nil
	}
	sender, ok := w.senders[n.Channel]
	if !ok {
		err = fmt.Errorf("no sender configured for channel %q", n.Channel)
	} else {
		err = sender.Send(ctx, n)
	}
	if err != nil {
		giveUp := job.Attempt >= job.MaxAttempts
		// Log ids and the error, never the message or its recipient.
		w.logger.Warn("notification not delivered", "id", n.ID, "channel", n.Channel, "attempt", job.Attempt, "give_up", giveUp, "error", err)
		if markErr := w.store.MarkFailed(ctx, n.ID, err.Error(), giveUp); markErr != nil {
			return errors.Join(err, markErr)
		}
		return err
	}
	return w.store.MarkSent(ctx, n.ID)
}

// QueueHealth is the job queue as /readyz reports it.
type QueueHealth struct {
	// Jobs counts the jobs kept, by River state (available, running,
	// retryable, scheduled, completed, discarded...).
	Jobs map[string]int `json:"jobs"`
	// Stuck are running jobs older than RescueAfter: their process died
	// and the leader's next rescue pass will run them again.
	Stuck int `json:"stuck"`
	// OldestWaiting is how long the oldest job due to run has waited, in
	// seconds: a growing figure means nobody is working the queue.
	OldestWaiting float64 `json:"oldest_waiting_s"`
}

// Health reads the queue's state.
func (r *Runner) Health(ctx context.Context) (*QueueHealth, error) {
	h := &QueueHealth{Jobs: map[string]int{}}
	rows, err := r.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		h.Jobs[state] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if h.Jobs[string(rivertype.JobStateRunning)] > 0 {
		running, err := r.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).First(1000))
		if err != nil {
			return nil, err
		}
		for _, j := range running.Jobs {
			if j.AttemptedAt != nil && time.Since(*j.AttemptedAt) > r.rescueAfter {
				h.Stuck++
			}
		}
	}
	if h.Jobs[string(rivertype.JobStateAvailable)] > 0 {
		oldest, err := r.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateAvailable).
			OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1))
		if err != nil {
			return nil, err
		}
		if len(oldest.Jobs) == 1 {
			h.OldestWaiting = max(0, time.Since(oldest.Jobs[0].ScheduledAt).Seconds())
		}
	}
	return h, nil
}
