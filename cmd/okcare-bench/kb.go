package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/search"
)

// benchKB measures help-center search and the diagnosis engine with n
// articles indexed on disk, as okcare serve keeps them. Search is set
// against a naive substring scan of the same texts; the diagnosis engine
// against a JSON round trip of the same request. Both run one client so
// that p99 is the latency of a call, not of a queue.
func benchKB(ctx context.Context, n int, duration time.Duration) error {
	shipped, err := kb.Shipped()
	if err != nil {
		return err
	}
	// n articles: the shipped ones, then variants with other slugs and a
	// few words shuffled in, so the index has n distinct documents.
	rng := rand.New(rand.NewPCG(1, 2))
	filler := strings.Fields("钱包 账户 安全 网络 设置 手机 版本 更新 客服 wallet account security network settings phone version update support balance transfer")
	articles := make([]*okcare.Article, 0, n)
	for i := 0; len(articles) < n; i++ {
		base := shipped[i%len(shipped)]
		a := *base
		if i >= len(shipped) {
			a.Slug = fmt.Sprintf("%s-%d", base.Slug, i)
			extra := make([]string, 20)
			for j := range extra {
				extra[j] = filler[rng.IntN(len(filler))]
			}
			a.Body += "\n\n" + strings.Join(extra, " ")
		}
		articles = append(articles, &a)
	}
	idx, closeIndex, err := openTempIndex("okcare-bench-kb")
	if err != nil {
		return err
	}
	defer closeIndex()
	t0 := time.Now()
	if err := idx.Rebuild(articles, nil); err != nil {
		return err
	}
	fmt.Printf("indexed %d articles in %s\n", n, time.Since(t0).Round(time.Millisecond))
	idx.Settle(60 * time.Second)
	fmt.Printf("index settled (background merges done) after %s\n", time.Since(t0).Round(time.Millisecond))

	queries, err := readQueries("search/testdata/queries.tsv")
	if err != nil {
		return err
	}
	// And the tune part of the independent set: cross-language, mixed and
	// platform questions. Never its held-out part, whose queries nobody
	// here reads (the slowest are printed below).
	tune, err := readTuneQueries("search/testdata/independent.tsv")
	if err != nil {
		return err
	}
	queries = append(queries, tune...)
	texts := make([]string, len(articles))
	for i, a := range articles {
		texts[i] = strings.ToLower(a.Title + " " + a.Body)
	}
	scan := drive("baseline substring scan", duration, 1, func(w, seq int) error {
		q := strings.ToLower(queries[seq%len(queries)][1])
		hits := 0
		for _, t := range texts {
			if strings.Contains(t, q) {
				hits++
			}
		}
		return nil
	})
	fmt.Println(" ", scan)
	ours := drive("okcare search", duration, 1, func(w, seq int) error {
		q := queries[seq%len(queries)]
		_, err := idx.Search(q[1], q[0], 10)
		return err
	})
	fmt.Println(" ", ours)
	fmt.Printf("search over %d queries: p99 %s (goal <= 5ms); %.1fx the scan's throughput\n", len(queries), ours.p99.Round(time.Microsecond), ours.perSecond()/scan.perSecond())
	slowestQueries(idx, queries)

	reqs := diagnoseRequests(queries)
	facts := diagnose.Facts{Policies: map[string]*okcare.ReleasePolicy{"android": {Platform: "android", MinVersion: "5.0.0", LatestVersion: "5.3.0", MinOSVersion: "8",
		KnownBad: []okcare.KnownBadVersion{{Version: "5.1.2", Note: "crash"}}}}, Now: time.Now()}
	roundTrip := drive("baseline JSON round trip", duration, 1, func(w, seq int) error {
		raw, _ := json.Marshal(reqs[seq%len(reqs)])
		var back diagnose.Request
		return json.Unmarshal(raw, &back)
	})
	fmt.Println(" ", roundTrip)
	engine := drive("okcare diagnose", duration, 1, func(w, seq int) error {
		diagnose.Diagnose(reqs[seq%len(reqs)], facts)
		return nil
	})
	fmt.Println(" ", engine)
	fmt.Printf("diagnosis p99 %s (goal <= 2ms); %.2f of the round trip's throughput\n", engine.p99.Round(time.Microsecond), engine.perSecond()/roundTrip.perSecond())
	return benchDiagnoseEndpoint(ctx, reqs, duration)
}

