package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
)

// benchBootstrap compares GET /app/v1/bootstrap (signed in, on a store of
// `accounts` users, each with a session) with a bare net/http handler that returns a JSON body of
// the same size, both driven by the same load generator over loopback.
func benchBootstrap(ctx context.Context, accounts int, duration time.Duration, concurrency, rounds int, keep string, writes int) error {
	db, tokens, cleanup, err := bootstrapStore(ctx, accounts, keep)
	if err != nil {
		return err
	}
	defer cleanup()
	if rounds == 0 {
		return nil // -rounds 0 -keep DIR only loads
	}
	if writes > 0 {
		// A deployment's other traffic commits all the time, and every
		// commit costs SQLite's readers their map and page cache.
		stop := make(chan struct{})
		defer close(stop)
		go backgroundWrites(db, accounts, writes, stop)
		fmt.Printf("background: %d commits/s (one user row rewritten each)\n", writes)
	}

	okcareURL, stop1, err := serve(okhttp.NewServer(db, quiet))
	if err != nil {
		return err
	}
	defer stop1()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency * 2}}
	const query = "/app/v1/bootstrap?platform=android&app_version=5.2.0&os_version=14"
	sample, err := getOK(client, okcareURL+query, tokens[0])
	if err != nil {
		return err
	}
	baselineURL, stop2, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(sample)
	}))
	if err != nil {
		return err
	}
	defer stop2()
	fmt.Printf("response body %d bytes; %d clients, %s per run, runs alternate\n", len(sample), concurrency, duration)

	// Alternate the two, and take the median of the per-round ratios, so that
	// a burst of noise in one run does not decide the result.
	var ratios []float64
	for round := 0; round < rounds; round++ {
		base := drive("baseline net/http", duration, concurrency, func(w, seq int) error {
			_, err := getOK(client, baselineURL+query, "")
			return err
		})
		ours := drive("okcare bootstrap", duration, concurrency, func(w, seq int) error {
			_, err := getOK(client, okcareURL+query, tokens[(w*7919+seq)%len(tokens)])
			return err
		})
		ratios = append(ratios, ours.perSecond()/base.perSecond())
		fmt.Printf("  round %d\n  %s\n  %s\n  ratio %.2f\n", round+1, base, ours, ratios[round])
	}
	sort.Float64s(ratios)
	fmt.Printf("throughput ratio okcare/baseline, median of %d rounds: %.2f (goal >= 0.5)\n", rounds, ratios[len(ratios)/2])
	return nil
}

// serve starts h on a loopback port and returns its URL.
// serveStaticPage serves page as HTML at every path: the baseline a page
// of okcare's is measured against.
func serveStaticPage(page []byte) (string, func(), error) {
	return serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// bootstrapStore opens a store of `accounts` users with a session each and
// returns it with the tokens the load uses: 10,000 spread over the whole
// range. With keep set, the database and those tokens are kept in that
// directory and reused by later runs with the same -accounts (loading a
// million accounts takes minutes); without it they are thrown away.
func bootstrapStore(ctx context.Context, accounts int, keep string) (*sqldb.DB, []string, func(), error) {
	tokensFile := filepath.Join(keep, fmt.Sprintf("tokens-%d.txt", accounts))
	if keep != "" {
		if b, err := os.ReadFile(tokensFile); err == nil {
			path := filepath.Join(keep, fmt.Sprintf("okcare-%d.db", accounts))
			if err := warm(path); err != nil {
				return nil, nil, nil, err
			}
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				return nil, nil, nil, err
			}
			db.PasswordParams = password.TestParams
			tokens := strings.Fields(string(b))
			fmt.Printf("reusing %s: %d tokens\n", keep, len(tokens))
			return db, tokens, func() { db.Close() }, nil
		}
	}
	var db *sqldb.DB
	var cleanup func()
	var err error
	if keep != "" {
		if err := os.MkdirAll(keep, 0o755); err != nil {
			return nil, nil, nil, err
		}
		db, cleanup, err = openStoreAt(ctx, filepath.Join(keep, fmt.Sprintf("okcare-%d.db", accounts)))
	} else {
		db, cleanup, err = openStore(ctx, "sqlite", "")
	}
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error) (*sqldb.DB, []string, func(), error) { cleanup(); return nil, nil, nil, err }
	hash, _ := password.Hash("bench-password-1", password.TestParams)
	emails := make([]string, accounts)
	for i := range emails {
		emails[i] = fmt.Sprintf("bench%06d@bench.okwallet.example", i)
	}
	fmt.Printf("loading %d accounts ...\n", accounts)
	t0 := time.Now()
	ids, err := db.ImportUsers(ctx, emails, hash, "100000", func(done int) {
		if done%100000 == 0 || done == accounts {
			fmt.Printf("  %d/%d accounts (%s)\n", done, accounts, time.Since(t0).Round(time.Second))
		}
	})
	if err != nil {
		return fail(err)
	}
	// Every account signed in once: a sessions table as large as the users
	// table, as a deployed wallet has (the load then uses tokens spread
	// over the whole range).
	t0 = time.Now()
	all, err := db.ImportSessions(ctx, ids, func(done int) {
		if done%100000 == 0 || done == accounts {
			fmt.Printf("  %d/%d sessions (%s)\n", done, accounts, time.Since(t0).Round(time.Second))
		}
	})
	if err != nil {
		return fail(err)
	}
	var pages, pageSize int64
	db.SQL().QueryRow(`PRAGMA page_count`).Scan(&pages)
	db.SQL().QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	fmt.Printf("database holds %d accounts and %d sessions in %d MiB\n", accounts, len(all), pages*pageSize>>20)
	var tokens []string
	for i := 0; i < len(all); i += max(1, len(all)/10000) {
		tokens = append(tokens, all[i])
	}
	if keep != "" {
		if err := os.WriteFile(tokensFile, []byte(strings.Join(tokens, "\n")+"\n"), 0o600); err != nil {
			return fail(err)
		}
		cleanup = func() { db.Close() } // keep the file
	}
	return db, tokens, cleanup, nil
}

// warm reads the kept database once, so that each run starts with it in
// the OS page cache. Left idle for a few minutes, a file's cached pages
// can be reclaimed (the standard machine runs DAMON's proactive reclaim),
// and a run against it then reads from disk: main measured 15-50 req/s
// instead of thousands when the other build's file had just been used.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// backgroundWrites commits about perSecond single-row updates a second
// (a user row rewritten unchanged) until stop is closed.
func backgroundWrites(db *sqldb.DB, accounts, perSecond int, stop chan struct{}) {
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
			db.SQL().Exec(`UPDATE users SET lang = lang WHERE rowid = ?`, 1+(i*7919)%max(accounts, 1))
		}
	}
}
