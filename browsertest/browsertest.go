// Package browsertest starts real headless Chromium for okcare's page and
// journey tests, with the flags this project's machines need, and keeps
// screenshots for a person to look at.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Phone and Desktop are the window sizes of a customer's phone and an
// agent's screen.
const (
	PhoneW, PhoneH     = 412, 915
	DesktopW, DesktopH = 1280, 900
)

// Start runs one Chromium of its own (its own profile: a separate browser,
// as a customer and an agent are) with a window of w x h, for at most
// timeout. Without Chromium the test is skipped on a developer machine and
// fails in CI, where the test script installs it.
func Start(t *testing.T, w, h int, timeout time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; the test script installs it")
		}
		t.Skip("chromium not installed")
	}
	// Chromium may still be writing its profile as it exits, which
	// t.TempDir's strict cleanup reports as a failure; remove it ourselves.
	profile, err := os.MkdirTemp("", "okcare-chromium")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(w, h),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(profile)
	})
	return ctx
}

// Screenshot keeps a full-page picture of the current page, in
// $OKCARE_SCREENSHOTS when set (else the test's temporary directory).
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("OKCARE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}
