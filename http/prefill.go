package http

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/okcare/okcare/diagnose"
)

// prefillRow is one thing the diagnosis will carry into a ticket, in the
// page's language: Key is its field in the stored prefill.
type prefillRow struct {
	Key, Label, Value string
}

// symptomText is the wizard's text key for each symptom code.
var symptomText = map[string]string{"crash": "s_crash", "stuck_loading": "s_stuck", "error_message": "s_error", "other": "s_other"}

// platformNames are how the platforms are written.
var platformNames = map[string]string{"android": "Android", "ios": "iOS"}

// prefillRows puts the stored ticket prefill of a diagnosis into words,
// in the order a person would tell it; codes become labels and the app,
// device and network facts become short phrases.
func prefillRows(result json.RawMessage, lang string) []prefillRow {
	var res struct {
		TicketPrefill struct {
			Category    string            `json:"category"`
			Symptom     string            `json:"symptom"`
			Description string            `json:"description"`
			ErrorText   string            `json:"error_text"`
			App         *diagnose.App     `json:"app"`
			Device      *diagnose.Device  `json:"device"`
			Network     *diagnose.Network `json:"network"`
		} `json:"ticket_prefill"`
	}
	json.Unmarshal(result, &res)
	p, t := res.TicketPrefill, uiText[lang]
	var rows []prefillRow
	add := func(key, value string) {
		if value = strings.TrimSpace(value); value != "" {
			rows = append(rows, prefillRow{Key: key, Label: t["pf_"+key], Value: value})
		}
	}
	if p.Category != "" {
		add("cause", diagnose.Title(p.Category, lang))
	}
	if k, ok := symptomText[p.Symptom]; ok {
		add("symptom", t[k])
	} else {
		add("symptom", p.Symptom)
	}
	add("description", p.Description)
	add("error_text", p.ErrorText)
	if a := p.App; a != nil {
		add("app", labelOf(platformNames, "", a.Platform)+" "+a.Version)
	}
	if d := p.Device; d != nil {
		var parts []string
		if d.Model != "" {
			parts = append(parts, d.Model)
		}
		if d.OSVersion != "" {
			parts = append(parts, t["dev_os"]+" "+d.OSVersion)
		}
		if d.FreeStorageMB != nil {
			parts = append(parts, fmt.Sprintf("%s %d MB", t["dev_free_storage"], *d.FreeStorageMB))
		}
		if d.FreeMemoryMB != nil {
			parts = append(parts, fmt.Sprintf("%s %d MB", t["dev_free_memory"], *d.FreeMemoryMB))
		}
		add("device", strings.Join(parts, " · "))
	}
	if n := p.Network; n != nil {
		parts := []string{labelOf(t, "net_", n.Type)}
		if n.PublicWiFi != nil && *n.PublicWiFi {
			parts = append(parts, t["net_public_wifi"])
		}
		if n.Reachable != nil && !*n.Reachable {
			parts = append(parts, t["net_unreachable"])
		}
		if n.LatencyMS != nil {
			parts = append(parts, fmt.Sprintf("%s %d ms", t["net_latency"], *n.LatencyMS))
		}
		add("network", strings.Join(parts, " · "))
	}
	return rows
}
