package http_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// countingStore counts session lookups.
type countingStore struct {
	okhttp.Store
	lookups atomic.Int64
}

func (c *countingStore) Authenticate(ctx context.Context, tok string) (*okcare.Session, *okcare.User, error) {
	c.lookups.Add(1)
	return c.Store.Authenticate(ctx, tok)
}

// A ticket or callback opened through the API looks its bearer token up
// once, although both the contact limits and the handler need the user.
func TestContactRequestsLookTheTokenUpOnce(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ts := newTestServerOn(t, store)
			alice := ts.login(t, "alice@demo.okwallet.example")
			counter := &countingStore{Store: ts.srv.Store}
			ts.srv.Store = counter
			for _, c := range []struct {
				path string
				body map[string]any
			}{
				{"/api/v1/tickets", map[string]any{"lang": "zh-CN", "intake": map[string]any{"description": "还是打不开"}}},
				{"/api/v1/callbacks", map[string]any{"phone": "+8613800000010", "window": "morning", "lang": "zh-CN", "description": "打不开"}},
			} {
				before := counter.lookups.Load()
				status, body, _ := ts.call(t, "POST", c.path, alice, c.body)
				if status != 201 {
					t.Fatalf("%s: %d %v", c.path, status, body)
				}
				if n := counter.lookups.Load() - before; n != 1 {
					t.Errorf("%s: %d session lookups, want 1", c.path, n)
				}
			}
			// Both came with her account.
			u, _ := ts.db.FindUserByLogin(t.Context(), "alice@demo.okwallet.example")
			if list, err := ts.db.UserTickets(t.Context(), u.ID); err != nil || len(list) != 2 {
				t.Fatalf("alice's tickets: %d %v", len(list), err)
			}
			// A stale token is still no user, not an error, and counted once too.
			before := counter.lookups.Load()
			if status, body, _ := ts.call(t, "POST", "/api/v1/tickets", "okw_stale", map[string]any{"lang": "en", "contact_email": "x@example.org", "intake": map[string]any{"description": "cannot open"}}); status != 201 {
				t.Fatalf("stale token: %d %v", status, body)
			}
			if n := counter.lookups.Load() - before; n != 1 {
				t.Errorf("stale token: %d session lookups, want 1", n)
			}
		})
	}
}
