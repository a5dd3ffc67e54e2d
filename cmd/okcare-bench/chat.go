package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// benchChat measures live chat round trips at stepped offered rates: N
// chats, each a customer socket and an agent socket; the customer side
// sends at a fixed rate over all chats (open loop: chat i sends its j-th
// message at (i + j·N)/rate seconds into the step), the agent's client
// answers each message as it arrives, and the customer measures from the
// time the message was due to the arrival of its answer. After each step
// the load stops for drain; an answer not in by then is lost (or stuck).
// The same load runs against each target in its own process: okcare
// (real HTTP server and store), the bare fan-out server and, given its
// binary, Centrifugo. Stepping stops for a target once a step's p99 is
// past collapseP99 or it loses more than 1% of answers.
func benchChat(ctx context.Context, o chatOptions) error {
	var rows []chatRun
	for _, target := range o.targets {
		runs, err := chatTarget(ctx, o, target)
		if err != nil {
			return fmt.Errorf("%s: %w", target, err)
		}
		rows = append(rows, runs...)
	}
	fmt.Printf("\nhighest offered rate with p99 <= %s and nothing lost:\n", o.goal)
	best := map[string]int{}
	for _, r := range rows {
		if r.p99 <= o.goal && r.lost == 0 && r.rate > best[r.target] {
			best[r.target] = r.rate
		}
	}
	for _, t := range o.targets {
		fmt.Printf("  %-10s %d msg/s\n", t, best[t])
	}
	if c := best["centrifugo"]; c > 0 && contains(o.targets, "okcare") {
		fmt.Printf("okcare / centrifugo: %.2f\n", float64(best["okcare"])/float64(c))
	}
	if b := best["bare"]; b > 0 && contains(o.targets, "okcare") {
		fmt.Printf("okcare / bare: %.2f\n", float64(best["okcare"])/float64(b))
	}
	return nil
}

// chatOptions are the chat benchmark's flags.
type chatOptions struct {
	targets       []string
	store, dsn    string
	chats         int
	rates         []int
	step, drain   time.Duration
	goal          time.Duration
	centrifugo    string
	serverProfile string // okcare's CPU profile, written by its process
	sockets       []int  // idle mode
	heapProfile   string // idle mode: okcare's heap at the largest count
	waiting       bool   // idle mode: okcare's chats left waiting in the queue
}

// collapseP99 is the p99 past which higher rates are not tried.
const collapseP99 = 2 * time.Second

// chatRun is one step's result.
type chatRun struct {
	target              string
	rate                int
	sent, answered      int
	lost, late, refused int
	closed              int // sockets the server had closed by the step's end
	p50, p99, max       time.Duration
	cores               float64 // the server's CPU over the step
	rss                 int64
	// written is what the server process sent to storage over the step
	// and its drain (/proc/PID/io write_bytes: the store's log, its
	// checkpoints, anything else it wrote).
	written int64
}

func (r chatRun) String() string {
	return fmt.Sprintf("%-10s %5d msg/s  sent %6d  p50 %-9s p99 %-9s max %-9s lost %d (late %d) refused %d  server %.2f cores, RSS %d MiB",
		r.target, r.rate, r.sent, r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.max.Round(time.Millisecond),
		r.lost, r.late, r.refused, r.cores, r.rss>>20) + r.disk()
}

