package riverjobs_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notify"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/riverjobs"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/storetest"
)

// flakySender fails its first failures sends, then records what it sends.
type flakySender struct {
	mu       sync.Mutex
	failures int
	sent     []*okcare.Notification
}

func (s *flakySender) Send(_ context.Context, n *okcare.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures > 0 {
		s.failures--
		return errors.New("relay unavailable")
	}
	s.sent = append(s.sent, n)
	return nil
}

func (s *flakySender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

func TestDeliveryJobs(t *testing.T) {
	for _, store := range storetest.Stores {
		t.Run(store.Name, func(t *testing.T) {
			ctx := context.Background()
			db := store.Open(t)
			db.PasswordParams = password.TestParams
			// River's tables are the owner's; the jobs run as the application role.
			storetest.AsOwner(t, db, func(owner *sql.DB) error { return riverjobs.Migrate(ctx, owner, db.Dialect().Name) })
			email, sms := &flakySender{failures: 1}, &flakySender{}
			runner, err := riverjobs.New(db.SQL(), db.Dialect().Name, riverjobs.Options{
				Store: db, Senders: map[string]notify.Sender{okcare.ChannelEmail: email, okcare.ChannelSMS: sms},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollInterval: 50 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			// The event happens before the workers start: the job waits in the
			// database, as it would across a restart.
			freezeWithAlerts(t, db, runner, "mei@example.com", "+8613700000000")
			if err := runner.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer runner.Stop(ctx)
			// Wait for the deliveries to be recorded, not just sent: the
			// worker records after the sender returns.
			deadline := time.Now().Add(20 * time.Second)
			for {
				out, _ := db.Outbox(ctx, 10)
				sent := 0
				for _, n := range out {
					if n.Status == okcare.NotificationSent {
						sent++
					}
				}
				if sent == 2 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("not delivered in time: email %d sms %d, %d recorded sent", email.count(), sms.count(), sent)
				}
				time.Sleep(50 * time.Millisecond)
			}
			out, _ := db.Outbox(ctx, 10)
			for _, n := range out {
				want := 1
				if n.Channel == okcare.ChannelEmail {
					want = 2 // one failure, then the retry
				}
				if n.Status != okcare.NotificationSent || n.Attempts != want || n.Event != okcare.EventAccountFrozen {
					t.Errorf("%s notification: %+v", n.Channel, n)
				}
			}
			if len(out) != 2 {
				t.Fatalf("outbox has %d notifications, want 2", len(out))
			}
		})
	}
}

func TestSLAWatchJob(t *testing.T) {
	for _, store := range storetest.Stores {
		t.Run(store.Name, func(t *testing.T) {
			ctx := context.Background()
			db := store.Open(t)
			// River's tables are the owner's; the jobs run as the application role.
			storetest.AsOwner(t, db, func(owner *sql.DB) error { return riverjobs.Migrate(ctx, owner, db.Dialect().Name) })
			due := time.Now().Add(-time.Minute) // already overdue
			tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "wen@example.com", Channel: okcare.ChannelMail, Lang: "en",
				Intake: okcare.Intake{Description: "help"}, FirstResponseDue: &due})
			if err != nil {
				t.Fatal(err)
			}
			runner, err := riverjobs.New(db.SQL(), db.Dialect().Name, riverjobs.Options{Store: db, Senders: map[string]notify.Sender{},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollInterval: 50 * time.Millisecond, SLA: db, SLAInterval: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := runner.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer runner.Stop(ctx)
			deadline := time.Now().Add(20 * time.Second)
			for {
				msgs, _ := db.TicketMessages(ctx, tk.ID, true)
				if len(msgs) == 2 && strings.HasPrefix(msgs[1].Body, "SLA breached") {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("no breach note from the SLA job: %d messages", len(msgs))
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}

// TestRescueMustOutlastTimeout: a rescue time no longer than the job
// timeout would run live jobs twice; it is refused.
func TestRescueMustOutlastTimeout(t *testing.T) {
	db := storetest.OpenSQLite(t)
	_, err := riverjobs.New(db.SQL(), "sqlite", riverjobs.Options{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		PollInterval: time.Second, JobTimeout: time.Minute, RescueAfter: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "must be longer than the job timeout") {
		t.Fatalf("rescue after = timeout: %v", err)
	}
}

// panickingSender crashes in the middle of every send, as a sender with a
// bug would; River then discards the job on its last attempt without the
// worker recording anything.
type panickingSender struct{ calls atomic.Int32 }

func (s *panickingSender) Send(context.Context, *okcare.Notification) error {
	s.calls.Add(1)
	panic("sender crashed mid-send")
}

// TestDiscardedDeliveryIsMarkedFailed: a delivery whose last attempt never
// returned (a panic here; a node killed mid-send, rescued with no attempts
// left, is the same for River) is discarded by the queue. The sweep marks
// its notification failed instead of leaving it pending forever.
func TestDiscardedDeliveryIsMarkedFailed(t *testing.T) {
	for _, store := range storetest.Stores {
		t.Run(store.Name, func(t *testing.T) {
			ctx := context.Background()
			db := store.Open(t)
			db.PasswordParams = password.TestParams
			storetest.AsOwner(t, db, func(owner *sql.DB) error { return riverjobs.Migrate(ctx, owner, db.Dialect().Name) })
			crashing := &panickingSender{}
			runner, err := riverjobs.New(db.SQL(), db.Dialect().Name, riverjobs.Options{
				Store: db, Senders: map[string]notify.Sender{okcare.ChannelEmail: crashing, okcare.ChannelSMS: crashing},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollInterval: 50 * time.Millisecond,
				MaxDeliveryAttempts: 1, SweepInterval: 200 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			freezeWithAlerts(t, db, runner, "lan@example.com", "")
			if err := runner.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer runner.Stop(ctx)
			deadline := time.Now().Add(20 * time.Second)
			for {
				out, err := db.Outbox(ctx, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(out) == 1 && out[0].Status == okcare.NotificationFailed {
					if !strings.Contains(out[0].LastError, "gave up") {
						t.Errorf("last error %q does not say the queue gave up", out[0].LastError)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("notification not marked failed after its job was discarded: %+v (sender called %d times)", out, crashing.calls.Load())
				}
				time.Sleep(50 * time.Millisecond)
			}
			if n := crashing.calls.Load(); n != 1 {
				t.Errorf("sender called %d times, want 1 (one attempt allowed)", n)
			}
		})
	}
}

// freezeWithAlerts queues deliveries through runner, then registers a user
// with the given contacts and freezes their account, which alerts each.
func freezeWithAlerts(t *testing.T, db *sqldb.DB, runner *riverjobs.Runner, email, phone string) {
	t.Helper()
	ctx := context.Background()
	db.DeliveryJobs = runner.QueueDelivery
	u, err := db.Register(ctx, okcare.RegisterRequest{Email: email, Phone: phone, Password: "blue-kettle-42"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeState(ctx, okcare.StateChangeRequest{UserID: u.ID, To: okcare.AccountFrozen, Reason: "security_review", Actor: "system"}); err != nil {
		t.Fatal(err)
	}
}
