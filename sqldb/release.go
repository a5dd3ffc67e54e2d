package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/token"
	"github.com/okcare/okcare/version"
)

// validateRelease checks a release policy: versions parse, the minimum is
// not above the latest, and the update URL is an absolute http(s) URL.
func validateRelease(p *okcare.ReleasePolicy) error {
	if !okcare.ValidPlatform(p.Platform) {
		return okcare.Errorf(okcare.EINVALID, "platform must be android or ios.")
	}
	for _, v := range []struct{ name, value string }{{"min_version", p.MinVersion}, {"latest_version", p.LatestVersion}, {"min_os_version", p.MinOSVersion}} {
		if _, err := version.Parse(v.value); err != nil {
			return okcare.Errorf(okcare.EINVALIDVERSION, "%s %q is not a version.", v.name, v.value)
		}
	}
	if less, _ := version.Less(p.LatestVersion, p.MinVersion); less {
		return okcare.Errorf(okcare.EINVALID, "latest_version is below min_version.")
	}
	u, err := url.Parse(p.UpdateURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.UpdateURL) > 2048 {
		return okcare.Errorf(okcare.EINVALID, "update_url must be an absolute http(s) URL.")
	}
	if len(p.KnownBad) > 100 {
		return okcare.Errorf(okcare.EINVALID, "At most 100 known-bad versions.")
	}
	for _, kb := range p.KnownBad {
		if _, err := version.Parse(kb.Version); err != nil {
			return okcare.Errorf(okcare.EINVALIDVERSION, "known_bad version %q is not a version.", kb.Version)
		}
		if utf8.RuneCountInString(kb.Note) > 500 || utf8.RuneCountInString(kb.NoteEN) > 500 {
			return okcare.Errorf(okcare.EINVALID, "A known-bad note is at most 500 characters.")
		}
	}
	return nil
}

