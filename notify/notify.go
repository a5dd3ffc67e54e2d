// Package notify delivers the durable outbox of security notifications: a
// worker leases due notifications from the store and hands each to the
// sender of its channel, recording success or scheduling a retry with
// backoff. A crash mid-send leaves the lease to expire and the message to be
// retried, so nothing is lost (a message may, rarely, go out twice).
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/okcare/okcare"
)

// Sender delivers one notification.
type Sender interface {
	Send(ctx context.Context, n *okcare.Notification) error
}

// Worker drains the outbox.
type Worker struct {
	Store   okcare.NotificationService
	Senders map[string]Sender // by channel
	Logger  *slog.Logger
	// Interval between polls, Lease per claimed batch, MaxAttempts before giving up.
	Interval    time.Duration
	Lease       time.Duration
	MaxAttempts int
	Now         func() time.Time
}

// Run polls until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.Logger.Error("notification outbox", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain sends what is due now and returns how many were sent.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	due, err := w.Store.ClaimDue(ctx, 50, w.Lease)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, n := range due {
		sender, ok := w.Senders[n.Channel]
		if !ok {
			err = fmt.Errorf("no sender for channel %q", n.Channel)
		} else {
			err = sender.Send(ctx, n)
		}
		if err == nil {
			sent++
			if err := w.Store.MarkSent(ctx, n.ID); err != nil {
				return sent, err
			}
			continue
		}
		// Log the id and the error, never the recipient's message body.
		w.Logger.Warn("notification not delivered", "id", n.ID, "channel", n.Channel, "attempt", n.Attempts+1, "error", err)
		backoff := time.Duration(1<<min(n.Attempts, 10)) * 30 * time.Second
		if err := w.Store.MarkFailed(ctx, n.ID, err.Error(), w.Now().Add(backoff), w.MaxAttempts); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// DemoSender delivers nothing outside: in --demo the outbox itself, which an
// admin reads at GET /api/v1/admin/outbox, is the inbox.
type DemoSender struct{}

// Send accepts the notification.
func (DemoSender) Send(context.Context, *okcare.Notification) error { return nil }

// WebhookSender posts SMS notifications as JSON to an HTTP gateway.
type WebhookSender struct {
	URL    string
	Client *http.Client
}

// Send posts {id, to, text} and expects a 2xx answer.
func (s *WebhookSender) Send(ctx context.Context, n *okcare.Notification) error {
	body, _ := json.Marshal(map[string]string{"id": n.ID, "to": n.To, "text": n.Subject + "\n" + n.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", n.ID) // lets the gateway drop a repeat
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}
