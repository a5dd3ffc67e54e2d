// Command okcare-bench measures okcare against a baseline taken in the same
// run, because these machines are noisy: absolute numbers mean little, the
// ratio means something.
//
//	okcare-bench bootstrap [-accounts 100000] [-duration 10s] [-concurrency 32] [-rounds 5] [-keep DIR] [-writes 0]
//	okcare-bench transfers [-store sqlite|postgres] [-via store|http] [-writers n] [-duration 10s] [-concurrency 32]
//	okcare-bench messages [-store sqlite|postgres] [-duration 10s] [-concurrency 32]
//	okcare-bench kb [-articles 10000] [-duration 10s]
//	okcare-bench kbsearch [-store sqlite|postgres] [-articles 10000] [-duration 10s] [-rounds 3]
//	okcare-bench tickets [-store sqlite|postgres] [-tickets 100000] [-duration 10s] [-concurrency 32]
//	okcare-bench console [-store sqlite|postgres] [-tickets 100000] [-agents 8] [-duration 10s] [-rounds 3]
//	okcare-bench secrets [-duration 10s]
//	okcare-bench scans [-store sqlite|postgres] [-sizes 10000,100000,1000000] [-runs 21]
//	okcare-bench chat [-store sqlite|postgres] [-targets okcare,bare,centrifugo] [-centrifugo PATH] [-chats 2000]
//	                  [-rates 100,250,500,1000,2000,4000] [-duration 10s] [-drain 5s] [-serverprofile FILE]
//	okcare-bench chat-idle [-store sqlite|postgres] [-targets okcare,bare,centrifugo] [-centrifugo PATH]
//	                  [-sockets 5000,10000,19000] [-memprofile FILE]
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/okcare/okcare/demo"
	"github.com/okcare/okcare/password"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/riverjobs"
	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: okcare-bench bootstrap|transfers|messages|kb|kbsearch|tickets|console|scans|secrets|chat|chat-idle [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	accounts := fs.Int("accounts", 100000, "accounts to load")
	articles := fs.Int("articles", 10000, "help-center articles to index (kb)")
	duration := fs.Duration("duration", 10*time.Second, "how long each measured run lasts")
	concurrency := fs.Int("concurrency", 32, "concurrent clients")
	store := fs.String("store", "sqlite", "sqlite or postgres")
	dsn := fs.String("postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL URL for -store postgres")
	agents := fs.Int("agents", 8, "staff members signed in, one client each (console)")
	tickets := fs.Int("tickets", 100000, "tickets in the queue (tickets)")
	sizes := fs.String("sizes", "10000,100000,1000000", "ticket counts the periodic scans are timed at (scans)")
	runs := fs.Int("runs", 21, "timed runs of each scan per size (scans)")
	rounds := fs.Int("rounds", 5, "alternating rounds of baseline and okcare (bootstrap)")
	via := fs.String("via", "store", "store (Move at the store) or http (POST /api/v1/transfers) (transfers)")
	writers := fs.Int("writers", 0, "group-commit writers for money movements (transfers; 0: the store's default)")
	writes := fs.Int("writes", 0, "commits per second by other traffic during the runs (bootstrap)")
	keep := fs.String("keep", "", "directory to keep the loaded database in and reuse it from (bootstrap)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	chats := fs.Int("chats", 2000, "chats, each a customer and an agent socket (chat)")
	rates := fs.String("rates", "100,250,500,1000,2000,4000", "offered customer messages per second, one step each (chat)")
	drain := fs.Duration("drain", 5*time.Second, "how long answers may still come in after a step (chat)")
	targets := fs.String("targets", "okcare,bare", "servers to measure: okcare, bare, centrifugo (chat, chat-idle)")
	centrifugo := fs.String("centrifugo", "", "path to a Centrifugo binary, for the centrifugo target (chat, chat-idle)")
	serverProfile := fs.String("serverprofile", "", "write okcare's server CPU profile to this file (chat)")
	sockets := fs.String("sockets", "5000,10000,19000", "idle customer socket counts, in stages (chat-idle)")
	memProfile := fs.String("memprofile", "", "write okcare's heap profile at the largest socket count to this file (chat-idle)")
	answered := fs.Bool("answered", false, "mark okcare's chats answered before the sockets open (chat-serve; chat-idle sets it)")
	waiting := fs.Bool("waiting", false, "leave the idle chats waiting in the queue (chat-idle)")
	fs.Parse(os.Args[2:])
	chatOpts := chatOptions{targets: strings.Split(*targets, ","), store: *store, dsn: *dsn, chats: *chats, rates: ints(*rates),
		step: *duration, drain: *drain, goal: 50 * time.Millisecond, centrifugo: *centrifugo, serverProfile: *serverProfile,
		sockets: ints(*sockets), heapProfile: *memProfile, waiting: *waiting}
	raiseOpenFiles()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "bootstrap":
		err = benchBootstrap(ctx, *accounts, *duration, *concurrency, *rounds, *keep, *writes)
	case "kb":
		err = benchKB(ctx, *articles, *duration)
	case "kbsearch":
		err = benchKBSearch(ctx, *store, *dsn, *articles, *duration, *rounds)
	case "tickets":
		err = benchTickets(ctx, *store, *dsn, *tickets, *duration, *concurrency)
	case "scans":
		err = benchScans(ctx, *store, *dsn, *sizes, *runs)
	case "transfers":
		err = benchTransfers(ctx, *store, *dsn, *via, *duration, *concurrency, *writers)
	case "messages":
		err = benchMessages(ctx, *store, *dsn, *duration, *concurrency)
	case "console":
		err = benchConsole(ctx, *store, *dsn, *tickets, *agents, *duration, *rounds)
	case "secrets":
		err = benchSecrets(*duration)
	case "chat":
		err = benchChat(ctx, chatOpts)
	case "chat-idle":
		err = benchChatIdle(ctx, chatOpts)
	case "chat-serve": // the okcare process of chat and chat-idle
		err = serveChatOkcare(ctx, *store, *dsn, *chats, *answered)
	case "chat-serve-bare": // the bare fan-out process of chat and chat-idle
		err = serveChatBare(*chats)
	default:
		err = fmt.Errorf("unknown benchmark %q", os.Args[1])
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "okcare-bench:", err)
		os.Exit(1)
	}
}

