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

	// ScamContact: someone posing as support asked for a recovery phrase,
	// a code or a password, or a phishing message or link reached the user.
	ScamContact = "scam_contact"
	// DeviceLost: the phone with the wallet on it was lost or stolen.
	DeviceLost = "device_lost"
	// FundsMissing: money is gone from the balance, or a transfer has not
	// arrived.
	FundsMissing = "funds_missing"
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

// Step is one thing to do, and what it risks.
type Step struct {
	Text string `json:"text"`
	Risk string `json:"risk,omitempty"`
	// Link is a page of ours that does the step ("/support/freeze"), or "".
	Link string `json:"link,omitempty"`
}

// Result is the diagnosis.
type Result struct {
	Causes []Cause `json:"causes"`
	// Findings are what the server's truth says against the user's guess
	// ("your account is active, not frozen"), in the user's language; the
	// top cause's evidence starts with them too.
	Findings      []string       `json:"findings,omitempty"`
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

// Validate checks a request; it returns EINVALID or EINVALIDVERSION. It
// normalises the versions people and app stores write ("V5.3.0",
// "5.3.0 (1234)", "iOS 17.4") to plain ones in place, and accepts an app
// with only a platform or only a version (the other is then read from the
// text, if it says).
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
		if r.App.Platform != "" && !okcare.ValidPlatform(r.App.Platform) {
			return okcare.Errorf(okcare.EINVALID, "app.platform must be android or ios.")
		}
		if r.App.Platform == "" && strings.TrimSpace(r.App.Version) == "" {
			return okcare.Errorf(okcare.EINVALID, "app needs a platform or a version.")
		}
		if r.App.Version != "" {
			v, ok := NormalizeVersion(r.App.Version)
			if !ok {
				return okcare.Errorf(okcare.EINVALIDVERSION, "app.version %q is not a version.", r.App.Version)
			}
			r.App.Version = v
		}
	}
	if r.Device != nil {
		if r.Device.OSVersion != "" {
			v, ok := NormalizeVersion(r.Device.OSVersion)
			if !ok {
				return okcare.Errorf(okcare.EINVALIDVERSION, "device.os_version %q is not a version.", r.Device.OSVersion)
			}
			r.Device.OSVersion = v
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

// Causes below this probability are not shown (blocking ones always are).
const minShown = 0.03

// Diagnose ranks the causes. The request must have passed Validate.
func Diagnose(r *Request, f Facts) *Result {
	zh := r.Lang == "zh-CN"
	s, feats := featurize(r, f)
	probs, _ := trained.probs(feats, s.excluded(r))
	blocking := s.blocking(r)
	ev := evidence(r, f, s)
	textFor := trained.textSupport(feats)
	pick := func(pair [2]string) string {
		if zh {
			return pair[0]
		}
		return pair[1]
	}
	quote := s.raw
	if utf8.RuneCountInString(quote) > 60 {
		quote = string([]rune(quote)[:60]) + "…"
	}
	first := trained.causes[top(trained.causes, probs, blocking)]
	var causes []Cause
	for j, code := range trained.causes {
		p := probs[j]
		if p < minShown && !blocking[code] {
			continue
		}
		c := Cause{Code: code, Confidence: max(round2(p), 0.01), Blocking: blocking[code], Title: title(code, zh),
			Steps: steps(code, s.platform, zh), Articles: articles[code], Evidence: []string{}}
		for _, e := range ev[code] {
			c.Evidence = append(c.Evidence, pick(e))
		}
		if quote != "" && textFor[j] > 0 {
			c.Evidence = append(c.Evidence, pick([2]string{"您的描述：“" + quote + "”", "Your description: \"" + quote + "\""}))
		}
		causes = append(causes, c)
	}
	sort.Slice(causes, func(i, j int) bool {
		if (causes[i].Code == first) != (causes[j].Code == first) {
			return causes[i].Code == first
		}
		if causes[i].Blocking != causes[j].Blocking {
			return causes[i].Blocking // the server's truth first
		}
		if causes[i].Confidence != causes[j].Confidence {
			return causes[i].Confidence > causes[j].Confidence
		}
		return causes[i].Code < causes[j].Code
	})
	if len(causes) == 0 {
		causes = append(causes, Cause{Code: Unknown, Confidence: 0.2, Title: title(Unknown, zh), Evidence: []string{}, Steps: steps(Unknown, s.platform, zh), Articles: articles[Unknown]})
	}
	if len(causes) > 5 {
		causes = causes[:5]
	}
	res := &Result{Causes: causes}
	for _, fd := range findings(r, s, causes[0].Code) {
		res.Findings = append(res.Findings, pick(fd))
	}
	if len(res.Findings) > 0 {
		causes[0].Evidence = append(append([]string{}, res.Findings...), causes[0].Evidence...)
	}
	top := causes[0]
	res.Escalate = escalated[top.Code] || top.Confidence < 0.4
	res.TicketPrefill = prefill(r, top)
	return res
}

// escalated are the causes only support can resolve.
var escalated = map[string]bool{AccountFrozen: true, AccountLoginRestricted: true, Unknown: true, ScamContact: true, DeviceLost: true, FundsMissing: true}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// prefill is what the ticket form starts with when the user still needs help.
func prefill(r *Request, top Cause) map[string]any {
	p := map[string]any{"category": top.Code, "confidence": top.Confidence, "symptom": r.Symptom, "description": strings.TrimSpace(r.Description)}
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

// TicketText is what a ticket says about itself, for Classify.
type TicketText struct {
	Lang, Subject, Description string
	// Platform, AppVersion and OSVersion are the intake's fields, if any.
	Platform, AppVersion, OSVersion string
}

// Classify reads a ticket's cause from its words and the facts it carries,
// with the same model as the wizard, for tickets that arrive without one
// (mail, chat, callbacks, a form without a diagnosis). It returns the top
// cause and its confidence.
func Classify(t TicketText, f Facts) (string, float64) {
	lang := t.Lang
	if lang != "en" {
		lang = "zh-CN"
	}
	text := strings.TrimSpace(t.Subject)
	if d := strings.TrimSpace(t.Description); d != "" && !strings.Contains(d, text) {
		text += "\n" + d
	} else if d != "" {
		text = d
	}
	if r := []rune(text); len(r) > MaxDescription {
		text = string(r[:MaxDescription])
	}
	r := &Request{Lang: lang, Description: text}
	if t.Platform != "" || t.AppVersion != "" {
		r.App = &App{Platform: strings.ToLower(strings.TrimSpace(t.Platform)), Version: strings.TrimSpace(t.AppVersion)}
	}
	if t.OSVersion != "" {
		r.Device = &Device{OSVersion: strings.TrimSpace(t.OSVersion)}
	}
	if Validate(r) != nil {
		r.App, r.Device = nil, nil // a fact we cannot read is no fact
	}
	res := Diagnose(r, f)
	return res.Causes[0].Code, res.Causes[0].Confidence
}