// benchDiagnoseEndpoint measures POST /api/v1/diagnose end to end on the
// embedded store (decode, validate, diagnose, store, respond), against a bare
// handler that decodes the same body and answers a same-size response.
func benchDiagnoseEndpoint(ctx context.Context, reqs []*diagnose.Request, duration time.Duration) error {
	db, cleanup, err := openStore(ctx, "sqlite", "")
	if err != nil {
		return err
	}
	defer cleanup()
	bodies := make([][]byte, len(reqs))
	for i, r := range reqs {
		bodies[i], _ = json.Marshal(r)
	}
	okcareURL, stop1, err := serve(okhttp.NewServer(db, quiet))
	if err != nil {
		return err
	}
	defer stop1()
	client := &http.Client{}
	post := func(url string, body []byte) ([]byte, error) {
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		if resp.StatusCode != 201 {
			return nil, fmt.Errorf("status %d: %s", resp.StatusCode, out)
		}
		return out, err
	}
	sample, err := post(okcareURL+"/api/v1/diagnose", bodies[0])
	if err != nil {
		return err
	}
	baseURL, stop2, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req diagnose.Request
		json.NewDecoder(r.Body).Decode(&req)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		w.Write(sample)
	}))
	if err != nil {
		return err
	}
	defer stop2()
	base := drive("baseline decode+reply", duration, 1, func(w, seq int) error {
		_, err := post(baseURL+"/api/v1/diagnose", bodies[seq%len(bodies)])
		return err
	})
	fmt.Println(" ", base)
	ours := drive("okcare POST /diagnose", duration, 1, func(w, seq int) error {
		_, err := post(okcareURL+"/api/v1/diagnose", bodies[seq%len(bodies)])
		return err
	})
	fmt.Println(" ", ours)
	fmt.Printf("diagnosis endpoint p99 %s (stored on SQLite, relaxed commit); %.2f of the baseline's throughput\n", ours.p99.Round(time.Microsecond), ours.perSecond()/base.perSecond())
	return nil
}

func readQueries(path string) ([][3]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w (run from the repository root)", err)
	}
	defer f.Close()
	var out [][3]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		out = append(out, [3]string{p[0], p[1], p[2]})
	}
	return out, sc.Err()
}

// readTuneQueries reads the split=tune rows of the independent set
// (columns split, lang, query, relevant) as lang, query, first relevant.
func readTuneQueries(path string) ([][3]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w (run from the repository root)", err)
	}
	defer f.Close()
	var out [][3]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) == 4 && p[0] == "tune" {
			first, _, _ := strings.Cut(p[3], ",")
			out = append(out, [3]string{p[1], p[2], first})
		}
	}
	return out, sc.Err()
}

// diagnoseRequests turns the queries into full diagnosis requests.
func diagnoseRequests(queries [][3]string) []*diagnose.Request {
	free, lat := 150, 2000
	var out []*diagnose.Request
	for i, q := range queries {
		r := &diagnose.Request{Lang: q[0], Symptom: []string{"crash", "stuck_loading", "error_message", "other"}[i%4], Description: q[1],
			App:    &diagnose.App{Platform: "android", Version: []string{"5.1.2", "5.3.0", "4.9.0"}[i%3]},
			Device: &diagnose.Device{OSVersion: "14", FreeStorageMB: &free}, Network: &diagnose.Network{Type: "wifi", LatencyMS: &lat}}
		out = append(out, r)
	}
	return out
}

// slowestQueries prints the five queries with the highest median latency,
// to show where the tail comes from.
func slowestQueries(idx *search.Index, queries [][3]string) {
	type timing struct {
		q      string
		median time.Duration
	}
	var all []timing
	for _, q := range queries {
		var ds []time.Duration
		for i := 0; i < 15; i++ {
			t0 := time.Now()
			idx.Search(q[1], q[0], 10)
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		all = append(all, timing{q[0] + " " + q[1], ds[len(ds)/2]})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].median > all[j].median })
	fmt.Print("  slowest queries (median of 15):")
	for _, t := range all[:min(5, len(all))] {
		fmt.Printf(" %q %s;", t.q, t.median.Round(time.Microsecond))
	}
	fmt.Println()
}

// openTempIndex opens a search index in a new temporary directory; close
// closes it and removes the directory.
func openTempIndex(prefix string) (idx *search.Index, close func(), err error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, err
	}
	idx, err = search.Open(filepath.Join(dir, "kb.bleve"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return idx, func() { idx.Close(); os.RemoveAll(dir) }, nil
}
