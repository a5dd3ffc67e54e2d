package sqldb

import (
	"testing"

	"github.com/okcare/okcare"
)

// A policy read before SetReleasePolicy forgot the platform is not kept:
// the next chat batch reads the new one.
func TestReleaseCacheKeepsNoReadBegunBeforeAForget(t *testing.T) {
	var c releaseCache
	old := releaseRead{policy: &okcare.ReleasePolicy{Platform: "ios", MinVersion: "1.0.0"}}
	gen := c.generation()
	c.forget("ios") // a policy set while the read was on its way
	c.put("ios", old, gen)
	if _, ok := c.get("ios"); ok {
		t.Fatal("a read begun before the policy changed was kept")
	}
	gen = c.generation()
	c.put("ios", old, gen)
	if r, ok := c.get("ios"); !ok || r.policy.MinVersion != "1.0.0" {
		t.Fatalf("a fresh read was not kept: %+v, %v", r, ok)
	}
	c.forget("ios")
	if _, ok := c.get("ios"); ok {
		t.Fatal("forget left the platform's copy")
	}
}
