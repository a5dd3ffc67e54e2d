package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare/sqldb"
)

// benchScans times the periodic jobs' reads (first-response and resolution
// SLA scans, the pending-ticket reminder scan, due follow-ups, and the
// waiting queue offered to agents) on stores holding each of sizes
// tickets with nothing due: 90% solved or closed, the rest open with
// targets a month ahead. Each scan should cost about the same at every
// size; the ratio to the smallest size says whether it does.
func benchScans(ctx context.Context, kind, dsn, sizes string, runs int) error {
	var ns []int
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a ticket count", s)
		}
		ns = append(ns, n)
	}
	scans := []struct {
		name string
		run  func(db *sqldb.DB, now time.Time) error
	}{
		{"SLA scan (first response + resolution)", func(db *sqldb.DB, now time.Time) error {
			_, _, err := db.SLAScan(ctx, now, 15*time.Minute)
			return err
		}},
		{"pending reminders", func(db *sqldb.DB, now time.Time) error {
			_, _, err := db.PendingScan(ctx, now, 72*time.Hour, 7*24*time.Hour)
			return err
		}},
		{"due follow-ups", func(db *sqldb.DB, now time.Time) error { _, err := db.SendDueFollowUps(ctx, now); return err }},
		{"waiting queue, nobody online", func(db *sqldb.DB, now time.Time) error { _, err := db.AssignWaiting(ctx); return err }},
	}
	medians := make([][]time.Duration, len(scans))
	for _, n := range ns {
		db, cleanup, err := openStore(ctx, kind, dsn)
		if err != nil {
			return err
		}
		now := time.Now()
		statuses := []string{"solved", "closed", "solved", "closed", "solved", "closed", "solved", "closed", "solved", "new", "open", "solved", "closed", "solved", "closed", "solved", "closed", "solved", "pending", "on_hold"}
		t0 := time.Now()
		err = db.ImportTickets(ctx, n, func(i int) sqldb.ImportTicket {
			created := now.Add(-time.Duration(n-i) * time.Second)
			return sqldb.ImportTicket{ContactEmail: fmt.Sprintf("s%d@bench.example", i%5000), Channel: "email", Status: statuses[i%len(statuses)],
				Category: "unknown", Lang: "zh-CN", Subject: "打不开", Body: "一直转圈", CreatedAt: created, FirstResponseDue: now.Add(30 * 24 * time.Hour)}
		}, nil)
		if err != nil {
			cleanup()
			return err
		}
		if _, err := db.SQL().ExecContext(ctx, `ANALYZE`); err != nil {
			cleanup()
			return err
		}
		fmt.Printf("%s store, %d tickets (loaded in %s):\n", kind, n, time.Since(t0).Round(time.Second))
		for i, s := range scans {
			var took []time.Duration
			for r := 0; r < runs; r++ {
				start := time.Now()
				if err := s.run(db, now); err != nil {
					cleanup()
					return fmt.Errorf("%s: %w", s.name, err)
				}
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(a, b int) bool { return took[a] < took[b] })
			med := took[len(took)/2]
			medians[i] = append(medians[i], med)
			fmt.Printf("  %-40s median %-10s max %s\n", s.name, med.Round(time.Microsecond), took[len(took)-1].Round(time.Microsecond))
		}
		cleanup()
	}
	fmt.Printf("ratio of each size's median to the %d-ticket one (goal: within 2x):\n", ns[0])
	for i, s := range scans {
		fmt.Printf("  %-40s", s.name)
		for j := range ns {
			fmt.Printf("  %d: %.2fx", ns[j], float64(medians[i][j])/float64(medians[i][0]))
		}
		fmt.Println()
	}
	return nil
}
