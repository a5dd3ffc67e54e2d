package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/demo"
	okhttp "github.com/okcare/okcare/http"
	oknats "github.com/okcare/okcare/nats"
	"github.com/okcare/okcare/notify"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/riverjobs"
	"github.com/okcare/okcare/search"
	"github.com/okcare/okcare/secretbox"
	"github.com/okcare/okcare/smtp"
	"github.com/okcare/okcare/sqldb"
	"github.com/okcare/okcare/sqlite"
)

// Main is the running program: configuration, store, HTTP server and the
// background jobs. The end-to-end tests drive the same Run and Close.
type Main struct {
	Config Config
	// Out receives the start-up banner (demo credentials); Logs the logs.
	Out  io.Writer
	Logs io.Writer

	DB         *sqldb.DB
	Server     *okhttp.Server
	HTTPServer *http.Server
	Listener   net.Listener
	Logger     *slog.Logger

	Jobs   *riverjobs.Runner
	Search *search.Index
	kbFeed *helpCenterFeed
	// ChatRelay carries live chat between nodes when --nats-url is set.
	ChatRelay *oknats.Relay
	// MailServer receives support mail when --smtp-listen is set.
	MailServer   *smtp.Server
	MailListener net.Listener
	// MailDNS answers the DKIM and DMARC queries about received mail;
	// nil: the system resolver. Tests set it to stay off the network.
	MailDNS smtp.LookupTXT

	// debug serves the profiler when --debug-listen is set.
	debug debugListener
	// dirLock is held on the data directory from the start of Run to the
	// end of Close.
	dirLock *dataDirLock

	optimizeStop chan struct{}
	// CalendarRefresh is how often the imported holidays are read again
	// (zero: a minute).
	CalendarRefresh            time.Duration
	calendarStop, calendarDone chan struct{}
	// AnchorEvery is how often the audit head is anchored (zero: a minute).
	AnchorEvery time.Duration
	anchorStop  chan struct{}
	anchorDone  chan struct{}
}

// optimizeHourly keeps the query planner's statistics fresh as the data
// grows, until Close.
func (m *Main) optimizeHourly(logger *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-m.optimizeStop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := m.DB.Optimize(ctx); err != nil {
				logger.Warn("optimize", "error", err)
			}
			cancel()
		}
	}
}

// NewMain returns a Main with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), Out: os.Stdout, Logs: os.Stderr}
}

// ParseFlags reads the serve command's configuration.
func (m *Main) ParseFlags(args []string) error {
	c, fs, err := parseConfig("serve", args)
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	m.Config = *c
	return nil
}

// newLogger builds the slog logger the configuration asks for.
func newLogger(c Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", c.LogLevel, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: use text or json", c.LogFormat)
}

// openStore opens PostgreSQL when a URL is configured, else embedded SQLite.
// Opening applies okcare's migrations and River's: as the owner of
// --migrate-db when it is given (granting the application role), else
// through --db itself, where there is nothing to do once the owner has
// migrated.
func openStore(ctx context.Context, c *Config) (*sqldb.DB, string, error) {
	var db *sqldb.DB
	var err error
	if c.MigrateDB != "" {
		if err := migrateAsOwner(ctx, c.MigrateDB, c.appRole()); err != nil {
			return nil, "", err
		}
	}
	if isPostgres(c.DB) {
		db, err = postgres.Open(ctx, c.DB)
		err = migrationHint(err)
	} else if c.DB != "" {
		return nil, "", fmt.Errorf("--db must be a postgres:// URL (or empty for embedded SQLite)")
	} else {
		db, err = sqlite.Open(ctx, filepath.Join(c.DataDir, "okcare.db"))
	}
	if err != nil {
		return nil, "", err
	}
	kind := db.Dialect().Name
	if err := riverjobs.Migrate(ctx, db.SQL(), kind); err != nil {
		db.Close()
		return nil, "", migrationHint(err)
	}
	if c.MigrateDB == "" && c.AppRole != "" && kind == "postgres" {
		// okcare migrate --db OWNER --app-role ROLE: one role migrates
		// and grants the other.
		if err := postgres.GrantApp(ctx, db.SQL(), c.AppRole); err != nil {
			db.Close()
			return nil, "", err
		}
	}
	if db.Secrets, err = loadSecrets(c, kind); err != nil {
		db.Close()
		return nil, "", err
	}
	db.AuditKey = db.Secrets.Derive("okcare audit signature v1")
	return db, kind, nil
}

// loadSecrets finds the key that seals TOTP seeds: OKCARE_SECRET_KEY, else
// the --secret-key-file, else (embedded SQLite only) <data-dir>/secret.key,
// created on first start. PostgreSQL deployments run several nodes, which
// must share one key, so there it must be given.
func loadSecrets(c *Config, kind string) (*secretbox.Box, error) {
	text, fromEnv := os.LookupEnv("OKCARE_SECRET_KEY")
	if !fromEnv {
		path := c.SecretFile
		if path == "" && kind != "sqlite" {
			return nil, fmt.Errorf("set OKCARE_SECRET_KEY or --secret-key-file (the same key on every node); make one with: openssl rand -base64 32")
		}
		if path == "" {
			path = filepath.Join(c.DataDir, "secret.key")
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				if err := os.WriteFile(path, []byte(secretbox.NewKey()+"\n"), 0o600); err != nil {
					return nil, err
				}
			}
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
		text = string(raw)
	}
	key, err := secretbox.ParseKey(text)
	if err != nil {
		return nil, err
	}
	return secretbox.New(key)
}

