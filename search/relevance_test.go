package search_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/search"
)

// shippedIndex is an in-memory index of the shipped articles.
func shippedIndex(t testing.TB) *search.Index {
	t.Helper()
	idx, err := search.Open("")
	if err != nil {
		t.Fatal(err)
	}
	articles, err := kb.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Rebuild(articles, nil); err != nil {
		t.Fatal(err)
	}
	return idx
}

// TestRelevance measures hit@3 and mean reciprocal rank on the query set in
// testdata/queries.tsv. The floors catch a change that breaks search; the
// measured figures are in docs/benchmarks.md.
func TestRelevance(t *testing.T) {
	idx := shippedIndex(t)
	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type stats struct {
		n, hit3 int
		rr      float64
	}
	by := map[string]*stats{"zh-CN": {}, "en": {}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		lang, q, want := parts[0], parts[1], parts[2]
		res, err := idx.Search(q, lang, 10)
		if err != nil {
			t.Fatal(err)
		}
		s := by[lang]
		s.n++
		rank := 0
		for i, r := range res {
			if r.Slug == want {
				rank = i + 1
				break
			}
		}
		if rank > 0 {
			s.rr += 1 / float64(rank)
		}
		if rank >= 1 && rank <= 3 {
			s.hit3++
		} else {
			var got []string
			for _, r := range res[:min(3, len(res))] {
				got = append(got, r.Slug)
			}
			t.Logf("miss [%s] %q: want %s, rank %d, top %v", lang, q, want, rank, got)
		}
	}
	total := &stats{}
	for lang, s := range by {
		t.Logf("%s: hit@3 %.2f, MRR %.2f over %d queries", lang, float64(s.hit3)/float64(s.n), s.rr/float64(s.n), s.n)
		total.n, total.hit3, total.rr = total.n+s.n, total.hit3+s.hit3, total.rr+s.rr
	}
	hit3, mrr := float64(total.hit3)/float64(total.n), total.rr/float64(total.n)
	t.Logf("all: hit@3 %.2f, MRR %.2f over %d queries", hit3, mrr, total.n)
	if hit3 < 0.85 || mrr < 0.70 {
		t.Fatalf("relevance fell: hit@3 %.2f (floor 0.85), MRR %.2f (floor 0.70)", hit3, mrr)
	}
}

func TestSearchBasics(t *testing.T) {
	idx := shippedIndex(t)
	res, err := idx.Search("闪退", "zh-CN", 5)
	if err != nil || len(res) == 0 || res[0].Snippet == "" || res[0].Score <= 0 {
		t.Fatalf("Search = %+v, %v", res, err)
	}
	for _, r := range res {
		if strings.ContainsAny(r.Title, "abcdefghijklmnopqrstuvwxyz") && !strings.Contains(r.Title, "Wi-Fi") && !strings.Contains(r.Title, "OK") && !strings.Contains(r.Title, "iOS") && !strings.Contains(r.Title, "2FA") {
			t.Errorf("English article %q in a Chinese search", r.Title)
		}
	}
	for _, bad := range [][2]string{{"", "en"}, {strings.Repeat("x", 201), "en"}, {"x", "fr"}} {
		if _, err := idx.Search(bad[0], bad[1], 5); err == nil {
			t.Errorf("Search(%q, %q) accepted", bad[0], bad[1])
		}
	}
}
