package http

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// handleSetCategory corrects a ticket's category (an agent's label).
func (s *Server) handleSetCategory(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Category string `json:"category"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.Store.SetTicketCategory(r.Context(), r.PathValue("id"), req.Category, agentFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// handleCategoryLabels exports the agents' corrections as labelled data:
// JSON by default, or TSV (?format=tsv) with the cause, language and text
// first, the way the diagnosis model's training sets are written.
func (s *Server) handleCategoryLabels(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 1000
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "limit must be 1-10000."))
			return
		}
		limit = n
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "tsv" {
		s.Error(w, r, okcare.Errorf(okcare.EINVALID, "format must be json or tsv."))
		return
	}
	labels, err := s.Store.CategoryLabels(r.Context(), q.Get("after"), limit)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if format != "tsv" {
		writeJSON(w, http.StatusOK, map[string]any{"labels": labels})
		return
	}
	w.Header().Set("Content-Type", "text/tab-separated-values; charset=utf-8")
	WriteLabelsTSV(w, labels)
}

// WriteLabelsTSV writes category labels as TSV with a header line; tabs
// and line breaks inside a text become spaces.
func WriteLabelsTSV(w io.Writer, labels []*okcare.CategoryLabel) error {
	clean := strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")
	if _, err := io.WriteString(w, "cause\tlang\ttext\tfrom\tfrom_source\tfrom_confidence\tticket_id\tagent_id\tcreated_at\tid\n"); err != nil {
		return err
	}
	for _, l := range labels {
		conf := ""
		if l.FromConfidence != nil {
			conf = strconv.FormatFloat(*l.FromConfidence, 'f', 2, 64)
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Category, l.Lang, clean.Replace(l.Text), l.From, l.FromSource, conf,
			l.TicketID, l.AgentID, l.CreatedAt.UTC().Format(time.RFC3339), l.ID); err != nil {
			return err
		}
	}
	return nil
}
