package diagnose

import (
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/version"
)

// situation is everything known about one request: what the app reported,
// what the user's words state where the app said nothing, and the server's
// truth, each graded against the release policy.
type situation struct {
	text     string // description and error text, normalized
	raw      string // the same, as written, for quoting
	platform string
	appVer   string
	osVer    string
	storage  *int
	memory   *int
	tf       TextFacts
	concepts []string        // the lexicon's concepts in the text ("s:crash")
	named    map[string]bool // the same, by concept name

	// Graded against the policy: "" when unknown.
	app string // below_min, known_bad, supported, latest
	os  string // below_min, ok, ambiguous

	account   okcare.AccountState // "" for an anonymous user
	incidents []*okcare.Incident  // active ones
	policy    *okcare.ReleasePolicy
	knownBad  *okcare.KnownBadVersion
}

// Thresholds for device and network facts, in megabytes and milliseconds.
const (
	plentyStorageMB = 1000
	plentyMemoryMB  = 500
	slowNetworkMS   = 1500
)

// resolve gathers the situation of a validated request.
func resolve(r *Request, f Facts) *situation {
	raw := strings.TrimSpace(r.Description + "\n" + r.ErrorText)
	s := &situation{raw: raw, text: normalize(raw), tf: ExtractFacts(raw), named: map[string]bool{}}
	s.concepts = conceptFeatures(s.text)
	for _, c := range s.concepts {
		s.named[c[2:]] = true
	}
	if r.App != nil {
		s.platform, s.appVer = r.App.Platform, normalized(r.App.Version)
	}
	if s.platform == "" {
		s.platform = s.tf.Platform
	}
	if s.appVer == "" {
		s.appVer = s.tf.AppVersion
	}
	if r.Device != nil {
		s.osVer, s.storage, s.memory = r.Device.OSVersion, r.Device.FreeStorageMB, r.Device.FreeMemoryMB
	}
	if s.osVer == "" {
		s.osVer = s.tf.OSVersion
	}
	if s.storage == nil {
		s.storage = s.tf.FreeStorageMB
	}
	if s.memory == nil {
		s.memory = s.tf.FreeMemoryMB
	}
	if u := f.User; u != nil {
		s.account = u.EffectiveState(f.Now)
	}
	for _, inc := range f.Incidents {
		if inc.Status != okcare.IncidentResolved {
			s.incidents = append(s.incidents, inc)
		}
	}
	s.gradeApp(f.Policies)
	s.gradeOS(f.Policies)
	return s
}

func normalized(v string) string {
	if n, ok := NormalizeVersion(v); ok {
		return n
	}
	return ""
}

