package http

import (
	"context"
	"net/http"
	"time"

	"github.com/okcare/okcare"
)

// statusLabels name the overall state in both languages.
var statusLabels = map[string][2]string{
	"operational": {"所有服务运行正常", "All systems operational"},
	"degraded":    {"部分服务受到影响", "Some services are affected"},
	"outage":      {"服务出现重大故障", "Major service outage"},
	"maintenance": {"系统维护中", "Under maintenance"},
}

// overallStatus is the worst state among active incidents.
func overallStatus(active []*okcare.Incident) string {
	status := "operational"
	for _, inc := range active {
		switch {
		case inc.Severity == okcare.SeverityMajor:
			return "outage"
		case inc.Severity == okcare.SeverityMaintenance:
			status = "maintenance"
		case status == "operational":
			status = "degraded"
		}
	}
	return status
}

// recentResolved is how far back resolved incidents are shown.
const recentResolved = 14 * 24 * time.Hour

// statusReport is the service status at one moment.
type statusReport struct {
	status           string
	active, resolved []*okcare.Incident
}

func (r *statusReport) label(lang string) string {
	if lang == okcare.LangZH {
		return statusLabels[r.status][0]
	}
	return statusLabels[r.status][1]
}

// statusReport splits incidents into active ones and those resolved
// recently, and names the overall state; the status API and page share it.
func (s *Server) statusReport(ctx context.Context) (*statusReport, error) {
	all, err := s.Store.Incidents(ctx, false)
	if err != nil {
		return nil, err
	}
	rep := &statusReport{active: []*okcare.Incident{}, resolved: []*okcare.Incident{}}
	now := s.Now()
	for _, inc := range all {
		if inc.Status != okcare.IncidentResolved {
			rep.active = append(rep.active, inc)
		} else if inc.ResolvedAt != nil && now.Sub(*inc.ResolvedAt) < recentResolved {
			rep.resolved = append(rep.resolved, inc)
		}
	}
	rep.status = overallStatus(rep.active)
	return rep, nil
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	rep, err := s.statusReport(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"status":     rep.status,
		"label":      map[string]string{"zh-CN": rep.label(okcare.LangZH), "en": rep.label(okcare.LangEN)},
		"active":     rep.active,
		"resolved":   rep.resolved,
		"updated_at": s.Now().UTC(),
	})
}