// openStore opens a fresh store with River's tables, so that notifications
// queue their jobs as in production.
func openStore(ctx context.Context, kind, dsn string) (*sqldb.DB, func(), error) {
	var db *sqldb.DB
	cleanup := func() {}
	if kind == "postgres" {
		schema := fmt.Sprintf("okcare_bench_%d", time.Now().UnixNano())
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, nil, err
		}
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			return nil, nil, err
		}
		cleanup = func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); admin.Close() }
		db, err = postgres.Open(ctx, dsn+"&search_path="+schema)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
	} else {
		dir, err := os.MkdirTemp("", "okcare-bench")
		if err != nil {
			return nil, nil, err
		}
		db, closeDB, err := openStoreAt(ctx, filepath.Join(dir, "okcare.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return db, func() { closeDB(); os.RemoveAll(dir) }, nil
	}
	return prepareStore(ctx, db, cleanup)
}

// openStoreAt opens a fresh SQLite store at path, prepared as openStore does.
func openStoreAt(ctx context.Context, path string) (*sqldb.DB, func(), error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return prepareStore(ctx, db, func() {})
}

// prepareStore adds River's tables, test password costs, a secret box and
// the demo data to a new store; cleanup runs after it is closed.
func prepareStore(ctx context.Context, db *sqldb.DB, cleanup func()) (*sqldb.DB, func(), error) {
	var err error
	if err = riverjobs.Migrate(ctx, db.SQL(), db.Dialect().Name); err != nil {
		return nil, nil, err
	}
	db.PasswordParams = password.TestParams
	key, _ := secretbox.ParseKey(secretbox.NewKey())
	db.Secrets, _ = secretbox.New(key)
	if _, err := demo.Load(ctx, db); err != nil {
		return nil, nil, err
	}
	return db, func() { db.Close(); cleanup() }, nil
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// ints parses a comma-separated list of numbers.
func ints(list string) []int {
	var out []int
	for _, f := range strings.Split(list, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// raiseOpenFiles lifts the soft limit on open files to the hard one, for
// the socket benchmarks and the servers they start.
func raiseOpenFiles() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