// policies returns the policies the situation can be judged against: the
// platform's, or, on an unknown platform, every one.
func (s *situation) policies(all map[string]*okcare.ReleasePolicy) []*okcare.ReleasePolicy {
	if p := all[s.platform]; p != nil {
		return []*okcare.ReleasePolicy{p}
	}
	if s.platform != "" {
		return nil
	}
	var out []*okcare.ReleasePolicy
	for _, name := range []string{okcare.PlatformAndroid, okcare.PlatformIOS} {
		if p := all[name]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// gradeApp places the app version against the policy. On an unknown
// platform a grade holds only when every platform's policy agrees, except
// a known-bad version, which counts when any platform knows it.
func (s *situation) gradeApp(all map[string]*okcare.ReleasePolicy) {
	v, err := version.Parse(s.appVer)
	if s.appVer == "" || err != nil {
		return
	}
	grades, maybeBad := map[string]bool{}, false
	for _, p := range s.policies(all) {
		g := "supported"
		switch {
		case lessThan(v, p.MinVersion):
			g = "below_min"
		case !lessThan(v, p.LatestVersion):
			g = "latest"
		}
		for i, kb := range p.KnownBad {
			if b, err := version.Parse(kb.Version); err == nil && version.Compare(b, v) == 0 {
				if s.platform == "" {
					maybeBad = true // known bad on some platform; which one is theirs?
				} else {
					g, s.knownBad = "known_bad", &p.KnownBad[i]
				}
			}
		}
		grades[g] = true
		s.policy = p
	}
	switch {
	case maybeBad:
		s.app = "maybe_known_bad"
	case len(grades) == 1:
		for g := range grades {
			s.app = g
		}
	case len(grades) > 1:
		s.app = "mixed"
	}
	if s.platform == "" {
		s.policy = nil
	}
}

// gradeOS places the OS version against the platform's minimum; on an
// unknown platform, "ambiguous" unless every minimum agrees.
func (s *situation) gradeOS(all map[string]*okcare.ReleasePolicy) {
	v, err := version.Parse(s.osVer)
	if s.osVer == "" || err != nil {
		return
	}
	grades := map[string]bool{}
	for _, p := range s.policies(all) {
		if p.MinOSVersion == "" {
			continue
		}
		if lessThan(v, p.MinOSVersion) {
			grades["below_min"] = true
		} else {
			grades["ok"] = true
		}
	}
	switch {
	case len(grades) == 1 && grades["below_min"]:
		s.os = "below_min"
	case len(grades) == 1:
		s.os = "ok"
	case len(grades) > 1:
		s.os = "ambiguous"
	}
}

func lessThan(v version.Version, limit string) bool {
	l, err := version.Parse(limit)
	return err == nil && version.Compare(v, l) < 0
}

// majorIncident reports whether an active incident stops the app by
// itself (major or maintenance).
func (s *situation) majorIncident() bool {
	for _, inc := range s.incidents {
		if inc.Severity != okcare.SeverityMinor {
			return true
		}
	}
	return false
}

// factFeatures are the model's features of the situation's facts, graded.
func (s *situation) factFeatures(r *Request) []string {
	out := []string{"bias"}
	add := func(f string) { out = append(out, f) }
	if r.Symptom != "" {
		add("sym:" + r.Symptom)
	}
	if s.platform != "" {
		add("plat:" + s.platform)
	}
	if s.app != "" {
		add("app:" + s.app)
	}
	if s.os != "" {
		add("os:" + s.os)
	}
	if s.storage != nil {
		add("sto:" + bin(*s.storage, []int{50, 200, plentyStorageMB}))
	} else if s.tf.StorageLow {
		add("sto:said_low")
	}
	if s.tf.StorageOK {
		add("sto:said_ok")
	}
	if s.memory != nil {
		add("mem:" + bin(*s.memory, []int{80, 200, plentyMemoryMB}))
	} else if s.tf.MemoryLow {
		add("mem:said_low")
	}
	if n := r.Network; n != nil {
		add("net:" + n.Type)
		if n.Reachable != nil {
			if *n.Reachable {
				add("net:reachable")
			} else {
				add("net:unreachable")
			}
		}
		if n.LatencyMS != nil {
			add("lat:" + bin(*n.LatencyMS, []int{300, 800, slowNetworkMS}))
		}
		if n.PublicWiFi != nil && *n.PublicWiFi {
			add("net:public_wifi")
		}
	}
	switch s.account {
	case "":
		add("acct:anonymous")
	default:
		add("acct:" + string(s.account))
	}
	if len(s.incidents) > 0 {
		if s.majorIncident() {
			add("inc:major")
		} else {
			add("inc:minor")
		}
	}
	switch n := s.fineCount(r); {
	case n < 0:
	case n >= 3:
		add("fine:3+")
	case n == 2:
		add("fine:2")
	}
	if s.vague(r) {
		add("vague")
	}
	return out
}

// healthy reports whether every fact known is fine, and at least three
// are known: then a failure is the app's own.
func (s *situation) healthy(r *Request) bool { return s.fineCount(r) >= 3 }

// fineCount counts the facts that are fine, the phone's report or the
// user's own words ("网络正常", "latest version", "plenty of storage",
// "reinstalled"), or returns -1 when a known fact is not fine.
func (s *situation) fineCount(r *Request) int {
	known := 0
	switch {
	case s.app == "latest" || s.app == "supported":
		known++
	case s.app != "":
		return -1
	case s.has("latest_claim"):
		known++
	}
	if n := r.Network; n != nil {
		if n.Type == "none" || (n.Reachable != nil && !*n.Reachable) || (n.LatencyMS != nil && *n.LatencyMS >= slowNetworkMS) || (n.PublicWiFi != nil && *n.PublicWiFi) {
			return -1
		}
		known++
	} else if s.has("net_ok") {
		known++
	}
	for _, v := range []struct {
		p     *int
		limit int
	}{{s.storage, plentyStorageMB}, {s.memory, plentyMemoryMB}} {
		if v.p != nil {
			if *v.p < v.limit {
				return -1
			}
			known++
		}
	}
	if s.storage == nil && s.tf.StorageOK {
		known++
	}
	if s.has("reinstalled") || s.has("cache_cleared") {
		known++
	}
	if s.has("other_device_ok") || s.has("other_apps_ok") {
		known++
	}
	if s.os == "below_min" || len(s.incidents) > 0 || (s.account != "" && s.account != okcare.AccountActive) || s.tf.StorageLow || s.tf.MemoryLow {
		return -1
	}
	return known
}

// has reports whether the text names a lexicon concept.
func (s *situation) has(concept string) bool { return s.named[concept] }

// vague reports a request that says nothing a cause could rest on: no
// concept in the words and no fact beyond the platform, a current version
// and an active account ("打不开", "help").
func (s *situation) vague(r *Request) bool {
	if len(s.concepts) > 0 || r.Symptom != "" || r.Device != nil || r.Network != nil || len(s.incidents) > 0 {
		return false
	}
	if s.account != "" && s.account != okcare.AccountActive {
		return false
	}
	return s.app == "" || s.app == "latest" || s.app == "supported"
}

// bin names the range of n among ascending limits: "<50", "<200", ">=1000".
func bin(n int, limits []int) string {
	for _, l := range limits {
		if n < l {
			return "<" + itoa(l)
		}
	}
	return ">=" + itoa(limits[len(limits)-1])
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// excluded reports the causes the facts rule out: the server's truth and
// the phone's own report are not opinions. An active account is neither
// frozen nor restricted; a version that is not known-bad has no known
// crash; the latest version is not outdated; a supported OS, plenty of
// storage or memory, and a phone that reaches our servers rule out their
// causes.
func (s *situation) excluded(r *Request) map[string]bool {
	ex := map[string]bool{}
	if s.account == okcare.AccountActive {
		ex[AccountFrozen], ex[AccountLoginRestricted] = true, true
	}
	if s.app != "known_bad" && s.app != "maybe_known_bad" {
		ex[AppKnownCrash] = true
	}
	if s.app == "latest" {
		ex[AppOutdated] = true
	}
	if s.os == "ok" {
		ex[DeviceOSUnsupported] = true
	}
	if s.storage != nil && *s.storage >= plentyStorageMB {
		ex[DeviceStorageLow] = true
	}
	if s.memory != nil && *s.memory >= plentyMemoryMB {
		ex[DeviceMemoryLow] = true
	}
	if n := r.Network; n != nil && n.Type != "none" && n.Reachable != nil && *n.Reachable {
		ex[NetworkOffline] = true
	}
	return ex
}

// blocking returns the causes the server's truth or the phone's report
// establish by themselves; they rank above every soft cause.
func (s *situation) blocking(r *Request) map[string]bool {
	b := map[string]bool{}
	switch s.account {
	case okcare.AccountFrozen:
		b[AccountFrozen] = true
	case okcare.AccountLoginRestricted:
		b[AccountLoginRestricted] = true
	}
	if s.majorIncident() {
		b[ServiceIncident] = true
	}
	switch s.app {
	case "below_min":
		b[AppOutdated] = true
	case "known_bad":
		b[AppKnownCrash] = true
	}
	if s.os == "below_min" {
		b[DeviceOSUnsupported] = true
	}
	return b
}
