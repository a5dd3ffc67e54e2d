// Package diagnose turns what a user says and what their phone reports into
// ranked causes of "my wallet won't open", each with evidence and
// platform-specific steps in the user's language. Server-side truth (the
// release policy, incidents, the account's state) outranks anything the
// user's text suggests. It is pure: no I/O, table-tested.
package diagnose

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/version"
)

// Cause codes (fixed; they are also ticket categories).
const (
	NetworkOffline         = "network_offline"
	NetworkUnstable        = "network_unstable"
	AppOutdated            = "app_outdated"
	AppKnownCrash          = "app_known_crash"
	AccountFrozen          = "account_frozen"
	AccountLoginRestricted = "account_login_restricted"
	DeviceStorageLow       = "device_storage_low"
	DeviceMemoryLow        = "device_memory_low"
	DeviceOSUnsupported    = "device_os_unsupported"
	ServiceIncident        = "service_incident"
	AppMalfunction         = "app_malfunction"
	Unknown                = "unknown"
)

// Request is what the user and the app tell us.
type Request struct {
	Lang        string   `json:"lang"`
	Symptom     string   `json:"symptom,omitempty"`
	Description string   `json:"description,omitempty"`
	ErrorText   string   `json:"error_text,omitempty"`
	App         *App     `json:"app,omitempty"`
	Device      *Device  `json:"device,omitempty"`
	Network     *Network `json:"network,omitempty"`
}

// App is the installed app.
type App struct {
	Platform string `json:"platform"`
	Version  string `json:"version"`
}

// Device is the phone.
type Device struct {
	OSVersion     string `json:"os_version"`
	Model         string `json:"model,omitempty"`
	FreeStorageMB *int   `json:"free_storage_mb,omitempty"`
	FreeMemoryMB  *int   `json:"free_memory_mb,omitempty"`
}

// Network is the connection as the phone sees it.
type Network struct {
	Type       string `json:"type"`
	Reachable  *bool  `json:"reachable,omitempty"`
	LatencyMS  *int   `json:"latency_ms,omitempty"`
	PublicWiFi *bool  `json:"public_wifi,omitempty"`
}

// Facts are the server's truth at the time of diagnosis.
type Facts struct {
	// Policies by platform; a platform may have none.
	Policies  map[string]*okcare.ReleasePolicy
	Incidents []*okcare.Incident
	// User is nil for an anonymous diagnosis.
	User *okcare.User
	Now  time.Time
}

// Cause is one ranked explanation.
type Cause struct {
	Code       string   `json:"code"`
	Confidence float64  `json:"confidence"`
	Blocking   bool     `json:"blocking"`
	Title      string   `json:"title"`
	Evidence   []string `json:"evidence"`
	Steps      []Step   `json:"steps"`
	Articles   []string `json:"articles"`
}

// Step is one thing to do, and what it risks; Link, when set, is the
// help-center page that does it ("/support/freeze").
type Step struct {
	Text string `json:"text"`
	Risk string `json:"risk,omitempty"`
	Link string `json:"link,omitempty"`
}

// Result is the diagnosis.
type Result struct {
	Causes        []Cause        `json:"causes"`
	Escalate      bool           `json:"escalate"`
	TicketPrefill map[string]any `json:"ticket_prefill"`
}

// Limits on free text, in characters.
const (
	MaxDescription = 2000
	MaxErrorText   = 500
)

// Symptoms are what a user can say happens when the wallet is opened.
var Symptoms = []string{"crash", "stuck_loading", "error_message", "other"}

