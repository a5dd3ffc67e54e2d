package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/notify"
)

// An SMS to a customer with an anti-phishing code starts with it, in the
// message's language; the gateway gets the id to drop repeats.
func TestWebhookSMSCarriesTheAntiPhishingCode(t *testing.T) {
	var got []map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		json.NewDecoder(r.Body).Decode(&m)
		m["key"] = r.Header.Get("Idempotency-Key")
		got = append(got, m)
	}))
	defer srv.Close()
	s := &notify.WebhookSender{URL: srv.URL, Client: srv.Client()}
	for _, n := range []*okcare.Notification{
		{ID: "ntf_1", To: "+8613800000001", Body: "【OK 钱包】您的账户已冻结。", AntiPhishingCode: "蓝鲸42"},
		{ID: "ntf_2", To: "+8613800000002", Body: "OK Wallet: your account is frozen."},
	} {
		if err := s.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0]["key"] != "ntf_1" || !strings.HasPrefix(got[0]["text"], "【防钓鱼码 蓝鲸42】【OK 钱包】") || got[1]["text"] != "OK Wallet: your account is frozen." {
		t.Fatalf("gateway got %v", got)
	}
}
