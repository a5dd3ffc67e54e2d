package diagnose

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare"
)

// labelledCase is one row of testdata/independent.tsv.
type labelledCase struct {
	Split, Cause, Lang, Text string
	Facts                    map[string]string
}

// readLabelled reads a split/cause/lang/text/facts file.
func readLabelled(t testing.TB, path string) []labelledCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []labelledCase
	for i, line := range strings.Split(string(data), "\n") {
		if i == 0 || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		for len(p) < 5 {
			p = append(p, "")
		}
		c := labelledCase{Split: p[0], Cause: p[1], Lang: p[2], Text: p[3], Facts: map[string]string{}}
		for _, kv := range strings.Split(p[4], ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
				c.Facts[k] = v
			}
		}
		out = append(out, c)
	}
	return out
}

var evalNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// demoPolicies is the demo release policy the independent set assumes.
func demoPolicies() map[string]*okcare.ReleasePolicy {
	return map[string]*okcare.ReleasePolicy{
		"android": {Platform: "android", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "8",
			KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "部分安卓 14 设备启动闪退。", NoteEN: "Crashes on launch on some Android 14 devices."}}},
		"ios": {Platform: "ios", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "15"},
	}
}

func atoiPtr(s string) *int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return &n
}

// request turns a labelled case into what the app and the server would
// hand the engine.
func (c labelledCase) request() (*Request, Facts) {
	r := &Request{Lang: c.Lang, Description: c.Text}
	f := Facts{Policies: demoPolicies(), Now: evalNow}
	fa := c.Facts
	if fa["platform"] != "" || fa["app_version"] != "" {
		r.App = &App{Platform: fa["platform"], Version: fa["app_version"]}
	}
	if fa["os_version"] != "" || fa["free_storage_mb"] != "" || fa["free_memory_mb"] != "" {
		r.Device = &Device{OSVersion: fa["os_version"], FreeStorageMB: atoiPtr(fa["free_storage_mb"]), FreeMemoryMB: atoiPtr(fa["free_memory_mb"])}
	}
	if fa["network"] != "" || fa["reachable"] != "" || fa["latency_ms"] != "" || fa["public_wifi"] != "" {
		n := &Network{Type: fa["network"], LatencyMS: atoiPtr(fa["latency_ms"])}
		if n.Type == "" {
			n.Type = "wifi" // a reachability or latency report comes from a connected phone
		}
		if v, ok := fa["reachable"]; ok {
			b := v == "true"
			n.Reachable = &b
		}
		if fa["public_wifi"] == "true" {
			b := true
			n.PublicWiFi = &b
		}
		r.Network = n
	}
	switch fa["account"] {
	case "active":
		f.User = &okcare.User{State: okcare.AccountActive}
	case "frozen":
		f.User = &okcare.User{State: okcare.AccountFrozen, StateReason: okcare.ReasonSuspiciousActivity}
	case "login_restricted":
		until := evalNow.Add(2 * time.Hour)
		f.User = &okcare.User{State: okcare.AccountLoginRestricted, RestrictedUntil: &until}
	}
	if fa["incident"] == "true" {
		f.Incidents = []*okcare.Incident{{Title: "服务异常", TitleEN: "Service disruption", Severity: okcare.SeverityMajor, Status: okcare.IncidentInvestigating}}
	}
	return r, f
}

// evalResult is what one labelled set scored.
type evalResult struct {
	n, right  int
	confusion map[string]map[string]int
	bins      [5]struct {
		n, right int
		conf     float64
	}
	misses []string
}

func (e *evalResult) top1() float64 { return float64(e.right) / float64(max(e.n, 1)) }

// evaluate diagnoses every case; misses keeps the texts only when
// showTexts (never for the held-out split).
func evaluate(cases []labelledCase, showTexts bool) *evalResult {
	e := &evalResult{confusion: map[string]map[string]int{}}
	for _, c := range cases {
		r, f := c.request()
		got, conf := Unknown, 0.0
		if Validate(r) == nil {
			res := Diagnose(r, f)
			got, conf = res.Causes[0].Code, res.Causes[0].Confidence
		}
		e.n++
		if e.confusion[c.Cause] == nil {
			e.confusion[c.Cause] = map[string]int{}
		}
		e.confusion[c.Cause][got]++
		bin := min(int(conf*5), 4)
		e.bins[bin].n++
		e.bins[bin].conf += conf
		if got == c.Cause {
			e.right++
			e.bins[bin].right++
		} else if showTexts {
			e.misses = append(e.misses, fmt.Sprintf("%s -> %s (%.2f): %s [%v]", c.Cause, got, conf, c.Text, c.Facts))
		}
	}
	sort.Strings(e.misses)
	return e
}

