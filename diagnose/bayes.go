package diagnose

import (
	"bufio"
	"math"
	"sort"
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

// model is a multinomial naive Bayes classifier over text features with
// Laplace smoothing. Small, explainable and enough for a few hundred
// examples; the rules in rules.go carry the server-side truth.
type model struct {
	causes     []string
	prior      map[string]float64            // log P(cause)
	likelihood map[string]map[string]float64 // log P(feature | cause)
	unseen     map[string]float64            // log P(unseen feature | cause)
	vocab      map[string]bool
}

// train fits the model.
func train(examples []Example) *model {
	m := &model{prior: map[string]float64{}, likelihood: map[string]map[string]float64{}, unseen: map[string]float64{}, vocab: map[string]bool{}}
	counts := map[string]map[string]float64{}
	totals := map[string]float64{}
	docs := map[string]float64{}
	for _, e := range examples {
		if counts[e.Cause] == nil {
			counts[e.Cause] = map[string]float64{}
			m.causes = append(m.causes, e.Cause)
		}
		docs[e.Cause]++
		for _, f := range features(e.Text) {
			counts[e.Cause][f]++
			totals[e.Cause]++
			m.vocab[f] = true
		}
	}
	sort.Strings(m.causes)
	v := float64(len(m.vocab))
	for _, c := range m.causes {
		m.prior[c] = math.Log(docs[c] / float64(len(examples)))
		m.likelihood[c] = map[string]float64{}
		for f, n := range counts[c] {
			m.likelihood[c][f] = math.Log((n + 1) / (totals[c] + v))
		}
		m.unseen[c] = math.Log(1 / (totals[c] + v))
	}
	return m
}

// posterior returns P(cause | text) for every cause, and how many of the
// text's features the model has ever seen (0 means it knows nothing).
func (m *model) posterior(text string) (map[string]float64, int) {
	feats := features(text)
	known := 0
	for _, f := range feats {
		if m.vocab[f] {
			known++
		}
	}
	scores := map[string]float64{}
	best := math.Inf(-1)
	for _, c := range m.causes {
		s := m.prior[c]
		for _, f := range feats {
			if !m.vocab[f] {
				continue // a feature never seen says nothing about any cause
			}
			if l, ok := m.likelihood[c][f]; ok {
				s += l
			} else {
				s += m.unseen[c]
			}
		}
		scores[c] = s
		best = math.Max(best, s)
	}
	var sum float64
	for c, s := range scores {
		scores[c] = math.Exp(s - best)
		sum += scores[c]
	}
	for c := range scores {
		scores[c] /= sum
	}
	return scores, known
}

// classify returns the most probable cause.
func (m *model) classify(text string) string {
	post, _ := m.posterior(text)
	best, bestP := "", -1.0
	for _, c := range m.causes {
		if post[c] > bestP {
			best, bestP = c, post[c]
		}
	}
	return best
}

// trainModel fits the classifier.
func trainModel(examples []Example) *model { return train(examples) }