// disk is the step's disk writes, in all and per round trip (two stored
// messages for okcare), or nothing for a server that wrote nothing.
func (r chatRun) disk() string {
	if r.written == 0 || r.sent == 0 {
		return ""
	}
	return fmt.Sprintf(", wrote %.1f MiB (%.1f KiB a round trip)", float64(r.written)/(1<<20), float64(r.written)/float64(r.sent)/1024)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// startTarget starts a target's server process with chats chats and
// returns the protocol to speak to it.
func startTarget(o chatOptions, target string, chats int, profile string, answered bool) (*child, chatProto, func() int64, error) {
	d := newDialer()
	none := func() int64 { return 0 }
	switch target {
	case "okcare":
		args := []string{"-store", o.store, "-postgres", o.dsn, "-chats", strconv.Itoa(chats)}
		if profile != "" {
			args = append(args, "-cpuprofile", profile)
		}
		if answered {
			args = append(args, "-answered")
		}
		c, setup, err := startChild("chat-serve", args...)
		if err != nil {
			return nil, nil, nil, err
		}
		p := &okcareProto{setup: setup, d: d}
		return c, p, p.refused.Load, nil
	case "bare":
		c, setup, err := startChild("chat-serve-bare", "-chats", strconv.Itoa(chats))
		if err != nil {
			return nil, nil, nil, err
		}
		return c, &bareProto{setup: setup, d: d}, none, nil
	case "centrifugo":
		if o.centrifugo == "" {
			return nil, nil, nil, fmt.Errorf("give the Centrifugo binary with -centrifugo")
		}
		c, setup, err := startCentrifugo(o.centrifugo, chats)
		if err != nil {
			return nil, nil, nil, err
		}
		return c, &centrifugoProto{setup: setup, d: d}, none, nil
	}
	return nil, nil, nil, fmt.Errorf("unknown target %q (okcare, bare, centrifugo)", target)
}

// openAll opens n sockets with open, 64 at a time.
func openAll(ctx context.Context, n int, open func(ctx context.Context, i int) (*websocket.Conn, error)) ([]*websocket.Conn, error) {
	conns := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	var first atomic.Value
	sem := make(chan struct{}, 64)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			octx, done := context.WithTimeout(ctx, 30*time.Second)
			defer done()
			c, err := open(octx, i)
			if err != nil {
				first.CompareAndSwap(nil, fmt.Errorf("socket %d: %w", i, err))
				return
			}
			conns[i] = c
		}(i)
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		for _, c := range conns {
			if c != nil {
				c.CloseNow()
			}
		}
		return nil, err
	}
	return conns, nil
}

// roundTrips tracks the messages of one step awaiting their answers.
type roundTrips struct {
	mu        sync.Mutex
	step      int
	due       map[string]time.Time // chat:k: when the message was due
	latencies []time.Duration
	late      int // answers for a step already closed
}

func (rt *roundTrips) expect(key string, due time.Time) {
	rt.mu.Lock()
	rt.due[key] = due
	rt.mu.Unlock()
}

func (rt *roundTrips) answered(step int, key string, at time.Time) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if step != rt.step {
		rt.late++
		return
	}
	if due, ok := rt.due[key]; ok {
		delete(rt.due, key)
		rt.latencies = append(rt.latencies, at.Sub(due))
	}
}

