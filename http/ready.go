package http

import (
	"context"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/okcare/okcare"
)

// ReadyCheck is one part of /readyz.
type ReadyCheck struct {
	// Name keys the check's result in the answer's "checks".
	Name string
	// Critical checks fail readiness when they fail; the others (the job
	// queue, NATS: accelerators and background work the node serves
	// without) are only reported.
	Critical bool
	// Check reports detail worth showing, or why the node cannot do its
	// part. It runs with the readiness deadline.
	Check func(ctx context.Context) (detail any, err error)
}

// AddReadyCheck adds a check to /readyz. Packages that own a dependency
// (the job runner, the NATS relay) register theirs at start-up.
func (s *Server) AddReadyCheck(c ReadyCheck) {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	s.ready.checks = append(s.ready.checks, c)
}

// readiness holds the registered checks and the drain state.
type readiness struct {
	mu     sync.Mutex
	checks []ReadyCheck
	// drainCtx is made by NewServer and cancelled by StartDraining:
	// sockets watch it with context.AfterFunc, no goroutine each.
	drainCtx   context.Context
	startDrain context.CancelFunc
}

// StartDraining makes /readyz answer 503 "draining" from now on, so that
// load balancers stop sending this node new work before it stops. It is
// the first step of a graceful shutdown; long-lived connections (chat
// sockets) watch Draining to tell their clients to reconnect elsewhere.
func (s *Server) StartDraining() {
	s.ready.startDrain()
}

// Draining is closed once StartDraining has been called.
func (s *Server) Draining() <-chan struct{} { return s.ready.drainCtx.Done() }

func (s *Server) isDraining() bool {
	select {
	case <-s.Draining():
		return true
	default:
		return false
	}
}

// heartbeater is a store that can prove it takes writes (sqldb.DB does).
type heartbeater interface {
	Heartbeat(ctx context.Context, node string) error
}

// checkResult is one check in the /readyz answer.
type checkResult struct {
	OK       bool    `json:"ok"`
	Critical bool    `json:"critical"`
	Millis   float64 `json:"ms"`
	Error    string  `json:"error,omitempty"` // an error code: unavailable, storage_full, internal
	Detail   any     `json:"detail,omitempty"`
}

// readyChecks are the built-in checks, then the registered ones. The node
// is ready when it can read and write its database and write its disk:
// SELECT 1 alone stayed green through a full disk that failed every write.
func (s *Server) readyChecks() []ReadyCheck {
	checks := []ReadyCheck{{Name: "database", Critical: true, Check: func(ctx context.Context) (any, error) {
		return nil, s.Store.Ping(ctx)
	}}}
	if hb, ok := s.Store.(heartbeater); ok {
		checks = append(checks, ReadyCheck{Name: "database_write", Critical: true, Check: func(ctx context.Context) (any, error) {
			return nil, hb.Heartbeat(ctx, s.Chat.Node)
		}})
	}
	if s.ProbeDir != "" {
		checks = append(checks, ReadyCheck{Name: "disk", Critical: true, Check: func(ctx context.Context) (any, error) {
			return nil, probeDisk(s.ProbeDir)
		}})
	}
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	return append(checks, s.ready.checks...)
}

// probeDisk creates a small file in dir, syncs it and removes it: a new
// file needs new blocks, which a full disk does not have.
func probeDisk(dir string) error {
	f, err := os.CreateTemp(dir, ".okcare-ready-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(make([]byte, 4096)); err != nil {
		return err
	}
	return f.Sync()
}

// ReadyTimeout bounds every readiness check.
const ReadyTimeout = 2 * time.Second

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.isDraining() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining", "node": s.Chat.Node})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), ReadyTimeout)
	defer cancel()
	checks := s.readyChecks()
	results := make([]checkResult, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			detail, err := runCheck(ctx, c.Check)
			results[i] = checkResult{OK: err == nil, Critical: c.Critical, Millis: float64(time.Since(start).Microseconds()) / 1000, Detail: detail}
			if err != nil {
				results[i].Error = okcare.ErrorCode(err)
				s.Logger.Warn("readiness check failed", "check", c.Name, "error", err)
			}
		}()
	}
	wg.Wait()
	status, ready := http.StatusOK, "ready"
	out := map[string]checkResult{}
	for i, c := range checks {
		out[c.Name] = results[i]
		if c.Critical && !results[i].OK {
			status, ready = http.StatusServiceUnavailable, "unavailable"
		}
	}
	writeJSON(w, status, map[string]any{"status": ready, "node": s.Chat.Node, "checks": out})
}

// runCheck runs check, giving up when ctx ends even if the check does not
// (a write blocked in the kernel on a dying disk).
func runCheck(ctx context.Context, check func(context.Context) (any, error)) (any, error) {
	type result struct {
		detail any
		err    error
	}
	done := make(chan result, 1)
	go func() {
		d, err := check(ctx)
		done <- result{d, err}
	}()
	select {
	case r := <-done:
		return r.detail, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
