package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// smallDisk mounts a tmpfs of size bytes for the test (root only) and
// returns its path; the test is skipped where mounting is not allowed.
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "okcare-disk")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		os.Remove(dir)
		t.Skipf("cannot mount a small disk (needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
			return
		}
		os.Remove(dir)
	})
	return dir
}

// fill writes a file until the disk has no room left.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 512} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
	}
}

// TestDiskFull: on a full disk, writes are answered 507 storage_full with
// Retry-After (never 500 internal), /readyz fails and says why, and both
// recover by themselves once there is room again. Before, /readyz stayed
// 200 (SELECT 1 still answered) while every write failed with 500.
func TestDiskFull(t *testing.T) {
	dir := smallDisk(t, 48<<20)
	m, _, _ := startMain(t, "--data-dir", dir)
	defer m.Close()
	base := "http://" + m.Listener.Addr().String()
	ready := func() (int, map[string]any) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct{ Checks map[string]map[string]any }
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Checks["disk"]
	}
	if status, _ := ready(); status != 200 {
		t.Fatalf("readyz before the disk filled: %d", status)
	}
	register := func(i int) answer {
		return ask("POST", base+"/api/v1/users", fmt.Sprintf(`{"email":"full-%d-%d@example.com","password":"blue-kettle-42"}`, i, time.Now().UnixNano()))
	}
	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	if status, disk := ready(); status != 503 || disk["error"] != "storage_full" {
		t.Fatalf("readyz on a full disk: %d, disk check %v", status, disk)
	}
	full, fitted := 0, 0
	for i := 0; i < 300 && full < 3; i++ {
		a := register(i)
		switch {
		case a.status == 201:
			fitted++
			// Room left in the write-ahead log: SQLite writes there first.
		case a.status == 507 && a.code == "storage_full" && a.retryAfter != "":
			full++
		default:
			t.Fatalf("registration %d on a full disk: %+v; want 201 or 507 storage_full with Retry-After", i, a)
		}
	}
	if full == 0 {
		t.Fatal("300 registrations fitted on a full disk")
	}
	t.Logf("on the full disk: %d registrations fitted in the write-ahead log, then 507 storage_full", fitted)

	os.Remove(filler)
	waitFor(t, 15*time.Second, "recovery once the disk has room", func() bool {
		status, _ := ready()
		return status == 200 && register(1000).status == 201
	})
}
