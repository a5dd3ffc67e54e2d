package main

import (
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
)

// runExportLabels runs `okcare kb export-labels`: the agents' category
// corrections, as TSV (cause, lang, text first: the diagnosis model's
// training format) or JSON, to standard output or a file.
func runExportLabels(ctx context.Context, args []string) error {
	c, fs, err := parseConfig("kb export-labels", args)
	if err != nil {
		return err
	}
	format := fs.String("format", "tsv", "tsv or json")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *format != "tsv" && *format != "json" {
		return usageError("--format must be tsv or json")
	}
	db, _, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	var all []*okcare.CategoryLabel
	for after := ""; ; {
		page, err := db.CategoryLabels(ctx, after, 10000)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < 10000 {
			break
		}
		after = page[len(page)-1].ID
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if *format == "json" {
		if all == nil {
			all = []*okcare.CategoryLabel{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"labels": all})
	}
	return okhttp.WriteLabelsTSV(w, all)
}
