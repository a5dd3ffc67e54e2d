package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// result summarises one load run.
type result struct {
	name     string
	requests int
	errors   int64
	elapsed  time.Duration
	p50, p99 time.Duration
}

func (r result) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r result) String() string {
	return fmt.Sprintf("%-22s %9.0f/s  p50 %-9s p99 %-9s (%d ops, %d errors)", r.name, r.perSecond(),
		r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.requests, r.errors)
}

// drive runs op from concurrency goroutines for duration and measures each
// call. op gets its worker number and a per-worker sequence number.
func drive(name string, duration time.Duration, concurrency int, op func(worker, seq int) error) result {
	var wg sync.WaitGroup
	var errs atomic.Int64
	latencies := make([][]time.Duration, concurrency)
	start := time.Now()
	stop := start.Add(duration)
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for seq := 0; time.Now().Before(stop); seq++ {
				t0 := time.Now()
				if err := op(w, seq); err != nil {
					if errs.Add(1) == 1 {
						fmt.Println("  first error:", err)
					}
				}
				latencies[w] = append(latencies[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := result{name: name, requests: len(all), errors: errs.Load(), elapsed: elapsed}
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}

// getOK fetches url with c (with bearer as its token, if any) and returns
// the body of a 200 answer; any other status is an error naming it.
func getOK(c *http.Client, url, bearer string) ([]byte, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	return body, err
}
