// Command okcare runs the OK Wallet support system: `okcare serve` starts the
// HTTP server, `okcare migrate` applies the schema, `okcare admin
// create-agent` adds staff. It only wires packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal a second one stops the process at once.
	context.AfterFunc(ctx, stop)
	if err := run(ctx, os.Args[1:]); err != nil {
		var usage usageError
		if errors.As(err, &usage) {
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "okcare:", err)
		os.Exit(1)
	}
}

type usageError string

func (u usageError) Error() string { return string(u) }

const usage = `usage: okcare <command> [flags]

commands:
  serve                  start the HTTP server (--demo loads demo data)
  migrate                apply database migrations
  admin create-agent     add a staff member: --email E --password-file F --role admin|supervisor|agent
  admin audit verify     check the audit log's hash chain from the first entry
  kb reindex             rebuild the help-center search index, with progress
  calendar status        how far the holiday data reaches
  calendar check FILE    validate a year's holiday schedule file
  calendar import FILE   import it: --admin EMAIL (audited)

Run "okcare <command> -h" for the flags of a command.`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError(usage)
	}
	switch args[0] {
	case "serve":
		m := NewMain()
		if err := m.ParseFlags(args[1:]); err != nil {
			return err
		}
		if err := m.Run(ctx); err != nil {
			m.Close()
			return err
		}
		<-ctx.Done()
		m.Drain()
		return m.Close()
	case "migrate":
		return runMigrate(ctx, args[1:])
	case "kb":
		return runKB(ctx, args[1:])
	case "calendar":
		return runCalendar(ctx, args[1:], os.Stdout, os.Stderr)
	case "admin":
		if len(args) > 1 && args[1] == "create-agent" {
			return runCreateAgent(ctx, args[2:])
		}
		if len(args) > 2 && args[1] == "audit" && args[2] == "verify" {
			return runAuditVerify(ctx, args[3:])
		}
		return usageError(usage)
	case "-h", "--help", "help":
		fmt.Println(usage)
		return nil
	}
	return usageError(usage)
}
