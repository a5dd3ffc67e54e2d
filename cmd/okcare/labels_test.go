package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okcare/okcare"
)

// TestExportLabelsCommand: okcare kb export-labels writes the agents'
// category corrections as TSV (the training format) and as JSON.
func TestExportLabelsCommand(t *testing.T) {
	ctx := context.Background()
	dir := dataDir(t)
	db, _, err := openStore(ctx, &Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "x@example.com", Channel: okcare.ChannelMail, Lang: "en", Intake: okcare.Intake{Description: "my phone was stolen\tyesterday"}})
	if err == nil {
		_, err = db.SetTicketCategory(ctx, tk.ID, "scam_contact", "agt_1")
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	tsv, js := filepath.Join(dir, "labels.tsv"), filepath.Join(dir, "labels.json")
	if err := run(ctx, []string{"kb", "export-labels", "--data-dir", dir, "--out", tsv}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(tsv)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "scam_contact\ten\tmy phone was stolen yesterday\tdevice_lost\tmodel\t") {
		t.Fatalf("TSV:\n%s", raw)
	}
	if err := run(ctx, []string{"kb", "export-labels", "--data-dir", dir, "--format", "json", "--out", js}); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Labels []okcare.CategoryLabel }
	raw, _ = os.ReadFile(js)
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Labels) != 1 || doc.Labels[0].Category != "scam_contact" || doc.Labels[0].From != "device_lost" {
		t.Fatalf("JSON %s: %v", raw, err)
	}
	if err := run(ctx, []string{"kb", "export-labels", "--data-dir", dir, "--format", "xml"}); err == nil {
		t.Fatal("an unknown format was accepted")
	}
}
