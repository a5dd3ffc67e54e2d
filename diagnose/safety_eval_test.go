package diagnose

import "testing"

// TestIndependentSafetySet scores the engine on the second independent
// set, written blind for the safety causes (scam_contact, device_lost,
// funds_missing) and the causes they are confused with: the tune split's
// misses are printed, the held-out split only counted.
func TestIndependentSafetySet(t *testing.T) {
	cases := readLabelled(t, "testdata/independent_safety.tsv")
	tune := evaluate(splitCases(cases, "tune"), true)
	held := evaluate(splitCases(cases, "heldout"), false)
	t.Log("\n" + tune.report("tune") + "\n" + held.report("heldout"))
	for _, m := range tune.misses {
		t.Log("  tune miss " + m)
	}
	if tune.n < 100 || held.n < 60 {
		t.Fatalf("set too small: %d tune, %d held out", tune.n, held.n)
	}
	if tune.top1() < safetyFloorTune || held.top1() < safetyFloorHeldOut {
		t.Errorf("top-1 tune %.3f (floor %.2f), held out %.3f (floor %.2f)", tune.top1(), safetyFloorTune, held.top1(), safetyFloorHeldOut)
	}
}

// Floors of TestIndependentSafetySet.
const (
	safetyFloorTune    = 0.85
	safetyFloorHeldOut = 0.65
)
