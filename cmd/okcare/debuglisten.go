package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// debugListener serves Go's profiler (/debug/pprof/) on an address of its
// own, apart from the public listener, so that an operator can profile a
// running node without exposing it: off unless --debug-listen is given,
// and meant for loopback or an operations network.
type debugListener struct {
	server   *http.Server
	listener net.Listener
}

// debugHandler is the profiler's routes, nothing else.
func debugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// start listens on addr; an empty addr leaves the profiler off.
func (d *debugListener) start(addr string, logger *slog.Logger) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--debug-listen %s: %w", addr, err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		logger.Warn("the profiler listens beyond loopback: keep this address off the public network", "addr", ln.Addr().String())
	}
	// A CPU profile or trace runs for up to its ?seconds=; allow a minute.
	d.listener = ln
	d.server = &http.Server{Handler: debugHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 70 * time.Second}
	logger.Info("profiler listening", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	go func() {
		if err := d.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("profiler", "error", err)
		}
	}()
	return nil
}

// addr is where the profiler listens; empty when it is off.
func (d *debugListener) addr() string {
	if d.listener == nil {
		return ""
	}
	return d.listener.Addr().String()
}

func (d *debugListener) close() error {
	if d.server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return d.server.Shutdown(ctx)
}
