package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/totp"
)

// The chat benchmark runs each server under test in a process of its own
// (this binary again, with a hidden subcommand, or Centrifugo), so that
// its CPU time and RSS are its own and not the load generator's. A child
// prints one line of JSON, its chatSetup, once it is serving, and stops
// when its standard input closes. A line "heap PATH" on its input writes
// a heap profile there, its goroutines to PATH.goroutines and a summary
// of its memory to standard error.

// chatSetup is what a chat server child tells the load generator.
type chatSetup struct {
	URL        string   `json:"url"`
	AgentToken string   `json:"agent_token,omitempty"` // okcare: the staff session cookie
	Chats      []string `json:"chats"`                 // okcare: ticket ids; bare: chat names
	Tokens     []string `json:"tokens,omitempty"`      // okcare: each chat's customer token
}

// serveChatOkcare is the okcare child: a real store (kind), the real HTTP
// server, one signed-in agent with a second factor, and chats open chats.
//
// With answered, every chat is marked answered (an agent has replied),
// straight in the store, as most open chats are: a customer in the
// queue has their place recomputed every 5 s by a count of the chats
// ahead, which for thousands of waiting customers is a load of its own
// (see docs/benchmarks.md) and not the cost of an idle socket.
func serveChatOkcare(ctx context.Context, kind, dsn string, chats int, answered bool) error {
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	srv := okhttp.NewServer(db, quiet)
	srv.ChatLimiter = okhttp.NewRateLimiter(1<<30, time.Minute) // the load's rate is the benchmark's to choose
	agent := &okcare.Agent{Email: "bench-chat-agent@okcare.example", Role: okcare.RoleAgent}
	if err := db.CreateAgent(ctx, agent, "bench-staff-pass-1"); err != nil {
		return err
	}
	enr, err := db.BeginAgentTOTP(ctx, agent.ID)
	if err != nil {
		return err
	}
	code, err := totp.Code(enr.Secret, db.Now(), totp.Digits)
	if err != nil {
		return err
	}
	recovery, err := db.ConfirmAgentTOTP(ctx, agent.ID, code)
	if err != nil {
		return err
	}
	_, staff, err := db.AgentLogin(ctx, agent.Email, "bench-staff-pass-1", recovery[0], "")
	if err != nil {
		return err
	}
	setup := chatSetup{AgentToken: staff}
	t0 := time.Now()
	for i := 0; i < chats; i++ {
		t, tok, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: fmt.Sprintf("chat%d@bench.example", i), Lang: []string{"zh-CN", "en"}[i%2],
			Intake: okcare.Intake{Description: "转账一直显示处理中"}})
		if err != nil {
			return err
		}
		setup.Chats, setup.Tokens = append(setup.Chats, t.ID), append(setup.Tokens, tok)
		if (i+1)%5000 == 0 {
			fmt.Fprintf(os.Stderr, "  opened %d/%d chats (%s)\n", i+1, chats, time.Since(t0).Round(time.Second))
		}
	}
	if answered {
		q := `UPDATE tickets SET first_responded_at = created_at WHERE channel = 'chat'`
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if !answered {
		if err := timeQueueRefresh(ctx, db, setup.Chats); err != nil {
			return err
		}
	}
	return serveChild(srv, setup)
}

// serveChatBare is the bare fan-out child: coder/websocket, no store, no
// protocol beyond okcare's message frame; see bareChat.
func serveChatBare(chats int) error {
	setup := chatSetup{}
	for i := 0; i < chats; i++ {
		setup.Chats = append(setup.Chats, fmt.Sprintf("c%d", i))
	}
	return serveChild(newBareChat(), setup)
}

// serveChild serves h on a loopback port, prints setup and waits for its
// input to close.
func serveChild(h http.Handler, setup chatSetup) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	setup.URL = "http://" + ln.Addr().String()
	if err := json.NewEncoder(os.Stdout).Encode(setup); err != nil {
		return err
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if path, ok := strings.CutPrefix(in.Text(), "heap "); ok {
			runtime.GC()
			if g, err := os.Create(path + ".goroutines"); err == nil {
				pprof.Lookup("goroutine").WriteTo(g, 1)
				g.Close()
			}
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			pprof.WriteHeapProfile(f)
			f.Close()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			fmt.Fprintf(os.Stderr, "  server memory: heap in use %d MiB (live objects %d MiB), heap idle not released %d MiB, stacks %d MiB, goroutines %d, runtime total %d MiB\n",
				m.HeapInuse>>20, m.HeapAlloc>>20, (m.HeapIdle-m.HeapReleased)>>20, m.StackInuse>>20, runtime.NumGoroutine(), m.Sys>>20)
		}
	}
	return nil
}