// abbreviations label the confusion matrix's columns.
func abbrev(code string) string {
	parts := strings.Split(code, "_")
	s := ""
	for _, p := range parts {
		s += p[:min(len(p), 3)]
	}
	return s
}

func (e *evalResult) report(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: top-1 %d/%d = %.3f\n", name, e.right, e.n, e.top1())
	codes := append([]string{}, Causes...)
	for c := range e.confusion {
		if !containsString(codes, c) {
			codes = append(codes, c)
		}
	}
	fmt.Fprintf(&b, "confusion (rows: expected, columns: top cause)\n| expected \\ got |")
	for _, c := range codes {
		fmt.Fprintf(&b, " %s |", abbrev(c))
	}
	b.WriteString("\n")
	for _, want := range codes {
		row := e.confusion[want]
		if row == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s |", want)
		for _, got := range codes {
			if n := row[got]; n > 0 {
				fmt.Fprintf(&b, " %d |", n)
			} else {
				b.WriteString(" . |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("calibration (top cause's confidence vs accuracy)\n| confidence | cases | mean confidence | accuracy |\n")
	ece := 0.0
	for i, bin := range e.bins {
		if bin.n == 0 {
			fmt.Fprintf(&b, "| %.1f-%.1f | 0 | - | - |\n", float64(i)/5, float64(i+1)/5)
			continue
		}
		mc, acc := bin.conf/float64(bin.n), float64(bin.right)/float64(bin.n)
		ece += float64(bin.n) / float64(e.n) * abs(mc-acc)
		fmt.Fprintf(&b, "| %.1f-%.1f | %d | %.2f | %.2f |\n", float64(i)/5, float64(i+1)/5, bin.n, mc, acc)
	}
	fmt.Fprintf(&b, "expected calibration error %.3f\n", ece)
	return b.String()
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func splitCases(cases []labelledCase, split string) []labelledCase {
	var out []labelledCase
	for _, c := range cases {
		if c.Split == split {
			out = append(out, c)
		}
	}
	return out
}

// TestIndependentSet scores the engine on the independent labelled set:
// the tune split (whose misses it prints, to learn from) and the held-out
// split (only its numbers: its texts are never shown here, nor tuned on).
// The floors are below what the engine reaches, so that a change that
// breaks understanding fails.
func TestIndependentSet(t *testing.T) {
	scoreIndependent(t, "testdata/independent.tsv", 150, 100, evalFloorTune, evalFloorHeldOut)
}

// scoreIndependent scores a labelled set's tune and held-out splits, logs
// both (and the tune misses), and fails below the sizes or floors given.
func scoreIndependent(t *testing.T, path string, minTune, minHeld int, floorTune, floorHeld float64) {
	t.Helper()
	cases := readLabelled(t, path)
	tune := evaluate(splitCases(cases, "tune"), true)
	held := evaluate(splitCases(cases, "heldout"), false)
	t.Log("\n" + tune.report("tune") + "\n" + held.report("heldout"))
	for _, m := range tune.misses {
		t.Log("  tune miss " + m)
	}
	if tune.n < minTune || held.n < minHeld {
		t.Fatalf("set too small: %d tune, %d held out", tune.n, held.n)
	}
	if tune.top1() < floorTune || held.top1() < floorHeld {
		t.Errorf("top-1 tune %.3f (floor %.2f), held out %.3f (floor %.2f)", tune.top1(), floorTune, held.top1(), floorHeld)
	}
}

// Floors of TestIndependentSet.
const (
	evalFloorTune    = 0.95
	evalFloorHeldOut = 0.90
)

// TestTicketTextClassification scores Classify, which tickets from mail,
// chat and callbacks get: the words alone, no facts. It reports top-1 on
// the cases whose label rests on the words alone (no facts column) and
// the share of all cases left unknown.
func TestTicketTextClassification(t *testing.T) {
	cases := readLabelled(t, "testdata/independent.tsv")
	for _, split := range []string{"tune", "heldout"} {
		n, right, unknown, all := 0, 0, 0, 0
		for _, c := range splitCases(cases, split) {
			got, _ := Classify(TicketText{Lang: c.Lang, Description: c.Text}, Facts{Policies: demoPolicies(), Now: evalNow})
			all++
			if got == Unknown {
				unknown++
			}
			if len(c.Facts) == 0 {
				n++
				if got == c.Cause {
					right++
				}
			}
		}
		t.Logf("%s: words-only cases top-1 %d/%d = %.3f; unknown %d of %d tickets (%.0f%%)", split, right, n, float64(right)/float64(n), unknown, all, 100*float64(unknown)/float64(all))
		if float64(right)/float64(n) < 0.8 {
			t.Errorf("%s: words-only top-1 %.3f below 0.8", split, float64(right)/float64(n))
		}
	}
}