// SetReleasePolicy replaces the policy of p.Platform.
func (db *DB) SetReleasePolicy(ctx context.Context, p *okcare.ReleasePolicy) error {
	if err := validateRelease(p); err != nil {
		return err
	}
	if p.KnownBad == nil {
		p.KnownBad = []okcare.KnownBadVersion{}
	}
	knownBad, err := json.Marshal(p.KnownBad)
	if err != nil {
		return err
	}
	defer db.releases.forget(p.Platform) // after the commit
	return db.inTx(ctx, func(tx *Tx) error {
		p.UpdatedAt = fromMicros(micros(tx.now))
		_, err := tx.exec(ctx, `INSERT INTO releases (platform, min_version, latest_version, min_os_version, update_url, known_bad, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform) DO UPDATE SET min_version = excluded.min_version, latest_version = excluded.latest_version,
			min_os_version = excluded.min_os_version, update_url = excluded.update_url, known_bad = excluded.known_bad,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			p.Platform, p.MinVersion, p.LatestVersion, p.MinOSVersion, p.UpdateURL, string(knownBad), micros(tx.now), p.UpdatedBy)
		if err != nil || !strings.HasPrefix(p.UpdatedBy, "agent:") {
			return err
		}
		return appendAudit(ctx, tx, p.UpdatedBy, "release.set_policy", "platform:"+p.Platform, p)
	})
}

// ReleasePolicy returns the policy of a platform.
func (db *DB) ReleasePolicy(ctx context.Context, platform string) (*okcare.ReleasePolicy, error) {
	return releasePolicy(ctx, db, platform)
}

func releasePolicy(ctx context.Context, q querier, platform string) (*okcare.ReleasePolicy, error) {
	var p okcare.ReleasePolicy
	var knownBad string
	var updated int64
	err := q.queryRow(ctx, `SELECT platform, min_version, latest_version, min_os_version, update_url, known_bad, updated_at, updated_by FROM releases WHERE platform = ?`, platform).
		Scan(&p.Platform, &p.MinVersion, &p.LatestVersion, &p.MinOSVersion, &p.UpdateURL, &knownBad, &updated, &p.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No release policy for %q.", platform)
	} else if err != nil {
		return nil, err
	}
	p.UpdatedAt = fromMicros(updated)
	return &p, json.Unmarshal([]byte(knownBad), &p.KnownBad)
}

func validateIncident(inc *okcare.Incident) error {
	switch {
	case strings.TrimSpace(inc.Title) == "" || utf8.RuneCountInString(inc.Title) > 200:
		return okcare.Errorf(okcare.EINVALID, "title is required (at most 200 characters).")
	case utf8.RuneCountInString(inc.Message) > 5000 || utf8.RuneCountInString(inc.MessageEN) > 5000:
		return okcare.Errorf(okcare.EINVALID, "message is at most 5000 characters.")
	case utf8.RuneCountInString(inc.TitleEN) > 200:
		return okcare.Errorf(okcare.EINVALID, "title_en is at most 200 characters.")
	case inc.Severity != okcare.SeverityMinor && inc.Severity != okcare.SeverityMajor && inc.Severity != okcare.SeverityMaintenance:
		return okcare.Errorf(okcare.EINVALID, "severity must be minor, major or maintenance.")
	case !okcare.ValidIncidentStatus(inc.Status):
		return okcare.Errorf(okcare.EINVALID, "status must be investigating, identified, monitoring or resolved.")
	}
	return nil
}

// CreateIncident opens an incident with its first update.
func (db *DB) CreateIncident(ctx context.Context, inc *okcare.Incident) error {
	if inc.Status == "" {
		inc.Status = okcare.IncidentInvestigating
	}
	if err := validateIncident(inc); err != nil {
		return err
	}
	inc.ID = token.ID("inc_")
	return db.inTx(ctx, func(tx *Tx) error {
		now := fromMicros(micros(tx.now))
		inc.CreatedAt, inc.UpdatedAt = now, now
		if inc.Status == okcare.IncidentResolved {
			inc.ResolvedAt = &now
		}
		_, err := tx.exec(ctx, `INSERT INTO incidents (id, title, message, title_en, message_en, severity, status, created_at, updated_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inc.ID, inc.Title, inc.Message, inc.TitleEN, inc.MessageEN, inc.Severity, inc.Status, micros(now), micros(now), nullMicros(inc.ResolvedAt))
		if err != nil {
			return err
		}
		inc.Updates = []okcare.IncidentUpdate{{Status: inc.Status, Message: inc.Message, MessageEN: inc.MessageEN, At: now}}
		if err := insertIncidentUpdate(ctx, tx, inc.ID, inc.Status, inc.Message, inc.MessageEN); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actorOr(inc.By), "incident.create", "incident:"+inc.ID, map[string]string{"title": inc.Title, "severity": string(inc.Severity), "status": inc.Status})
	})
}

// actorOr names an actor for the audit log, "unknown" when none was given.
func actorOr(by string) string {
	if by == "" {
		return "unknown"
	}
	return by
}

func insertIncidentUpdate(ctx context.Context, tx *Tx, id, status, message, messageEN string) error {
	_, err := tx.exec(ctx, `INSERT INTO incident_updates (incident_id, status, message, message_en, at) VALUES (?, ?, ?, ?, ?)`, id, status, message, messageEN, micros(tx.now))
	return err
}

