package main

import (
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/riverjobs"
	"github.com/okcare/okcare/smtp"
)

// Config is okcare's configuration. Each setting comes from, in rising
// precedence: its default, the TOML file given by --config (or
// OKCARE_CONFIG), the environment (OKCARE_<NAME>), and the command line.
type Config struct {
	Listen       string        `toml:"listen"`
	DB           string        `toml:"db"`
	MigrateDB    string        `toml:"migrate_db"`
	AppRole      string        `toml:"app_role"`
	DataDir      string        `toml:"data_dir"`
	LogFormat    string        `toml:"log_format"`
	LogLevel     string        `toml:"log_level"`
	Demo         bool          `toml:"demo"`
	SMTPRelay    string        `toml:"smtp_relay"`
	SMTPFrom     string        `toml:"smtp_from"`
	SMTPPlain    bool          `toml:"smtp_plaintext"`
	SMTPListen   string        `toml:"smtp_listen"`
	SupportAddr  string        `toml:"support_address"`
	PublicURL    string        `toml:"public_url"`
	SLAAlertTo   string        `toml:"sla_alerts_to"`
	Hours        string        `toml:"business_hours"`
	TeamHours    string        `toml:"team_hours"`
	Holidays     string        `toml:"holidays_file"`
	SLAPolicy    string        `toml:"sla_policy_file"`
	NATSURL      string        `toml:"nats_url"`
	SMSWebhook   string        `toml:"sms_webhook"`
	TrustProxy   bool          `toml:"trust_proxy"`
	Proxies      string        `toml:"trusted_proxies"`
	MetricsTok   string        `toml:"metrics_token"`
	DebugListen  string        `toml:"debug_listen"`
	AuditAnchors string        `toml:"audit_anchors"`
	SecretFile   string        `toml:"secret_key_file"`
	KBIndex      string        `toml:"kb_index"`
	LoginMax     int           `toml:"login_max_failures"`
	RestrictFor  time.Duration `toml:"login_restrict_for"`
	JobTimeout   time.Duration `toml:"job_timeout"`
	RescueAfter  time.Duration `toml:"job_rescue_after"`
	SendTimeout  time.Duration `toml:"send_timeout"`
	ReqTimeout   time.Duration `toml:"request_timeout"`
	DrainDelay   time.Duration `toml:"shutdown_drain_delay"`
	StopTimeout  time.Duration `toml:"shutdown_timeout"`
	KBSync       time.Duration `toml:"kb_sync_interval"`
}

// DefaultConfig is the configuration with nothing set.
func DefaultConfig() Config {
	return Config{Listen: "127.0.0.1:8080", DataDir: "./okcare-data", LogFormat: "text", LogLevel: "info",
		SMTPFrom: smtp.DefaultFrom, SupportAddr: "support@okwallet.example", Hours: "09:00-18:00", LoginMax: 5, RestrictFor: 15 * time.Minute,
		JobTimeout: riverjobs.DefaultJobTimeout, RescueAfter: riverjobs.DefaultRescueAfter, SendTimeout: 30 * time.Second,
		ReqTimeout: okhttp.DefaultRequestTimeout, DrainDelay: 5 * time.Second, StopTimeout: 30 * time.Second,
		KBSync: 2 * time.Second}
}

