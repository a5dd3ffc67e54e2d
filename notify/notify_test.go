package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notify"
)

// TestWebhookDeadlineAndIdempotencyKey: a gateway that takes the post and
// never answers fails the send by its deadline, even with a client that
// has no timeout of its own; the retry carries the same Idempotency-Key,
// so a gateway that honours it sends one SMS.
func TestWebhookDeadlineAndIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	hang := make(chan struct{})
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		first := len(keys) == 1
		mu.Unlock()
		if first {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer gw.Close()
	defer close(hang)

	s := &notify.WebhookSender{URL: gw.URL, Client: &http.Client{}, Timeout: 300 * time.Millisecond}
	n := &okcare.Notification{ID: "ntf_sms1", Channel: okcare.ChannelSMS, To: "+8613700000000", Subject: "OK Wallet", Body: "New sign-in."}
	start := time.Now()
	err := s.Send(context.Background(), n)
	if took := time.Since(start); err == nil || took < 300*time.Millisecond || took > 1300*time.Millisecond {
		t.Fatalf("hanging gateway: %v after %s, want an error after about 300ms", err, took)
	}
	if err := s.Send(context.Background(), n); err != nil {
		t.Fatalf("retry: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 2 || keys[0] != "ntf_sms1" || keys[1] != keys[0] {
		t.Fatalf("Idempotency-Keys %q, want the notification id twice", keys)
	}
}
