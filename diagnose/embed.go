package diagnose

import _ "embed"

//go:embed examples.tsv
var examplesTSV string

// Examples returns the shipped labelled example set.
func Examples() []Example { return parseExamples(examplesTSV) }