// bindFlags declares the flags of c on fs, with environment overrides
// already applied to the defaults.
func (c *Config) bindFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Listen, "listen", env("LISTEN", c.Listen), "HTTP listen address (OKCARE_LISTEN)")
	fs.StringVar(&c.DB, "db", env("DB", c.DB), "postgres:// URL; empty for embedded SQLite in --data-dir (OKCARE_DB)")
	fs.StringVar(&c.MigrateDB, "migrate-db", env("MIGRATE_DB", c.MigrateDB), "postgres:// URL of the schema's owner: migrate as it and grant --app-role (default: the user of --db) what the server needs, then serve through --db (OKCARE_MIGRATE_DB)")
	fs.StringVar(&c.AppRole, "app-role", env("APP_ROLE", c.AppRole), "PostgreSQL role the server runs as; migrating grants it only what it needs (OKCARE_APP_ROLE)")
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", c.DataDir), "directory of the embedded SQLite database (OKCARE_DATA_DIR)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", c.LogFormat), "text or json (OKCARE_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", c.LogLevel), "debug, info, warn or error (OKCARE_LOG_LEVEL)")
	fs.BoolVar(&c.Demo, "demo", envBool("DEMO", c.Demo), "load demo data; notifications stay in the outbox (OKCARE_DEMO)")
	fs.StringVar(&c.SMTPRelay, "smtp-relay", env("SMTP_RELAY", c.SMTPRelay), "host:port of the outgoing mail relay (OKCARE_SMTP_RELAY)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", env("SMTP_FROM", c.SMTPFrom), "sender of outgoing mail (OKCARE_SMTP_FROM)")
	fs.BoolVar(&c.SMTPPlain, "smtp-plaintext", envBool("SMTP_PLAINTEXT", c.SMTPPlain), "talk to the relay without STARTTLS (local relay only) (OKCARE_SMTP_PLAINTEXT)")
	fs.StringVar(&c.SMTPListen, "smtp-listen", env("SMTP_LISTEN", c.SMTPListen), "host:port to receive support mail on; empty: off (OKCARE_SMTP_LISTEN)")
	fs.StringVar(&c.SupportAddr, "support-address", env("SUPPORT_ADDRESS", c.SupportAddr), "the support mailbox, for loop detection (OKCARE_SUPPORT_ADDRESS)")
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", c.PublicURL), "the help center's address as customers reach it, the base of links in mail and SMS; default http://<listen> (OKCARE_PUBLIC_URL)")
	fs.StringVar(&c.SLAAlertTo, "sla-alerts-to", env("SLA_ALERTS_TO", c.SLAAlertTo), "team mailbox told about SLA breaches (OKCARE_SLA_ALERTS_TO)")
	fs.StringVar(&c.Hours, "business-hours", env("BUSINESS_HOURS", c.Hours), "the support team's working hours, Asia/Shanghai (OKCARE_BUSINESS_HOURS)")
	fs.StringVar(&c.TeamHours, "team-hours", env("TEAM_HOURS", c.TeamHours), "hours of the teams answering particular channels, e.g. chat=08:00-22:00,phone=09:00-20:00 (OKCARE_TEAM_HOURS)")
	fs.StringVar(&c.Holidays, "holidays-file", env("HOLIDAYS_FILE", c.Holidays), "'YYYY-MM-DD off|work' lines replacing the shipped 2025-2026 mainland holidays and 调休; imported years still apply over it (OKCARE_HOLIDAYS_FILE)")
	fs.StringVar(&c.SLAPolicy, "sla-policy-file", env("SLA_POLICY_FILE", c.SLAPolicy), "'channel priority first=T resolve=T' lines replacing the default SLA targets (OKCARE_SLA_POLICY_FILE)")
	fs.StringVar(&c.NATSURL, "nats-url", env("NATS_URL", c.NATSURL), "NATS server carrying live-chat messages between nodes, e.g. nats://127.0.0.1:4222; empty: one node (OKCARE_NATS_URL)")
	fs.StringVar(&c.SMSWebhook, "sms-webhook", env("SMS_WEBHOOK", c.SMSWebhook), "URL SMS notifications are posted to (OKCARE_SMS_WEBHOOK)")
	fs.StringVar(&c.SecretFile, "secret-key-file", env("SECRET_KEY_FILE", c.SecretFile), "file with the base64 key sealing TOTP seeds; default <data-dir>/secret.key for SQLite (OKCARE_SECRET_KEY_FILE, or the key itself in OKCARE_SECRET_KEY)")
	fs.StringVar(&c.KBIndex, "kb-index", env("KB_INDEX", c.KBIndex), "directory of the help-center search index; default <data-dir>/kb.bleve (OKCARE_KB_INDEX)")
	fs.DurationVar(&c.KBSync, "kb-sync-interval", envDuration("KB_SYNC_INTERVAL", c.KBSync), "how often the search index compares itself with the articles published in the store, on any node (OKCARE_KB_SYNC_INTERVAL)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("TRUST_PROXY", c.TrustProxy), "take client addresses from X-Forwarded-For (OKCARE_TRUST_PROXY)")
	fs.StringVar(&c.Proxies, "trusted-proxies", env("TRUSTED_PROXIES", c.Proxies), "with --trust-proxy: comma-separated addresses or CIDRs of the proxies in front, skipped when reading X-Forwarded-For from the right (OKCARE_TRUSTED_PROXIES)")
	fs.StringVar(&c.AuditAnchors, "audit-anchors", env("AUDIT_ANCHORS", c.AuditAnchors), "file the signed audit-log head is appended to, outside the database; default <data-dir>/audit-anchors.jsonl (OKCARE_AUDIT_ANCHORS)")
	fs.StringVar(&c.MetricsTok, "metrics-token", env("METRICS_TOKEN", c.MetricsTok), "bearer token /metrics asks for; without it only loopback connections may read /metrics (OKCARE_METRICS_TOKEN)")
	fs.StringVar(&c.DebugListen, "debug-listen", env("DEBUG_LISTEN", c.DebugListen), "host:port serving the Go profiler at /debug/pprof/, apart from --listen; empty: off. Keep it on loopback (OKCARE_DEBUG_LISTEN)")
	fs.IntVar(&c.LoginMax, "login-max-failures", envInt("LOGIN_MAX_FAILURES", c.LoginMax), "failed logins that restrict new devices (OKCARE_LOGIN_MAX_FAILURES)")
	fs.DurationVar(&c.RestrictFor, "login-restrict-for", envDuration("LOGIN_RESTRICT_FOR", c.RestrictFor), "how long that restriction lasts (OKCARE_LOGIN_RESTRICT_FOR)")
	fs.DurationVar(&c.JobTimeout, "job-timeout", envDuration("JOB_TIMEOUT", c.JobTimeout), "a background job's context is cancelled after this long (OKCARE_JOB_TIMEOUT)")
	fs.DurationVar(&c.RescueAfter, "job-rescue-after", envDuration("JOB_RESCUE_AFTER", c.RescueAfter), "a job still running after this long belongs to a dead process and runs again; longer than --job-timeout (OKCARE_JOB_RESCUE_AFTER)")
	fs.DurationVar(&c.ReqTimeout, "request-timeout", envDuration("REQUEST_TIMEOUT", c.ReqTimeout), "deadline of every HTTP request and the queries it runs; past it the answer is 503 unavailable (OKCARE_REQUEST_TIMEOUT)")
	fs.DurationVar(&c.DrainDelay, "shutdown-drain-delay", envDuration("SHUTDOWN_DRAIN_DELAY", c.DrainDelay), "on SIGTERM, how long /readyz answers 503 while requests are still served, before the listener closes (OKCARE_SHUTDOWN_DRAIN_DELAY)")
	fs.DurationVar(&c.StopTimeout, "shutdown-timeout", envDuration("SHUTDOWN_TIMEOUT", c.StopTimeout), "then how long in-flight requests and jobs may take to finish (OKCARE_SHUTDOWN_TIMEOUT)")
	fs.DurationVar(&c.SendTimeout, "send-timeout", envDuration("SEND_TIMEOUT", c.SendTimeout), "deadline of one mail delivery to the relay or one post to the SMS webhook; shorter than --job-timeout (OKCARE_SEND_TIMEOUT)")
}

// parseConfig reads the config file named in args or OKCARE_CONFIG, then
// the environment and flags.
func parseConfig(name string, args []string) (*Config, *flag.FlagSet, error) {
	c := DefaultConfig()
	path := os.Getenv("OKCARE_CONFIG")
	for i, a := range args {
		if a == "--config" || a == "-config" {
			if i+1 < len(args) {
				path = args[i+1]
			}
		} else if v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "config="); ok {
			path = v
		}
	}
	if path != "" {
		if _, err := toml.DecodeFile(path, &c); err != nil {
			return nil, nil, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	fs := flag.NewFlagSet("okcare "+name, flag.ContinueOnError)
	fs.String("config", path, "TOML configuration file (OKCARE_CONFIG)")
	c.bindFlags(fs)
	return &c, fs, nil
}

// publicURL is the base of the links okcare sends customers: --public-url,
// or the address the server listens on (bound) when it is not set.
func (c *Config) publicURL(bound string) (string, error) {
	if c.PublicURL == "" {
		return "http://" + bound, nil
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--public-url %q: want an http(s) address such as https://help.example.com", c.PublicURL)
	}
	return strings.TrimRight(c.PublicURL, "/"), nil
}

// trustedProxies parses --trusted-proxies.
func (c *Config) trustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(c.Proxies, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			addr, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR", item)
			}
			out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv("OKCARE_" + name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	v := env(name, "")
	return v == "1" || v == "true" || (v == "" && def)
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(env(name, ""), &n); err == nil {
		return n
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name, "")); err == nil {
		return d
	}
	return def
}
