package diagnose

import (
	"fmt"
	"sort"
	"testing"
)

// TestHeldOutAccuracy trains the model on three quarters of the shipped
// examples (text only, no facts) and reports accuracy on the quarter it
// never saw. The threshold is a floor, not the goal: a change that drops
// below it has broken understanding.
func TestHeldOutAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("training takes seconds")
	}
	train, heldOut := Split(parseExamples(examplesTSV))
	m := fit(exampleRows(train))
	right := 0
	confusion := map[string]int{}
	for _, row := range exampleRows(heldOut) {
		s, feats := featurize(row.req, row.facts)
		p, _ := m.probs(feats, s.excluded(row.req))
		if got := m.causes[argmax(p)]; got == row.cause {
			right++
		} else {
			confusion[fmt.Sprintf("%s -> %s: %s", row.cause, got, row.req.Description)]++
		}
	}
	acc := float64(right) / float64(len(heldOut))
	t.Logf("held-out accuracy: %d/%d = %.2f (trained on %d)", right, len(heldOut), acc, len(train))
	var misses []string
	for k := range confusion {
		misses = append(misses, k)
	}
	sort.Strings(misses)
	for _, k := range misses {
		t.Logf("  miss %s", k)
	}
	if acc < 0.80 {
		t.Fatalf("held-out accuracy %.2f below 0.80", acc)
	}
}

func TestNormalizeAndFeatures(t *testing.T) {
	for _, tt := range [][2]string{
		{"閃退", "闪退"},
		{"ＡＰＰ打不開", "app打不开"},
		{"帳號被凍結", "账号被冻结"},
	} {
		if got := normalize(tt[0]); got != tt[1] {
			t.Errorf("normalize(%q) = %q, want %q", tt[0], got, tt[1])
		}
	}
	feats := features("钱包闪退 crashes")
	want := map[string]bool{"b:闪退": true, "c:钱": true, "w:crashes": true, "t:cra": true}
	for _, f := range feats {
		delete(want, f)
	}
	if len(want) != 0 {
		t.Errorf("features lack %v (got %v)", want, feats)
	}
}
