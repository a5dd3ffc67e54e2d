package diagnose

import "testing"

// TestIndependentSafetySet scores the engine on the second independent
// set, written blind for the safety causes (scam_contact, device_lost,
// funds_missing) and the causes they are confused with: the tune split's
// misses are printed, the held-out split only counted.
func TestIndependentSafetySet(t *testing.T) {
	scoreIndependent(t, "testdata/independent_safety.tsv", 100, 60, safetyFloorTune, safetyFloorHeldOut)
}

// Floors of TestIndependentSafetySet.
const (
	safetyFloorTune    = 0.85
	safetyFloorHeldOut = 0.65
)
