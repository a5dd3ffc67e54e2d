package diagnose

import _ "embed"

//go:embed examples.tsv
var examplesTSV string

// Examples returns the shipped labelled example set.
func Examples() []Example { return parseExamples(examplesTSV) }

// textModel is trained once, at start-up, on the whole example set.
var textModel = train(parseExamples(examplesTSV))
