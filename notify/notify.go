// Package notify holds the senders that deliver security notifications, one
// per channel: SMTP email (package smtp), an SMS gateway webhook, and the
// demo sender. The riverjobs package runs them as durable background jobs.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/okcare/okcare"
)

// Sender delivers one notification.
type Sender interface {
	Send(ctx context.Context, n *okcare.Notification) error
}

// DemoSender delivers nothing outside: in --demo the outbox itself, which an
// admin reads at GET /api/v1/admin/outbox, is the inbox.
type DemoSender struct{}

// Send accepts the notification.
func (DemoSender) Send(context.Context, *okcare.Notification) error { return nil }

// WebhookSender posts SMS notifications as JSON to an HTTP gateway.
type WebhookSender struct {
	URL string
	// Client makes the request (nil: http.DefaultClient); Timeout bounds
	// the whole request, answer included (zero: DefaultWebhookTimeout),
	// whatever the client's own settings.
	Client  *http.Client
	Timeout time.Duration
}

// DefaultWebhookTimeout is how long one post to the SMS gateway may take.
const DefaultWebhookTimeout = 10 * time.Second

// Send posts {id, to, text} and expects a 2xx answer, within Timeout and
// ctx's deadline. The Idempotency-Key header is the notification's id, the
// same on every retry, so a gateway that honours it sends the SMS once
// even when okcare died before recording the first post.
func (s *WebhookSender) Send(ctx context.Context, n *okcare.Notification) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body, _ := json.Marshal(map[string]string{"id": n.ID, "to": n.To, "text": n.Subject + "\n" + n.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", n.ID)
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}
