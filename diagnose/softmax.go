package diagnose

import (
	"bufio"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The diagnosis model is a multinomial logistic regression (softmax) over
// every piece of evidence at once: the symptom, each device and network
// fact graded (storage and memory in bins, versions against the policy),
// the server's truth (account state, incidents) and the text (lexicon
// concepts, Chinese character n-grams, English words and trigrams). Facts
// explain a symptom away because they compete in one normalisation: a
// 20 MB phone's storage weight outweighs what "闪退" says for
// app_malfunction, where a noisy-OR only ever added belief. Facts that rule
// a cause out (situation.excluded) take it out of the normalisation, both
// in training and here, so the model never has to learn what the server
// already knows.
//
// The weights are trained offline by `go generate ./diagnose` (which runs
// `go test -run TestTrainModel -update`, train_test.go) on the tune split of testdata/independent.tsv,
// the shipped examples.tsv and facts-combined variants of them, and
// committed as model.tsv; training is deterministic.

//go:generate go test -run TestTrainModel -update .

//go:embed model.tsv
var modelTSV string

// feature is one named input and its value.
type feature struct {
	name string
	v    float64
}

// softmax is a trained model.
type softmax struct {
	causes      []string
	index       map[string]int
	w           [][]float64 // one row per feature, one column per cause
	temperature float64
}

// featurize returns the situation of a request and the model's inputs.
func featurize(r *Request, f Facts) (*situation, []feature) {
	s := resolve(r, f)
	var out []feature
	for _, name := range s.factFeatures(r) {
		out = append(out, feature{name, 1})
	}
	grams := ngrams(s.text)
	if len(grams) > 0 {
		v := 1 / math.Sqrt(float64(len(grams)))
		seen := map[string]bool{}
		for _, g := range grams {
			if !seen[g] {
				seen[g] = true
				out = append(out, feature{g, v})
			}
		}
	}
	for _, c := range s.concepts {
		out = append(out, feature{c, 1})
	}
	return s, out
}

// probs returns P(cause | features) with the excluded causes at zero, and
// how many of the text's features the model knows.
func (m *softmax) probs(feats []feature, excluded map[string]bool) ([]float64, int) {
	logits := make([]float64, len(m.causes))
	known := 0
	for _, f := range feats {
		row, ok := m.index[f.name]
		if !ok {
			continue
		}
		if isTextFeature(f.name) {
			known++
		}
		for j, w := range m.w[row] {
			logits[j] += w * f.v
		}
	}
	return normalise(logits, m.causes, excluded, m.temperature), known
}

func isTextFeature(name string) bool {
	return len(name) > 2 && name[1] == ':' && strings.ContainsRune("cbwts", rune(name[0]))
}

// normalise turns logits into probabilities over the causes not excluded.
func normalise(logits []float64, causes []string, excluded map[string]bool, temperature float64) []float64 {
	p := make([]float64, len(logits))
	best := math.Inf(-1)
	for j, l := range logits {
		if !excluded[causes[j]] {
			best = math.Max(best, l/temperature)
		}
	}
	var sum float64
	for j, l := range logits {
		if excluded[causes[j]] {
			continue
		}
		p[j] = math.Exp(l/temperature - best)
		sum += p[j]
	}
	for j := range p {
		p[j] /= sum
	}
	return p
}

// parseModel reads model.tsv: a "causes" line, a "temperature" line, then
// one line per feature with a weight per cause.
func parseModel(data string) (*softmax, error) {
	m := &softmax{index: map[string]int{}, temperature: 1}
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, _ := strings.Cut(line, "\t")
		fields := strings.Split(rest, "\t")
		switch name {
		case "causes":
			m.causes = fields
			continue
		case "temperature":
			t, err := strconv.ParseFloat(rest, 64)
			if err != nil || t <= 0 {
				return nil, fmt.Errorf("bad temperature %q", rest)
			}
			m.temperature = t
			continue
		}
		if len(fields) != len(m.causes) {
			return nil, fmt.Errorf("feature %q has %d weights for %d causes", name, len(fields), len(m.causes))
		}
		row := make([]float64, len(fields))
		for j, s := range fields {
			w, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("feature %q: %w", name, err)
			}
			row[j] = w
		}
		m.index[name] = len(m.w)
		m.w = append(m.w, row)
	}
	if len(m.causes) == 0 {
		return nil, fmt.Errorf("no causes line")
	}
	return m, sc.Err()
}

// format writes the model as model.tsv, features in a stable order and
// weights rounded to four decimals; features whose weights all round to
// zero are left out.
func (m *softmax) format(header string, order []string) string {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("causes\t" + strings.Join(m.causes, "\t") + "\n")
	fmt.Fprintf(&b, "temperature\t%.4f\n", m.temperature)
	for _, name := range order {
		row := m.w[m.index[name]]
		var cells []string
		zero := true
		for _, w := range row {
			s := strconv.FormatFloat(w, 'f', 4, 64)
			if s == "-0.0000" {
				s = "0.0000"
			}
			if s != "0.0000" {
				zero = false
			}
			cells = append(cells, strings.TrimRight(strings.TrimRight(s, "0"), "."))
		}
		if zero && name != "bias" {
			continue
		}
		for i, c := range cells {
			if c == "" || c == "-" {
				cells[i] = "0"
			}
		}
		b.WriteString(name + "\t" + strings.Join(cells, "\t") + "\n")
	}
	return b.String()
}

// trained is the shipped model, read once at start-up.
var trained = func() *softmax {
	m, err := parseModel(modelTSV)
	if err != nil {
		panic("diagnose: model.tsv: " + err.Error())
	}
	return m
}()

// textSupport is, per cause, how much more than average the text's own
// features speak for it: above zero, the description is evidence for it.
func (m *softmax) textSupport(feats []feature) []float64 {
	t := make([]float64, len(m.causes))
	for _, f := range feats {
		row, ok := m.index[f.name]
		if !ok || !isTextFeature(f.name) {
			continue
		}
		for j, w := range m.w[row] {
			t[j] += w * f.v
		}
	}
	var mean float64
	for _, x := range t {
		mean += x / float64(len(t))
	}
	for j := range t {
		t[j] -= mean + 0.5
	}
	return t
}

// top is the cause Diagnose ranks first: the likeliest of those the
// server's truth establishes, if any, else the likeliest of all.
func top(causes []string, p []float64, blocking map[string]bool) int {
	best := -1
	for j, c := range causes {
		if blocking[c] && (best < 0 || p[j] > p[best]) {
			best = j
		}
	}
	if best >= 0 {
		return best
	}
	return argmax(p)
}

func argmax(p []float64) int {
	best := 0
	for i, x := range p {
		if x > p[best] {
			best = i
		}
	}
	return best
}
