package diagnose

import (
	"bufio"
	"strings"
)

// Example is one labelled description from the shipped example set.
type Example struct {
	Cause string
	Text  string
}

// parseExamples reads "cause<TAB>text" lines; "#" starts a comment.
func parseExamples(data string) []Example {
	var out []Example
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cause, text, ok := strings.Cut(line, "\t")
		if ok {
			out = append(out, Example{Cause: strings.TrimSpace(cause), Text: strings.TrimSpace(text)})
		}
	}
	return out
}

// Split divides examples into a training part and a held-out part: every
// fourth example of each cause is held out, so both parts cover every cause.
func Split(examples []Example) (train, heldOut []Example) {
	seen := map[string]int{}
	for _, e := range examples {
		if seen[e.Cause]%4 == 3 {
			heldOut = append(heldOut, e)
		} else {
			train = append(train, e)
		}
		seen[e.Cause]++
	}
	return train, heldOut
}
