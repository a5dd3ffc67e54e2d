package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/storetest"
)

// searchSlugs asks a node's search API and returns the slugs found.
func searchSlugs(t *testing.T, base, lang, q string) []string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/kb/search?lang=" + lang + "&q=" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Results []struct{ Slug string } }
	json.NewDecoder(resp.Body).Decode(&body)
	var out []string
	for _, r := range body.Results {
		out = append(out, r.Slug)
	}
	return out
}

// staffCall sends an authenticated JSON request and returns the decoded
// answer, failing unless the status is want.
func staffCall(t *testing.T, method, url, token, body string, want int) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %v, want %d", method, url, resp.StatusCode, out, want)
	}
	return out
}

// TestHelpCenterAcrossNodes: two nodes on one PostgreSQL database, each
// with its own search index. An article an admin publishes on node A,
// new or a new version, is found by search on node B within seconds;
// one published while B is down is found as soon as B has started. (The
// bleve index was per node: B never found A's articles, not even after a
// restart.)
func TestHelpCenterAcrossNodes(t *testing.T) {
	dsn := storetest.PostgresSchemaDSN(t)
	t.Setenv("OKCARE_SECRET_KEY", secretbox.NewKey())
	const every = time.Second
	a, out, _ := startMain(t, "--demo", "--db", dsn, "--data-dir", dataDir(t), "--kb-sync-interval", every.String())
	defer a.Close()
	bDir := dataDir(t)
	b, _, _ := startMain(t, "--db", dsn, "--data-dir", bDir, "--kb-sync-interval", every.String())
	baseA, baseB := "http://"+a.Listener.Addr().String(), "http://"+b.Listener.Addr().String()

	creds := regexp.MustCompile(`admin agent: (\S+)  password: (\S+)`).FindStringSubmatch(out.String())
	code := storetest.EnrolStaff(t, a.DB, creds[1])[0]
	login := staffCall(t, "POST", baseA+"/api/v1/agent/sessions", "", fmt.Sprintf(`{"email":%q,"password":%q,"totp_code":%q}`, creds[1], creds[2], code), 201)
	token := login["token"].(string)
	publish := func(slug, lang, title, body string) {
		t.Helper()
		path := baseA + "/api/v1/admin/kb/articles/" + slug + "/" + lang
		saved := staffCall(t, "PUT", path, token, fmt.Sprintf(`{"title":%q,"body":%q}`, title, body), 201)
		staffCall(t, "POST", path+"/publish", token, fmt.Sprintf(`{"version":%v}`, saved["version"]), 200)
	}
	found := func(base, lang, q, slug string) bool {
		for _, s := range searchSlugs(t, base, lang, q) {
			if s == slug {
				return true
			}
		}
		return false
	}
	within := func(what string, cond func() bool) time.Duration {
		t.Helper()
		start := time.Now()
		waitFor(t, 3*every+2*time.Second, what, cond)
		return time.Since(start)
	}

	// A new article.
	publish("offline-mode", "en", "Offline mode", "A zebrafinch on the screen means the app has no network.")
	if !found(baseA, "en", "zebrafinch", "offline-mode") {
		t.Fatal("node A does not find the article it published")
	}
	took := within("node B finds the new article", func() bool { return found(baseB, "en", "zebrafinch", "offline-mode") })
	t.Logf("node B found the new article %s after it was published on A", took.Round(10*time.Millisecond))
	// A new version of a shipped article, in Chinese.
	publish("account-frozen", "zh-CN", "账户被冻结", "账户被冻结时，请联系客服。袋熊提示。")
	took = within("node B finds the new version", func() bool { return found(baseB, "zh-CN", "袋熊", "account-frozen") })
	t.Logf("node B found the new version %s after it was published on A", took.Round(10*time.Millisecond))

	// Published while B is down: found as soon as B is back.
	b.Close()
	publish("offline-mode", "en", "Offline mode", "A numbat on the screen means the app has no network.")
	b, _, _ = startMain(t, "--db", dsn, "--data-dir", bDir, "--kb-sync-interval", time.Hour.String())
	defer b.Close()
	baseB = "http://" + b.Listener.Addr().String()
	if !found(baseB, "en", "numbat", "offline-mode") || found(baseB, "en", "zebrafinch", "offline-mode") {
		t.Fatalf("after its restart node B finds %v for numbat and %v for zebrafinch", searchSlugs(t, baseB, "en", "numbat"), searchSlugs(t, baseB, "en", "zebrafinch"))
	}
}

// BenchmarkHelpCenterSync is what following the store costs each node
// every --kb-sync-interval when nothing changed: one read of the
// published (slug, language, version) list of the 44 shipped articles and
// the comparison with the index.
//
//	go test -run '^$' -bench HelpCenterSync ./cmd/okcare
func BenchmarkHelpCenterSync(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			c := DefaultConfig()
			c.DataDir = b.TempDir()
			if store == "postgres" {
				c.DB = storetest.PostgresSchemaDSN(b)
				b.Setenv("OKCARE_SECRET_KEY", secretbox.NewKey())
			}
			ctx := context.Background()
			db, _, err := openStore(ctx, &c)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			idx, err := openHelpCenter(ctx, &c, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			defer idx.Close()
			b.ResetTimer()
			for b.Loop() {
				if n, err := idx.Sync(ctx, db); err != nil || n != 0 {
					b.Fatalf("sync: %d %v", n, err)
				}
			}
		})
	}
}