// UpdateIncident applies a patch and records it in the incident's history.
func (db *DB) UpdateIncident(ctx context.Context, id string, patch okcare.IncidentPatch) (*okcare.Incident, error) {
	var inc *okcare.Incident
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if inc, err = findIncident(ctx, tx, id, db.dialect.ForUpdate); err != nil {
			return err
		}
		if patch.Title != nil {
			inc.Title = *patch.Title
		}
		if patch.Message != nil {
			inc.Message = *patch.Message
		}
		if patch.TitleEN != nil {
			inc.TitleEN = *patch.TitleEN
		}
		if patch.MessageEN != nil {
			inc.MessageEN = *patch.MessageEN
		}
		if patch.Severity != nil {
			inc.Severity = *patch.Severity
		}
		if patch.Status != nil {
			inc.Status = *patch.Status
		}
		if err := validateIncident(inc); err != nil {
			return err
		}
		now := fromMicros(micros(tx.now))
		inc.UpdatedAt = now
		if inc.Status == okcare.IncidentResolved && inc.ResolvedAt == nil {
			inc.ResolvedAt = &now
			if err := tellIncidentResolved(ctx, tx, inc); err != nil {
				return err
			}
		} else if inc.Status != okcare.IncidentResolved {
			inc.ResolvedAt = nil
		}
		_, err = tx.exec(ctx, `UPDATE incidents SET title = ?, message = ?, title_en = ?, message_en = ?, severity = ?, status = ?, updated_at = ?, resolved_at = ? WHERE id = ?`,
			inc.Title, inc.Message, inc.TitleEN, inc.MessageEN, inc.Severity, inc.Status, micros(now), nullMicros(inc.ResolvedAt), id)
		if err != nil {
			return err
		}
		if err := insertIncidentUpdate(ctx, tx, id, inc.Status, inc.Message, inc.MessageEN); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actorOr(patch.By), "incident.update", "incident:"+id, map[string]string{"status": inc.Status, "severity": string(inc.Severity)}); err != nil {
			return err
		}
		inc.Updates, err = incidentUpdates(ctx, tx, id)
		return err
	})
	return inc, err
}

func findIncident(ctx context.Context, tx querier, id, lock string) (*okcare.Incident, error) {
	var inc okcare.Incident
	var created, updated int64
	var resolved sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, title, message, title_en, message_en, severity, status, created_at, updated_at, resolved_at FROM incidents WHERE id = ?`+lock, id).
		Scan(&inc.ID, &inc.Title, &inc.Message, &inc.TitleEN, &inc.MessageEN, &inc.Severity, &inc.Status, &created, &updated, &resolved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, okcare.Errorf(okcare.ENOTFOUND, "No such incident.")
	} else if err != nil {
		return nil, err
	}
	inc.CreatedAt, inc.UpdatedAt, inc.ResolvedAt = fromMicros(created), fromMicros(updated), fromNullMicros(resolved)
	return &inc, nil
}

func incidentUpdates(ctx context.Context, tx querier, id string) ([]okcare.IncidentUpdate, error) {
	rows, err := tx.query(ctx, `SELECT status, message, message_en, at FROM incident_updates WHERE incident_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []okcare.IncidentUpdate
	for rows.Next() {
		var u okcare.IncidentUpdate
		var at int64
		if err := rows.Scan(&u.Status, &u.Message, &u.MessageEN, &at); err != nil {
			return nil, err
		}
		u.At = fromMicros(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Incidents lists incidents newest first, with their updates.
func (db *DB) Incidents(ctx context.Context, activeOnly bool) ([]*okcare.Incident, error) {
	q := `SELECT id FROM incidents`
	args := []any{}
	if activeOnly {
		q += ` WHERE status <> ?`
		args = append(args, okcare.IncidentResolved)
	}
	ids, err := db.idList(ctx, q+` ORDER BY created_at DESC, id LIMIT 100`, args...)
	if err != nil {
		return nil, err
	}
	out := []*okcare.Incident{}
	for _, id := range ids {
		inc, err := db.incident(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, nil
}

// FindIncident returns one incident with its updates.
func (db *DB) FindIncident(ctx context.Context, id string) (*okcare.Incident, error) {
	return db.incident(ctx, id)
}

func (db *DB) incident(ctx context.Context, id string) (*okcare.Incident, error) {
	inc, err := findIncident(ctx, db, id, "")
	if err != nil {
		return nil, err
	}
	inc.Updates, err = incidentUpdates(ctx, db, id)
	return inc, err
}