// Run opens the store, loads demo data if asked, starts the outbox worker
// and starts serving. It returns once the server is listening.
func (m *Main) Run(ctx context.Context) error {
	logger, err := newLogger(m.Config, m.Logs)
	if err != nil {
		return err
	}
	m.Logger = logger
	// Before anything touches the directory or the database.
	if m.dirLock, err = lockDataDir(m.Config.DataDir); err != nil {
		return err
	}
	db, kind, err := openStore(ctx, &m.Config)
	if err != nil {
		return err
	}
	m.DB = db
	if err := setUpCalendars(ctx, &m.Config, db); err != nil {
		return err
	}
	m.startCalendarRefresh(logger)
	db.LoginPolicy.MaxFailures, db.LoginPolicy.RestrictFor = m.Config.LoginMax, m.Config.RestrictFor
	logger.Info("store open", "store", kind)

	// Listen first: without --public-url, links in mail point at the
	// address actually bound.
	if m.Listener, err = net.Listen("tcp", m.Config.Listen); err != nil {
		return err
	}
	if db.PublicURL, err = m.Config.publicURL(m.Listener.Addr().String()); err != nil {
		return err
	}
	if err := m.startJobs(ctx, logger); err != nil {
		return err
	}
	m.optimizeStop = make(chan struct{})
	go m.optimizeHourly(logger)
	every := m.AnchorEvery
	if every <= 0 {
		every = time.Minute
	}
	m.anchorStop, m.anchorDone = make(chan struct{}), make(chan struct{})
	go m.anchorLoop(every, m.anchorStop, m.anchorDone, logger)
	if m.Config.Demo {
		creds, err := demo.Load(ctx, db)
		if err == nil {
			err = demo.LoadDesk(ctx, db, creds)
		}
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		m.printDemo(creds)
	}

	if m.Config.KBSync <= 0 {
		return fmt.Errorf("--kb-sync-interval must be positive")
	}
	if m.Search, err = openHelpCenter(ctx, &m.Config, db, logger); err != nil {
		return err
	}
	m.kbFeed = startHelpCenterFeed(m.Search, db, m.Config.KBSync, logger)
	srv := okhttp.NewServer(db, logger)
	m.Server = srv
	srv.TrustProxy, srv.MetricsToken = m.Config.TrustProxy, m.Config.MetricsTok
	srv.VisitorKey = db.Secrets.Derive("okcare visitor cookie v1")
	srv.RequestTimeout, srv.ProbeDir = m.Config.ReqTimeout, m.Config.DataDir
	srv.AddReadyCheck(okhttp.ReadyCheck{Name: "jobs", Check: func(ctx context.Context) (any, error) { return m.Jobs.Health(ctx) }})
	srv.AddReadyCheck(okhttp.ReadyCheck{Name: "search", Check: m.kbFeed.health})
	if srv.TrustedProxies, err = m.Config.trustedProxies(); err != nil {
		return err
	}
	srv.Search = m.Search
	srv.Calendar = db.Calendar
	srv.TeamCalendars, srv.Policies, srv.SupportAddress = db.TeamCalendars, db.Policies, m.Config.SupportAddr
	if m.Config.NATSURL != "" {
		if m.ChatRelay, err = oknats.Connect(m.Config.NATSURL, "okcare.chat", srv.Chat, logger); err != nil {
			return fmt.Errorf("nats: %w", err)
		}
		logger.Info("live chat relayed through NATS")
	}
	m.HTTPServer = &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Past the request deadline, so that the 503 it produces is sent.
		WriteTimeout:   max(30*time.Second, m.Config.ReqTimeout+10*time.Second),
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 32 << 10,
	}
	logger.Info("listening", "addr", "http://"+m.Listener.Addr().String())
	if err := m.startMail(logger); err != nil {
		return err
	}
	if err := m.debug.start(m.Config.DebugListen, logger); err != nil {
		return err
	}
	go func() {
		if err := m.HTTPServer.Serve(m.Listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("http server", "error", err)
		}
	}()
	return nil
}

// startMail starts the inbound SMTP listener that turns mail into tickets.
func (m *Main) startMail(logger *slog.Logger) error {
	if m.Config.SMTPListen == "" {
		return nil
	}
	dns := m.MailDNS
	if dns == nil {
		dns = smtp.DNSLookupTXT
	}
	rc := &smtp.Receiver{Store: m.DB, Logger: logger.With("component", "smtp-in"), Address: m.Config.SupportAddr,
		Own: []string{m.Config.SMTPFrom}, ReplyKey: mailReplyKey(m.DB), LookupTXT: dns}
	ln, err := net.Listen("tcp", m.Config.SMTPListen)
	if err != nil {
		return err
	}
	m.MailListener, m.MailServer = ln, smtp.NewServer(m.Config.SMTPListen, "okcare", 10<<20, rc)
	logger.Info("receiving mail", "addr", ln.Addr().String())
	go m.MailServer.Serve(ln)
	return nil
}

