// Package notify holds the senders that deliver security notifications, one
// per channel: SMTP email (package smtp), an SMS gateway webhook, and the
// demo sender. The riverjobs package runs them as durable background jobs.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notice"
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
	URL    string
	Client *http.Client
}

// Send posts {id, to, text} and expects a 2xx answer. The text starts
// with the customer's anti-phishing code when they set one.
func (s *WebhookSender) Send(ctx context.Context, n *okcare.Notification) error {
	text := strings.TrimPrefix(n.Subject+"\n"+n.Body, "\n")
	body, _ := json.Marshal(map[string]string{"id": n.ID, "to": n.To, "text": notice.WithAntiPhishing(n.AntiPhishingCode, n.Subject, text, true)})
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