// chatTarget runs every rate step against one target.
func chatTarget(ctx context.Context, o chatOptions, target string) ([]chatRun, error) {
	profile := ""
	if target == "okcare" {
		profile = o.serverProfile
	}
	srv, proto, refused, err := startTarget(o, target, o.chats, profile, false)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t0 := time.Now()
	customers, err := openAll(ctx, o.chats, func(ctx context.Context, i int) (*websocket.Conn, error) { return proto.open(ctx, i, "customer") })
	if err != nil {
		return nil, err
	}
	agents, err := openAll(ctx, o.chats, func(ctx context.Context, i int) (*websocket.Conn, error) { return proto.open(ctx, i, "agent") })
	if err != nil {
		return nil, err
	}
	defer func() {
		for i := range customers {
			customers[i].CloseNow()
			agents[i].CloseNow()
		}
	}()
	fmt.Printf("%s: %d chats open (%d sockets) in %s; server RSS %d MiB\n", target, o.chats, 2*o.chats, time.Since(t0).Round(time.Millisecond), srv.rss()>>20)
	// Sockets the server closes are counted, with the first reason: the
	// load clients do not reconnect, so their chats' answers are lost.
	var closed atomic.Int64
	var firstClose atomic.Value
	closedBy := func(side string, i int, err error) {
		if ctx.Err() == nil {
			closed.Add(1)
			firstClose.CompareAndSwap(nil, fmt.Sprintf("%s socket of chat %d: %v", side, i, err))
		}
	}
	rt := &roundTrips{step: -1}
	var stepNo atomic.Int64
	stepNo.Store(-1)
	for i := 0; i < o.chats; i++ {
		go func(i int) { // the agent's client answers each customer message
			for {
				_, data, err := agents[i].Read(ctx)
				if err != nil {
					closedBy("agent", i, err)
					return
				}
				for _, m := range proto.parse(ctx, agents[i], data) {
					if rest, ok := strings.CutPrefix(m.Body, "m:"); ok && m.From == "customer" {
						wctx, done := context.WithTimeout(ctx, 10*time.Second)
						agents[i].Write(wctx, websocket.MessageText, proto.frame(i, "agent", "a-"+rest, "r:"+rest))
						done()
					}
				}
			}
		}(i)
		go func(i int) { // the customer's client waits for the answers
			for {
				_, data, err := customers[i].Read(ctx)
				if err != nil {
					closedBy("customer", i, err)
					return
				}
				at := time.Now()
				for _, m := range proto.parse(ctx, customers[i], data) {
					if rest, ok := strings.CutPrefix(m.Body, "r:"); ok && m.From == "agent" {
						step, key, _ := strings.Cut(rest, ":")
						n, _ := strconv.Atoi(step)
						rt.answered(n, key, at)
					}
				}
			}
		}(i)
	}
	// A warm-up step first, not reported: every chat's first message (the
	// first write on a socket, the first reply in a ticket) costs more.
	steps := append([]int{-1}, o.rates...)
	var runs []chatRun
	for s, rate := range steps {
		warmUp := rate < 0
		stepLen := o.step
		if warmUp {
			rate, stepLen = min(500, o.chats), time.Duration(float64(o.chats)/float64(min(500, o.chats))*float64(time.Second))+time.Millisecond
		}
		rt.mu.Lock()
		rt.step, rt.due, rt.latencies, rt.late = s, map[string]time.Time{}, nil, 0
		rt.mu.Unlock()
		stepNo.Store(int64(s))
		refusedBefore, cpuBefore, writtenBefore := refused(), srv.cpu(), srv.written()
		start := time.Now()
		end := start.Add(stepLen)
		var sent atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < o.chats; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for j := 0; ; j++ {
					due := start.Add(time.Duration((float64(i) + float64(j)*float64(o.chats)) / float64(rate) * float64(time.Second)))
					if !due.Before(end) {
						return
					}
					time.Sleep(time.Until(due))
					key := fmt.Sprintf("%d:%d", i, j)
					rt.expect(key, due)
					sent.Add(1)
					wctx, done := context.WithTimeout(ctx, 10*time.Second)
					customers[i].Write(wctx, websocket.MessageText, proto.frame(i, "customer", fmt.Sprintf("c-%d-%s", s, key), fmt.Sprintf("m:%d:%s", s, key)))
					done()
				}
			}(i)
		}
		wg.Wait()
		cpu := srv.cpu() - cpuBefore
		elapsed := time.Since(start)
		rss := srv.rss()
		// Drain: the answers still on their way may come in.
		for deadline := time.Now().Add(o.drain); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			rt.mu.Lock()
			n := len(rt.due)
			rt.mu.Unlock()
			if n == 0 {
				break
			}
		}
		rt.mu.Lock()
		r := chatRun{target: target, rate: rate, sent: int(sent.Load()), answered: len(rt.latencies), lost: len(rt.due), late: rt.late,
			refused: int(refused() - refusedBefore), cores: cpu.Seconds() / elapsed.Seconds(), rss: rss, written: srv.written() - writtenBefore}
		lat := rt.latencies
		rt.step = -1 // answers from now on are late
		rt.mu.Unlock()
		// Percentiles over every message sent: a lost answer counts as
		// slower than any that came (shown as the step and drain together).
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		pct := func(k int) time.Duration {
			if i := r.sent * k / 100; i < len(lat) {
				return lat[i]
			}
			return o.step + o.drain
		}
		r.p50, r.p99 = pct(50), pct(99)
		if len(lat) > 0 {
			r.max = lat[len(lat)-1]
		}
		r.closed = int(closed.Load())
		if r.closed > 0 {
			fmt.Printf("  %d sockets closed by the server so far; first: %s\n", r.closed, firstClose.Load())
		}
		if warmUp {
			fmt.Printf("  warm-up: %d of %d answered\n", r.answered, r.sent)
			continue
		}
		fmt.Println(" ", r)
		runs = append(runs, r)
		if r.p99 > collapseP99 || r.lost*100 > r.sent {
			fmt.Printf("  %s: collapsed at %d msg/s; higher rates not tried\n", target, rate)
			break
		}
	}
	return runs, nil
}