// mailReplyKey is the key of the reply tokens in support mail, derived
// from the secret key, so every node has it and no new setting is needed.
func mailReplyKey(db *sqldb.DB) []byte {
	return db.Secrets.Derive("okcare mail reply token v1")
}

// startJobs starts River with the configured notification senders and
// makes the store queue a delivery job with every notification it writes.
func (m *Main) startJobs(ctx context.Context, logger *slog.Logger) error {
	if m.Config.SendTimeout >= m.Config.JobTimeout {
		return fmt.Errorf("--send-timeout %s must be shorter than --job-timeout %s", m.Config.SendTimeout, m.Config.JobTimeout)
	}
	senders := map[string]notify.Sender{}
	if m.Config.Demo {
		senders[okcare.ChannelEmail], senders[okcare.ChannelSMS] = notify.DemoSender{}, notify.DemoSender{}
	}
	if m.Config.SMTPRelay != "" {
		senders[okcare.ChannelEmail] = &smtp.Sender{Addr: m.Config.SMTPRelay, From: m.Config.SMTPFrom, PlainText: m.Config.SMTPPlain,
			SupportAddress: m.Config.SupportAddr, ReplyKey: mailReplyKey(m.DB), Timeout: m.Config.SendTimeout}
	}
	if m.Config.SMSWebhook != "" {
		senders[okcare.ChannelSMS] = &notify.WebhookSender{URL: m.Config.SMSWebhook, Client: &http.Client{}, Timeout: m.Config.SendTimeout}
	}
	m.DB.SLAAlertTo = m.Config.SLAAlertTo
	jobs, err := riverjobs.New(m.DB.SQL(), m.DB.Dialect().Name, riverjobs.Options{Store: m.DB, Senders: senders, Logger: logger, PollInterval: time.Second, SLA: m.DB,
		JobTimeout: m.Config.JobTimeout, RescueAfter: m.Config.RescueAfter})
	if err != nil {
		return err
	}
	if err := jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	m.Jobs = jobs
	m.DB.DeliveryJobs = jobs.QueueDelivery
	return nil
}

func (m *Main) printDemo(c *demo.Credentials) {
	fmt.Fprintf(m.Out, "\nokcare demo data loaded.\n  admin agent: %s  password: %s  (new each start)\n  other staff (same password): %s\n  agent console: http://%s/console\n  users (password %s): %s\n\n",
		c.AdminEmail, c.AdminPassword, strings.Join(c.Staff, ", "), m.Config.Listen, c.UserPassword, strings.Join(c.Users, ", "))
}

// Drain is the first step of a graceful stop (SIGTERM): /readyz answers
// 503 at once so that load balancers send new work elsewhere, answers ask
// their clients to close keep-alive connections, and requests are still
// served for the drain delay. Then Close stops the listener.
func (m *Main) Drain() {
	if m.Server == nil {
		return
	}
	m.Server.StartDraining()
	m.Logger.Info("draining", "for", m.Config.DrainDelay)
	time.Sleep(m.Config.DrainDelay)
}

// Close stops accepting requests, closes idle connections, lets in-flight
// requests and running jobs finish (up to --shutdown-timeout each) and
// closes the store.
func (m *Main) Close() error {
	var errs []error
	stopWithin := m.Config.StopTimeout
	if stopWithin <= 0 {
		stopWithin = 30 * time.Second
	}
	if m.HTTPServer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), stopWithin)
		defer cancel()
		errs = append(errs, m.HTTPServer.Shutdown(ctx))
	} else if m.Listener != nil {
		m.Listener.Close() // bound, but the start failed before serving
	}
	if m.MailServer != nil {
		errs = append(errs, m.MailServer.Close())
	}
	errs = append(errs, m.debug.close())
	if m.ChatRelay != nil {
		errs = append(errs, m.ChatRelay.Close())
	}
	if m.Jobs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), stopWithin)
		defer cancel()
		errs = append(errs, m.Jobs.Stop(ctx))
	}
	m.kbFeed.close() // before the index it writes closes
	m.kbFeed = nil
	if m.Search != nil {
		errs = append(errs, m.Search.Close())
	}
	if m.optimizeStop != nil {
		close(m.optimizeStop)
	}
	if m.calendarStop != nil {
		close(m.calendarStop)
		<-m.calendarDone
	}
	if m.anchorStop != nil {
		close(m.anchorStop)
		<-m.anchorDone // the last anchor, before the store closes
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	started := m.dirLock != nil
	errs = append(errs, m.dirLock.release())
	m.dirLock = nil
	if m.Logger != nil && started {
		m.Logger.Info("stopped")
	}
	return errors.Join(errs...)
}
