package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/okcare/okcare"
)

// runMigrate applies the embedded migrations and exits.
func runMigrate(ctx context.Context, args []string) error {
	c, fs, err := parseConfig("migrate", args)
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	db, kind, err := openStore(ctx, c) // opening migrates
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Printf("migrations applied to %s\n", kind)
	if role := c.appRole(); role != "" && kind == "postgres" {
		fmt.Printf("privileges granted to %s\n", role)
	}
	return nil
}

// runCreateAgent adds a staff member. The password is read from a file (or
// "-" for standard input) so that it never appears in a process listing or
// shell history.
func runCreateAgent(ctx context.Context, args []string) error {
	c, fs, err := parseConfig("admin create-agent", args)
	if err != nil {
		return err
	}
	email := fs.String("email", "", "staff email")
	passwordFile := fs.String("password-file", "", "file holding the password, or - for standard input")
	role := fs.String("role", "agent", "admin, supervisor or agent")
	name := fs.String("name", "", "display name")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *email == "" || *passwordFile == "" {
		return usageError("okcare admin create-agent: --email and --password-file are required")
	}
	var raw []byte
	if *passwordFile == "-" {
		raw, err = readAllLimited(os.Stdin)
	} else {
		raw, err = os.ReadFile(*passwordFile)
	}
	if err != nil {
		return fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(string(raw), "\r\n")
	db, _, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	a := &okcare.Agent{Email: *email, Name: *name, Role: okcare.AgentRole(*role)}
	if err := db.CreateAgent(ctx, a, pw); err != nil {
		return fmt.Errorf("%s", okcare.ErrorMessage(err))
	}
	fmt.Printf("created %s %s (%s)\n", a.Role, a.Email, a.ID)
	return nil
}

func readAllLimited(f *os.File) ([]byte, error) {
	buf := make([]byte, 4096)
	n, err := f.Read(buf)
	if n > 0 {
		return buf[:n], nil
	}
	return nil, err
}

// runAuditVerify checks the audit log's hash chain and fails if it is broken.
func runAuditVerify(ctx context.Context, args []string) error {
	c, fs, err := parseConfig("admin audit verify", args)
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	db, _, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit log NOT intact after %d good entries: %w", n, err)
	}
	anchors, err := readAnchors(c.anchorsPath())
	if err != nil {
		return err
	}
	if err := db.VerifyAuditAnchors(ctx, anchors); err != nil {
		return fmt.Errorf("audit log NOT intact: %w", err)
	}
	if len(anchors) == 0 {
		fmt.Printf("audit log intact: %d entries verified; no anchors in %s to check it against\n", n, c.anchorsPath())
		return nil
	}
	fmt.Printf("audit log intact: %d entries verified, agreeing with %d anchors in %s\n", n, len(anchors), c.anchorsPath())
	return nil
}