// Validate checks a request; it returns EINVALID or EINVALIDVERSION.
func Validate(r *Request) error {
	switch {
	case r.Lang != "zh-CN" && r.Lang != "en":
		return okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	case r.Symptom != "" && !slices.Contains(Symptoms, r.Symptom):
		return okcare.Errorf(okcare.EINVALID, "symptom must be crash, stuck_loading, error_message or other.")
	case utf8.RuneCountInString(r.Description) > MaxDescription:
		return okcare.Errorf(okcare.EINVALID, "description is at most %d characters.", MaxDescription)
	case utf8.RuneCountInString(r.ErrorText) > MaxErrorText:
		return okcare.Errorf(okcare.EINVALID, "error_text is at most %d characters.", MaxErrorText)
	}
	if r.App != nil {
		if !okcare.ValidPlatform(r.App.Platform) {
			return okcare.Errorf(okcare.EINVALID, "app.platform must be android or ios.")
		}
		if _, err := version.Parse(r.App.Version); err != nil {
			return okcare.Errorf(okcare.EINVALIDVERSION, "app.version %q is not a version.", r.App.Version)
		}
	}
	if r.Device != nil {
		if _, err := version.Parse(r.Device.OSVersion); r.Device.OSVersion != "" && err != nil {
			return okcare.Errorf(okcare.EINVALIDVERSION, "device.os_version %q is not a version.", r.Device.OSVersion)
		}
		for _, v := range []*int{r.Device.FreeStorageMB, r.Device.FreeMemoryMB} {
			if v != nil && (*v < 0 || *v > 1<<24) {
				return okcare.Errorf(okcare.EINVALID, "free storage and memory are megabytes between 0 and 16777216.")
			}
		}
		if len(r.Device.Model) > 128 {
			return okcare.Errorf(okcare.EINVALID, "device.model is too long.")
		}
	}
	if n := r.Network; n != nil {
		if n.Type != "wifi" && n.Type != "cellular" && n.Type != "none" {
			return okcare.Errorf(okcare.EINVALID, "network.type must be wifi, cellular or none.")
		}
		if n.LatencyMS != nil && (*n.LatencyMS < 0 || *n.LatencyMS > 600000) {
			return okcare.Errorf(okcare.EINVALID, "network.latency_ms must be between 0 and 600000.")
		}
	}
	return nil
}

// signal is one piece of evidence for a cause.
type signal struct {
	p        float64 // how strongly it alone suggests the cause
	blocking bool    // server truth that stops the app by itself
	evidence [2]string
}

// Diagnose ranks the causes. The request must have passed Validate.
func Diagnose(r *Request, f Facts) *Result {
	zh := r.Lang == "zh-CN"
	signals := map[string][]signal{}
	add := func(code string, s signal) { signals[code] = append(signals[code], s) }

	serverSignals(r, f, add)
	deviceSignals(r, add)
	textSignals(r, signals, add)
	symptomSignals(r, signals, add)

	platform := ""
	if r.App != nil {
		platform = r.App.Platform
	}
	var causes []Cause
	for code, sigs := range signals {
		c := Cause{Code: code, Title: title(code, zh), Steps: steps(code, platform, zh), Articles: articles[code], Evidence: []string{}}
		miss := 1.0 // noisy-OR: the cause is absent only if every signal misleads
		for _, s := range sigs {
			miss *= 1 - s.p
			c.Blocking = c.Blocking || s.blocking
			ev := s.evidence[1]
			if zh {
				ev = s.evidence[0]
			}
			if ev != "" {
				c.Evidence = append(c.Evidence, ev)
			}
		}
		c.Confidence = round2(1 - miss)
		causes = append(causes, c)
	}
	sort.Slice(causes, func(i, j int) bool {
		if ri, rj := rank(causes[i]), rank(causes[j]); ri != rj {
			return ri < rj // the account's state, safety, then hard blockers first
		}
		if causes[i].Confidence != causes[j].Confidence {
			return causes[i].Confidence > causes[j].Confidence
		}
		return causes[i].Code < causes[j].Code
	})
	if len(causes) == 0 || (!causes[0].Blocking && causes[0].Confidence < 0.3) {
		causes = append(causes, Cause{Code: Unknown, Confidence: 0.2, Title: title(Unknown, zh), Evidence: []string{}, Steps: steps(Unknown, platform, zh), Articles: articles[Unknown]})
	}
	if len(causes) > 5 {
		causes = causes[:5]
	}
	top := causes[0]
	res := &Result{Causes: causes}
	res.Escalate = top.Code == AccountFrozen || top.Code == AccountLoginRestricted || top.Code == Unknown || safetyCauses[top.Code] || top.Confidence < 0.4
	res.TicketPrefill = prefill(r, top)
	return res
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// prefill is what the ticket form starts with when the user still needs help.
func prefill(r *Request, top Cause) map[string]any {
	p := map[string]any{"category": top.Code, "symptom": r.Symptom, "description": strings.TrimSpace(r.Description)}
	if r.ErrorText != "" {
		p["error_text"] = r.ErrorText
	}
	if r.App != nil {
		p["app"] = r.App
	}
	if r.Device != nil {
		p["device"] = r.Device
	}
	if r.Network != nil {
		p["network"] = r.Network
	}
	return p
}
