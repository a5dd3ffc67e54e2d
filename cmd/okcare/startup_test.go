package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/sqldb"
)

// TestSecondProcessOnDataDirFails: a second okcare on a data directory
// another one serves from stops at once, names the directory, and has
// touched nothing (no migration, no demo reset, no job runner); the first
// keeps serving. Before the lock it hung for ever on the index lock.
func TestSecondProcessOnDataDirFails(t *testing.T) {
	dir := dataDir(t)
	first := startProcess(t, nil, "serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir", dir, "--shutdown-drain-delay", "0")
	addr := first.addr(60 * time.Second)

	start := time.Now()
	second := startProcess(t, nil, "serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir", dir)
	if code := second.wait(5 * time.Second); code != 1 {
		t.Fatalf("second process exited %d, want 1:\n%s", code, second.stderr.String())
	}
	abs, _ := filepath.Abs(dir)
	msg := second.stderr.String()
	if !strings.Contains(msg, "data directory "+abs+" is in use by okcare process") {
		t.Fatalf("unclear refusal:\n%s", msg)
	}
	if strings.Contains(msg, "store open") || strings.Contains(second.stdout.String(), "demo data loaded") {
		t.Fatalf("the second process opened the store before failing:\n%s", msg)
	}
	t.Logf("refused in %s: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(msg))

	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the first process stopped serving: %v %v", resp, err)
	}
	resp.Body.Close()
	// Once the first has stopped, the directory is free again.
	first.signal(syscall.SIGTERM)
	if code := first.wait(30 * time.Second); code != 0 {
		t.Fatalf("first process exited %d:\n%s", code, first.stderr.String())
	}
	third := startProcess(t, nil, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir)
	third.addr(60 * time.Second)

	// kb reindex, which opens the index, is refused while serve runs.
	if err := run(context.Background(), []string{"kb", "reindex", "--data-dir", dir}); err == nil || !strings.Contains(err.Error(), "is in use by") {
		t.Fatalf("kb reindex beside a running serve: %v", err)
	}
}

// TestHalfLoadedHelpCenterRepaired: a first start killed between saving a
// shipped article and publishing it (as older versions could be) left
// the article unpublished for good; the next start publishes it.
func TestHalfLoadedHelpCenterRepaired(t *testing.T) {
	dir := dataDir(t)
	c := DefaultConfig()
	c.DataDir = dir
	db, _, err := openStore(context.Background(), &c)
	if err != nil {
		t.Fatal(err)
	}
	shipped, _ := kb.Shipped()
	for _, a := range shipped {
		if a.Slug == "account-frozen" && a.Lang == okcare.LangEN {
			if err := db.SaveArticleDraft(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}
	}
	db.Close()

	m, _, _ := startMain(t, "--data-dir", dir)
	defer m.Close()
	a, err := m.DB.PublishedArticle(context.Background(), "account-frozen", "en")
	if err != nil || a.CreatedBy != sqldb.ShippedBy {
		t.Fatalf("account-frozen/en after restart: %+v %v", a, err)
	}
	all, _ := m.DB.PublishedArticles(context.Background())
	if len(all) != len(shipped) {
		t.Fatalf("%d of %d shipped articles published", len(all), len(shipped))
	}
	resp, err := http.Get("http://" + m.Listener.Addr().String() + "/api/v1/kb/search?lang=en&q=frozen")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Results []struct{ Slug string } }
	json.NewDecoder(resp.Body).Decode(&body)
	found := false
	for _, r := range body.Results {
		found = found || r.Slug == "account-frozen"
	}
	if !found {
		t.Fatalf("account-frozen not found by search: %+v", body.Results)
	}
}

// TestKillDuringFirstStart kills -9 first starts at moments around the
// loading of the help center; every next start serves the whole shipped
// help center.
func TestKillDuringFirstStart(t *testing.T) {
	shipped, _ := kb.Shipped()
	for _, delay := range []time.Duration{0, 40 * time.Millisecond, 120 * time.Millisecond} {
		dir := dataDir(t)
		p := startProcess(t, nil, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir)
		for !strings.Contains(p.stderr.String(), "store open") {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(delay)
		p.signal(syscall.SIGKILL)
		p.wait(10 * time.Second)
		m, _, _ := startMain(t, "--data-dir", dir)
		all, err := m.DB.PublishedArticles(context.Background())
		m.Close()
		if err != nil || len(all) != len(shipped) {
			t.Fatalf("killed %s after the store opened: %d of %d articles published after restart (%v)", delay, len(all), len(shipped), err)
		}
	}
}
