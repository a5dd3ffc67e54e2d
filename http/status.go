package http

import (
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

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	all, err := s.Store.Incidents(r.Context(), false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	active, resolved := []*okcare.Incident{}, []*okcare.Incident{}
	now := s.Now()
	for _, inc := range all {
		if inc.Status != okcare.IncidentResolved {
			active = append(active, inc)
		} else if inc.ResolvedAt != nil && now.Sub(*inc.ResolvedAt) < recentResolved {
			resolved = append(resolved, inc)
		}
	}
	status := overallStatus(active)
	writeJSON(w, http.StatusOK, map[string]any{
		"status":     status,
		"label":      map[string]string{"zh-CN": statusLabels[status][0], "en": statusLabels[status][1]},
		"active":     active,
		"resolved":   resolved,
		"updated_at": now.UTC(),
	})
}
