package okcare

import (
	"context"
	"time"
)

// Platforms the app ships on.
const (
	PlatformAndroid = "android"
	PlatformIOS     = "ios"
	// PlatformWeb is a browser signed in on the help center: a session
	// platform, not one the app ships on.
	PlatformWeb = "web"
)

// ValidPlatform reports whether p is a platform the app ships on.
func ValidPlatform(p string) bool { return p == PlatformAndroid || p == PlatformIOS }

// KnownBadVersion is an app version with a known defect (a crash on launch,
// say) and a note for the user: Note in Chinese, NoteEN in English (Note
// when empty), so neither language reads the other.
type KnownBadVersion struct {
	Version string `json:"version"`
	Note    string `json:"note"`
	NoteEN  string `json:"note_en,omitempty"`
}

// LocalizedNote is the note in lang.
func (k KnownBadVersion) LocalizedNote(lang string) string {
	if lang == LangEN && k.NoteEN != "" {
		return k.NoteEN
	}
	return k.Note
}

// ReleasePolicy is what the server requires of the app on one platform.
type ReleasePolicy struct {
	Platform      string            `json:"platform"`
	MinVersion    string            `json:"min_version"`
	LatestVersion string            `json:"latest_version"`
	MinOSVersion  string            `json:"min_os_version"`
	UpdateURL     string            `json:"update_url"`
	KnownBad      []KnownBadVersion `json:"known_bad"`
	UpdatedAt     time.Time         `json:"updated_at"`
	UpdatedBy     string            `json:"updated_by,omitempty"`
}

// IncidentSeverity says how bad an incident is.
type IncidentSeverity string

// Incident severities.
const (
	SeverityMinor       IncidentSeverity = "minor"
	SeverityMajor       IncidentSeverity = "major"
	SeverityMaintenance IncidentSeverity = "maintenance"
)

// Incident statuses. Every status but resolved is active.
const (
	IncidentInvestigating = "investigating"
	IncidentIdentified    = "identified"
	IncidentMonitoring    = "monitoring"
	IncidentResolved      = "resolved"
)

// ValidIncidentStatus reports whether s is a known incident status.
func ValidIncidentStatus(s string) bool {
	switch s {
	case IncidentInvestigating, IncidentIdentified, IncidentMonitoring, IncidentResolved:
		return true
	}
	return false
}

// Incident is a service problem or planned maintenance shown to users.
type Incident struct {
	ID         string           `json:"id"`
	Title      string           `json:"title"`
	Message    string           `json:"message"`
	TitleEN    string           `json:"title_en,omitempty"`
	MessageEN  string           `json:"message_en,omitempty"`
	Severity   IncidentSeverity `json:"severity"`
	Status     string           `json:"status"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
	ResolvedAt *time.Time       `json:"resolved_at,omitempty"`
	Updates    []IncidentUpdate `json:"updates,omitempty"`
	// By is who opened it ("agent:<id>", "system:demo"), for the audit log.
	By string `json:"-"`
}

// IncidentUpdate is one message in an incident's history.
type IncidentUpdate struct {
	Status    string    `json:"status"`
	Message   string    `json:"message"`
	MessageEN string    `json:"message_en,omitempty"`
	At        time.Time `json:"at"`
}

// Localized returns the incident's title and message in lang, falling back
// to the primary (Chinese) text where no English was written.
func (inc *Incident) Localized(lang string) (title, message string) {
	title, message = inc.Title, inc.Message
	if lang == "en" && inc.TitleEN != "" {
		title = inc.TitleEN
	}
	if lang == "en" && inc.MessageEN != "" {
		message = inc.MessageEN
	}
	return title, message
}

// IncidentPatch changes an incident; nil fields stay as they are.
type IncidentPatch struct {
	// By is who makes the change, for the audit log.
	By        string
	Title     *string
	Message   *string
	TitleEN   *string
	MessageEN *string
	Severity  *IncidentSeverity
	Status    *string
}

// ReleaseService keeps the app release policy and incidents.
type ReleaseService interface {
	// SetReleasePolicy replaces the policy of p.Platform. Returns EINVALID,
	// EINVALIDVERSION.
	SetReleasePolicy(ctx context.Context, p *ReleasePolicy) error

	// ReleasePolicy returns ENOTFOUND if the platform has no policy yet.
	ReleasePolicy(ctx context.Context, platform string) (*ReleasePolicy, error)

	// CreateIncident opens an incident. Returns EINVALID.
	CreateIncident(ctx context.Context, inc *Incident) error

	// UpdateIncident applies a patch and records it in the history.
	// Returns EINVALID, ENOTFOUND.
	UpdateIncident(ctx context.Context, id string, patch IncidentPatch) (*Incident, error)

	// Incidents lists incidents newest first; activeOnly leaves out resolved ones.
	Incidents(ctx context.Context, activeOnly bool) ([]*Incident, error)

	// FindIncident returns one incident with its updates. Returns ENOTFOUND.
	FindIncident(ctx context.Context, id string) (*Incident, error)
}