// benchChatIdle opens, for each target, idle customer sockets in stages up
// to each count of o.sockets (one chat each), waits for the server to
// settle, and reports its RSS over the RSS it had with no socket open.
// The clients read (and so answer pings) but send nothing.
func benchChatIdle(ctx context.Context, o chatOptions) error {
	most := o.sockets[len(o.sockets)-1]
	for _, target := range o.targets {
		srv, proto, _, err := startTarget(o, target, most, "", !o.waiting)
		if err != nil {
			return fmt.Errorf("%s: %w", target, err)
		}
		time.Sleep(2 * time.Second)
		base, baseFile := srv.memory()
		fmt.Printf("%s: server RSS %d MiB (file-backed %d MiB) with %d chats and no socket\n", target, base>>20, baseFile>>20, most)
		cctx, cancel := context.WithCancel(ctx)
		var open []*websocket.Conn
		var closed atomic.Int64
		var firstClose atomic.Value
		prevN, prevRSS := 0, base
		for _, n := range o.sockets {
			t0 := time.Now()
			more, err := openAll(cctx, n-len(open), func(ctx context.Context, i int) (*websocket.Conn, error) {
				return proto.open(ctx, len(open)+i, "customer")
			})
			if err != nil {
				cancel()
				srv.stop()
				return fmt.Errorf("%s: %w", target, err)
			}
			for _, c := range more {
				go func(c *websocket.Conn) {
					for {
						_, data, err := c.Read(cctx)
						if err != nil {
							if cctx.Err() == nil {
								closed.Add(1)
								firstClose.CompareAndSwap(nil, err.Error())
							}
							return
						}
						proto.parse(cctx, c, data)
					}
				}(c)
			}
			open = append(open, more...)
			opened := time.Since(t0)
			cpu0 := srv.cpu()
			time.Sleep(10 * time.Second) // a few ping rounds and status refreshes
			cpu := srv.cpu() - cpu0
			rss, file := srv.memory()
			if n := int(closed.Load()); n > 0 {
				fmt.Printf("  %d of %d sockets closed by the server (first: %s); the figures below are over the open ones\n", n, len(open), firstClose.Load())
			}
			n = len(open) - int(closed.Load())
			fmt.Printf("  %-10s %6d idle sockets (opened in %s): server RSS %5d MiB, %.1f KiB a socket over the empty server, %.1f KiB a socket over the last stage; %.1f CPU-seconds in 10 s idle (%.2f cores)\n",
				target, n, opened.Round(time.Millisecond), rss>>20, float64(rss-base)/float64(n)/1024, float64(rss-prevRSS)/float64(n-prevN)/1024, cpu.Seconds(), cpu.Seconds()/10)
			anon, baseAnon := rss-file, base-baseFile
			fmt.Printf("  %-10s %6s of which file-backed %d MiB (memory-mapped store pages); without them %d MiB, %.1f KiB a socket over the empty server\n",
				"", "", file>>20, anon>>20, float64(anon-baseAnon)/float64(n)/1024)
			prevN, prevRSS = n, rss
		}
		if target == "okcare" && o.heapProfile != "" {
			srv.heapProfile(o.heapProfile)
			time.Sleep(2 * time.Second)
			fmt.Printf("  heap profile of okcare at %d sockets: %s\n", most, o.heapProfile)
		}
		cancel()
		for _, c := range open {
			c.CloseNow()
		}
		srv.stop()
	}
	return nil
}
