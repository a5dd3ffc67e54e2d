package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/search"
)

// benchKBSearch measures GET /api/v1/kb/search through the real HTTP
// server over a generated help center of n articles (n/2 pairs, see
// corpus.go) published through the store and indexed by Sync as okcare
// serve indexes them. Queries are generated from the corpus's words in
// both languages (1-3 terms, Chinese with and without spaces), with the
// project's query set and the tune part of the independent set. In the
// same run: a bare handler answering a fixed JSON of the endpoint's mean
// response size (what HTTP and the client cost), and the search library
// called directly. One client, so p99 is the latency of a call.
func benchKBSearch(ctx context.Context, kind, dsn string, n int, duration time.Duration, rounds int) error {
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	shipped, err := kb.Shipped()
	if err != nil {
		return err
	}
	// A help center of n articles: the shipped ones and generated pairs.
	articles := append(append([]*okcare.Article{}, shipped...), corpus(shipped, (n-len(shipped))/2, 1)...)
	t0 := time.Now()
	for start := 0; start < len(articles); start += 500 {
		if _, err := db.PublishShipped(ctx, articles[start:min(start+500, len(articles))]); err != nil {
			return err
		}
	}
	fmt.Printf("%s store: published %d articles (%d shipped, the rest generated) in %s\n", kind, len(articles), len(shipped), time.Since(t0).Round(time.Millisecond))
	printCorpusStats(articles)
	idx, closeIndex, err := openTempIndex("okcare-bench-kbsearch")
	if err != nil {
		return err
	}
	defer closeIndex()
	t0 = time.Now()
	if _, err := idx.Sync(ctx, db); err != nil {
		return err
	}
	count, _ := idx.Count()
	fmt.Printf("indexed %d articles from the store in %s\n", count, time.Since(t0).Round(time.Millisecond))
	idx.Settle(60 * time.Second)
	fmt.Printf("index settled after %s\n", time.Since(t0).Round(time.Millisecond))

	queries := corpusQueries(300, 2)
	project, err := readQueries("search/testdata/queries.tsv")
	if err != nil {
		return err
	}
	tune, err := readTuneQueries("search/testdata/independent.tsv")
	if err != nil {
		return err
	}
	queries = append(append(queries, project...), tune...)
	// Interleave the sets so every stretch of a run sees each kind.
	rngOrder := make([]int, len(queries))
	for i := range rngOrder {
		rngOrder[i] = (i * 7919) % len(queries)
	}

	srv := okhttp.NewServer(db, quiet)
	srv.Search = idx
	okcareURL, stop, err := serve(srv)
	if err != nil {
		return err
	}
	defer stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	searchURL := func(base string, q [3]string) string {
		return base + "/api/v1/kb/search?lang=" + url.QueryEscape(q[0]) + "&q=" + url.QueryEscape(q[1])
	}
	// The baseline answers a fixed body of the endpoint's mean size.
	total, empty := 0, 0
	var bodies [][]byte
	for _, q := range queries {
		body, err := getOK(client, searchURL(okcareURL, q), "")
		if err != nil {
			return fmt.Errorf("%s %q: %w", q[0], q[1], err)
		}
		total += len(body)
		if strings.Contains(string(body), `"results":[]`) {
			empty++
		}
		bodies = append(bodies, body)
	}
	mean := total / len(queries)
	sort.Slice(bodies, func(a, b int) bool { return abs(len(bodies[a])-mean) < abs(len(bodies[b])-mean) })
	fixed := bodies[0]
	fmt.Printf("%d queries (%d generated, %d project, %d independent tune); mean response %d bytes; %d with no answer\n",
		len(queries), len(queries)-len(project)-len(tune), len(project), len(tune), mean, empty)
	baseURL, stopBase, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.URL.Query().Get("q")
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixed)
	}))
	if err != nil {
		return err
	}
	defer stopBase()
	for round := 1; round <= rounds; round++ {
		base := drive("baseline fixed JSON", duration, 1, func(w, seq int) error {
			_, err := getOK(client, searchURL(baseURL, queries[rngOrder[seq%len(queries)]]), "")
			return err
		})
		lib := drive("search library", duration, 1, func(w, seq int) error {
			q := queries[rngOrder[seq%len(queries)]]
			_, err := idx.Search(q[1], q[0], 10)
			return err
		})
		ours := drive("GET /api/v1/kb/search", duration, 1, func(w, seq int) error {
			_, err := getOK(client, searchURL(okcareURL, queries[rngOrder[seq%len(queries)]]), "")
			return err
		})
		fmt.Printf("  round %d\n  %s\n  %s\n  %s\n", round, base, lib, ours)
		fmt.Printf("  endpoint p99 %s (goal <= 5ms); p99 over the baseline's %+.2fms; library p99 %s\n",
			ours.p99.Round(time.Microsecond), float64(ours.p99-base.p99)/1e6, lib.p99.Round(time.Microsecond))
	}
	slowestQueries(idx, queries)
	// Relevance at this size: the labelled queries (the project set and
	// the tune part of the independent set; never the held-out part)
	// must still find the shipped article that answers them among n.
	for _, keep := range []bool{true, false} {
		idx.KeepCommonTerms = keep
		fmt.Printf("  relevance among %d articles, common body terms kept %v: project set %s; independent tune %s\n",
			count, keep, relevance(idx, project), relevance(idx, tune))
	}
	idx.KeepCommonTerms = false
	return nil
}

// relevance is hit@3 and MRR@5 of a labelled set (lang, query, slug).
func relevance(idx *search.Index, set [][3]string) string {
	hit3, rr := 0.0, 0.0
	for _, q := range set {
		res, _ := idx.Search(q[1], q[0], 10)
		for k, r := range res {
			if r.Slug == q[2] {
				if k < 3 {
					hit3++
				}
				if k < 5 {
					rr += 1 / float64(k+1)
				}
				break
			}
		}
	}
	n := float64(len(set))
	return fmt.Sprintf("hit@3 %.3f MRR@5 %.3f", hit3/n, rr/n)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// printCorpusStats says how varied the corpus is.
func printCorpusStats(articles []*okcare.Article) {
	words := map[string]bool{}
	han := map[string]bool{}
	var lens []int
	front := 0
	for _, a := range articles {
		lens = append(lens, len([]rune(a.Body)))
		if strings.HasPrefix(a.Body, "---\n") {
			front++
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Title+" "+a.Body), func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
			words[w] = true
		}
		rs := []rune(a.Title + a.Body)
		for i := 0; i+1 < len(rs); i++ {
			if rs[i] >= 0x4e00 && rs[i] <= 0x9fff && rs[i+1] >= 0x4e00 && rs[i+1] <= 0x9fff {
				han[string(rs[i:i+2])] = true
			}
		}
	}
	sort.Ints(lens)
	fmt.Printf("corpus: %d distinct English words, %d distinct Chinese character pairs; body length p10/p50/p90/max %d/%d/%d/%d characters; %d with front matter\n",
		len(words), len(han), lens[len(lens)/10], lens[len(lens)/2], lens[len(lens)*9/10], lens[len(lens)-1], front)
}
