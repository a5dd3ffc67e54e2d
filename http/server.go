// Package http serves okcare's JSON API under /api/v1, the app bootstrap
// under /app/v1, the OpenAPI document, health checks and metrics, on the
// standard library router.
package http

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chat"
	"github.com/okcare/okcare/reports"
	"github.com/okcare/okcare/search"
	"github.com/okcare/okcare/slaclock"
	"github.com/okcare/okcare/token"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Store is every service the server uses; *sqldb.DB implements it.
type Store interface {
	okcare.UserService
	okcare.LedgerService
	okcare.ReleaseService
	okcare.AgentService
	okcare.NotificationService
	okcare.DiagnosisService
	okcare.ArticleService
	okcare.TicketService
	okcare.CategoryService
	okcare.VerificationService
	okcare.AuditService
	okcare.ConsoleService
	okcare.AttachmentService
	okcare.FollowUpService
	okcare.ChatService
	okcare.ChatQueueService
	okcare.SelfServiceService
	okcare.ChannelService
	okcare.AntiPhishingService
	okcare.WalletCaseService
	okcare.HelpFeedbackService
	okcare.CalendarService
	// ReportFacts supplies the support reports (see sqldb.DB.ReportFacts).
	ReportFacts(ctx context.Context, since time.Time) ([]reports.TicketFacts, []reports.Rating, error)
	Ping(ctx context.Context) error
}

// Server is okcare's HTTP server.
type Server struct {
	Store  Store
	Logger *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
	// LoginLimiter limits login attempts per client address.
	LoginLimiter *RateLimiter
	// ContactLimiter limits new tickets, chats and callback requests per
	// customer (account, else browser, else address: see contactAllowed);
	// ContactCeiling is each address's ceiling over all of them;
	// ChatLimiter limits messages per chat.
	ContactLimiter *RateLimiter
	ContactCeiling *RateLimiter
	ChatLimiter    *RateLimiter
	// SelfServiceLimiter limits emergency freezes and password-reset
	// requests per client address (the store also limits them per
	// contact).
	SelfServiceLimiter *RateLimiter
	// VerifyLimiter limits official-channel and staff-code checks per
	// client address.
	VerifyLimiter *RateLimiter
	// FeedbackLimiter limits article votes, and the searches counted as
	// finding nothing, per client address.
	FeedbackLimiter *RateLimiter
	// VisitorKey signs the browser ids contact limits count by; every node
	// needs the same one (nil: a key for this process).
	VisitorKey []byte
	// Calendar is the support team's business calendar for promised times.
	Calendar *slaclock.Calendar
	// TeamCalendars, by channel, are the calendars of the teams answering
	// a channel (chat staffed into the evening, say); Policies are the SLA
	// targets (nil: slaclock.Default()). The contact page, the chat and
	// the callback form promise what these say.
	TeamCalendars map[string]*slaclock.Calendar
	Policies      slaclock.Policies
	// SupportAddress is the support mailbox the contact page lists.
	SupportAddress string
	// Search is the help-center index; search and publishing need it.
	Search *search.Index
	// Chat carries live-chat messages to the browsers watching them.
	Chat *chat.Hub
	// ChatRefresh is how often a waiting chat customer's place in the
	// queue is recomputed (zero: every 5 s).
	ChatRefresh time.Duration
	// ChatPing is how often a chat socket pings its browser, and how long
	// it waits for the pong before closing (zero: 3 s).
	ChatPing time.Duration
	// TrustProxy makes the server take the client address from
	// X-Forwarded-For; set it only behind a proxy that overwrites the header.
	TrustProxy bool
	// TrustedProxies are the proxies in front of the server whose
	// X-Forwarded-For entries are skipped when finding the client.
	TrustedProxies []netip.Prefix
	// MetricsToken, when set, is the bearer token /metrics asks for;
	// without it only loopback connections may read /metrics.
	MetricsToken string
	// RequestTimeout is every request's deadline (zero: DefaultRequestTimeout;
	// WebSockets excepted): the queries it runs inherit it, so with the
	// database unreachable the client gets a 503 in time instead of a
	// connection the server closes without an answer.
	RequestTimeout time.Duration
	// ProbeDir, if set, is where /readyz proves the node can write its
	// disk (the data directory).
	ProbeDir string

	ready readiness

	visitorOnce  sync.Once
	staffSockets staffSockets
	queueShare   queueShare
	launch       launchCache
	tmplOnce     sync.Once
	tmpl         *template.Template
	mux          *http.ServeMux
	routes       []Route
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	// metricsByRoute caches routeMetrics: routeStatus -> *routeMetric.
	metricsByRoute sync.Map
}

// Route is one registered endpoint; the OpenAPI test compares these with
// the document.
type Route struct {
	Method, Path string
}

// chinaCalendar is the default support calendar: 09:00-18:00 on mainland
// working days. The shipped data always parses; a failure is a build bug.
var chinaCalendar = func() *slaclock.Calendar {
	c, err := slaclock.China(9*time.Hour, 18*time.Hour)
	if err != nil {
		panic(err)
	}
	return c
}()

// NewServer builds the server and registers its routes.
func NewServer(store Store, logger *slog.Logger) *Server {
	s := &Server{
		Store:        store,
		Logger:       logger,
		Now:          time.Now,
		LoginLimiter: NewRateLimiter(10, time.Minute),
		// Enough for one customer on a bad day, not for a spam run; the
		// ceiling is sized for thousands of customers behind one NAT.
		ContactLimiter: NewRateLimiter(30, 10*time.Minute),
		ContactCeiling: NewRateLimiter(3000, 10*time.Minute),
		ChatLimiter:    NewRateLimiter(60, time.Minute),
		// A household's worth, not a run through a list of contacts.
		SelfServiceLimiter: NewRateLimiter(10, 10*time.Minute),
		VerifyLimiter:      NewRateLimiter(60, 10*time.Minute),
		// A reader votes on a few articles; a script votes on hundreds.
		FeedbackLimiter: NewRateLimiter(30, feedbackWindow),
		Calendar:        chinaCalendar,
		Chat:            &chat.Hub{Node: token.New("node_")},
		mux:             http.NewServeMux(),
		registry:        prometheus.NewRegistry(),
	}
	// A store that keeps the holiday data current (sqldb) gives the
	// default calendar its data, so imports reach the pages.
	if hb, ok := store.(interface{ HolidayBook() *slaclock.Book }); ok {
		if cal, err := slaclock.New(slaclock.Shanghai(), 9*time.Hour, 18*time.Hour, hb.HolidayBook()); err == nil {
			s.Calendar = cal
		}
	}
	s.ready.drainCtx, s.ready.startDrain = context.WithCancel(context.Background())
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "okcare_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "okcare_http_request_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route"})
	s.registry.MustRegister(s.requests, s.latency, prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}), relayGauge{s})
	s.registerRoutes()
	return s
}

// Routes returns the API routes (method and path pattern).
func (s *Server) Routes() []Route { return s.routes }

// handle registers an API route that appears in the OpenAPI document.
func (s *Server) handle(method, path string, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{method, path})
	s.mux.HandleFunc(method+" "+path, h)
}

func (s *Server) registerRoutes() {
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	metrics := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
	s.mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !s.metricsAllowed(r) {
			s.Error(w, r, okcare.Errorf(okcare.EUNAUTHORIZED, "Metrics need the metrics token."))
			return
		}
		metrics.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("GET /api/openapi.json", s.handleOpenAPI)

	// Pages.
	s.mux.HandleFunc("GET "+cssURL, asset("text/css; charset=utf-8", appCSS))
	s.mux.HandleFunc("GET "+jsURL, asset("text/javascript; charset=utf-8", wizardJS))
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/help", http.StatusFound) })
	s.mux.HandleFunc("GET /help", s.pageHelp)
	s.mux.HandleFunc("GET /help/search", s.pageSearch)
	s.mux.HandleFunc("GET /help/{slug}", s.pageArticle)
	s.mux.HandleFunc("POST /help/{slug}/vote", s.pageVote)
	s.mux.HandleFunc("GET /diagnose", s.pageDiagnoseForm)
	s.mux.HandleFunc("POST /diagnose", s.pageDiagnose)
	s.mux.HandleFunc("POST /diagnose/{id}/feedback", s.pageFeedback)
	s.mux.HandleFunc("GET /status", s.pageStatus)
	s.mux.HandleFunc("GET /support/new", s.pageTicketForm)
	s.mux.HandleFunc("POST /support/new", s.pageCreateTicket)
	s.mux.HandleFunc("GET /support/callback", s.pageCallbackForm)
	s.mux.HandleFunc("POST /support/callback", s.pageRequestCallback)
	s.mux.HandleFunc("GET /support/contact", s.pageContact)
	s.registerChat()
	s.mux.HandleFunc("GET /support/freeze", s.pageSelfFreezeForm)
	s.mux.HandleFunc("POST /support/freeze", s.pageStartSelfFreeze)
	s.mux.HandleFunc("POST /support/freeze/confirm", s.pageConfirmSelfFreeze)
	s.mux.HandleFunc("GET /support/forgot", s.pageForgotForm)
	s.mux.HandleFunc("POST /support/forgot", s.pageForgot)
	s.mux.HandleFunc("GET /reset-password", s.pageResetForm)
	s.mux.HandleFunc("POST /reset-password", s.pageReset)
	s.mux.HandleFunc("GET /verify", s.pageVerify)
	s.mux.HandleFunc("GET /support/account", s.pageAccount)
	s.mux.HandleFunc("POST /support/account/anti-phishing", s.pageSetAntiPhishing)
	s.mux.HandleFunc("GET /support/login", s.pageSignInForm)
	s.mux.HandleFunc("POST /support/login", s.pageSignIn)
	s.mux.HandleFunc("POST /support/logout", s.pageSignOut)
	s.mux.HandleFunc("GET /support/requests", s.pageMyRequests)
	s.customerTicketPages("/support/requests/{id}", s.bySession)
	s.customerTicketPages("/support/t/{token}", s.byLink)
	s.mux.HandleFunc("GET /csat", s.pageSurvey)
	s.mux.HandleFunc("POST /csat", s.pageAnswerSurvey)

	s.registerConsole()
	s.registerCalendar()

	s.handle("GET", "/app/v1/bootstrap", s.handleBootstrap)

	s.handle("POST", "/api/v1/users", s.handleRegister)
	s.handle("POST", "/api/v1/sessions", s.handleLogin)
	s.handle("GET", "/api/v1/me", s.user(s.handleMe))
	s.handle("GET", "/api/v1/me/sessions", s.user(s.handleListSessions))
	s.handle("DELETE", "/api/v1/me/sessions/{id}", s.user(s.handleRevokeSession))
	s.handle("POST", "/api/v1/me/password", s.user(s.handleChangePassword))
	s.handle("POST", "/api/v1/me/totp", s.user(s.handleBeginTOTP))
	s.handle("POST", "/api/v1/me/totp/confirm", s.user(s.handleConfirmTOTP))
	s.handle("POST", "/api/v1/me/totp/disable", s.user(s.handleDisableTOTP))
	s.handle("GET", "/api/v1/me/anti-phishing-code", s.user(s.handleGetAntiPhishing))
	s.handle("PUT", "/api/v1/me/anti-phishing-code", s.user(s.handleSetAntiPhishing))
	s.handle("GET", "/api/v1/me/balances", s.user(s.handleBalances))
	s.handle("GET", "/api/v1/me/transactions", s.user(s.handleTransactions))
	s.handle("POST", "/api/v1/transfers", s.user(s.handleMove(okcare.KindTransfer)))
	s.handle("POST", "/api/v1/payments", s.user(s.handleMove(okcare.KindPayment)))

	s.handle("POST", "/api/v1/diagnose", s.handleDiagnose)
	s.handle("POST", "/api/v1/diagnoses/{id}/feedback", s.handleDiagnosisFeedback)

	s.handle("GET", "/api/v1/status", s.handleStatus)
	s.handle("POST", "/api/v1/tickets", s.handleCreateTicket)
	s.handle("POST", "/api/v1/callbacks", s.handleRequestCallback)
	s.handle("GET", "/api/v1/me/tickets", s.user(s.handleMyTickets))
	s.handle("GET", "/api/v1/me/tickets/{id}", s.user(s.handleMyTicket))
	s.handle("POST", "/api/v1/me/tickets/{id}/messages", s.user(s.handleReplyToTicket))
	s.handle("GET", "/api/v1/me/tickets/{id}/transcript", s.user(s.handleTranscript))
	s.handle("POST", "/api/v1/me/tickets/{id}/attachments", s.user(s.handleUploadAttachment))
	s.handle("GET", "/api/v1/me/tickets/{id}/attachments/{attachment_id}", s.user(s.handleMyAttachment))
	s.handle("GET", "/api/v1/kb/search", s.handleKBSearch)
	s.handle("GET", "/api/v1/kb/articles/{slug}", s.handleKBArticle)

	s.handle("POST", "/api/v1/password-resets", s.handlePasswordReset)
	s.handle("GET", "/api/v1/verify", s.handleVerify)
	s.handle("POST", "/api/v1/password-reset-requests", s.handleRequestPasswordReset)
	s.handle("POST", "/api/v1/emergency-freezes", s.handleStartSelfFreeze)
	s.handle("POST", "/api/v1/emergency-freezes/{id}/confirm", s.handleConfirmSelfFreeze)
	s.handle("POST", "/api/v1/csat", s.handleAnswerSurvey)

	s.handle("POST", "/api/v1/agent/sessions", s.handleAgentLogin)
	s.handle("DELETE", "/api/v1/agent/sessions/current", s.agent(okcare.RoleAgent, s.handleAgentLogout))
	s.handle("GET", "/api/v1/agent/tickets", s.agent(okcare.RoleAgent, s.handleQueue))
	s.handle("PUT", "/api/v1/agent/me/presence", s.agent(okcare.RoleAgent, s.handlePresence))
	s.handle("POST", "/api/v1/agent/tickets/{id}/assign", s.agent(okcare.RoleSupervisor, s.handleReassign))
	s.handle("GET", "/api/v1/agent/tickets/{id}", s.agent(okcare.RoleAgent, s.handleAgentTicket))
	s.handle("GET", "/api/v1/agent/tickets/{id}/attachments/{attachment_id}", s.agent(okcare.RoleAgent, s.handleAgentAttachment))
	s.handle("POST", "/api/v1/agent/tickets/{id}/followups", s.agent(okcare.RoleAgent, s.handleScheduleFollowUp))
	s.handle("GET", "/api/v1/agent/tickets/{id}/context", s.agent(okcare.RoleAgent, s.handleCustomerContext))
	s.handle("POST", "/api/v1/agent/tickets/{id}/priority", s.agent(okcare.RoleAgent, s.handleSetPriority))
	s.handle("POST", "/api/v1/agent/tickets/{id}/incident", s.agent(okcare.RoleAgent, s.handleLinkIncident))
	s.handle("POST", "/api/v1/agent/tickets/{id}/tags", s.agent(okcare.RoleAgent, s.handleTagTicket))
	s.handle("POST", "/api/v1/agent/tickets/{id}/category", s.agent(okcare.RoleAgent, s.handleSetCategory))
	s.handle("GET", "/api/v1/admin/category-labels", s.agent(okcare.RoleAdmin, s.handleCategoryLabels))
	s.handle("POST", "/api/v1/agent/tickets/{id}/macros/{macro_id}", s.agent(okcare.RoleAgent, s.handleApplyMacro))
	s.handle("GET", "/api/v1/agent/macros", s.agent(okcare.RoleAgent, s.handleListMacros))
	s.handle("POST", "/api/v1/agent/macros", s.agent(okcare.RoleSupervisor, s.handleCreateMacro))
	s.handle("GET", "/api/v1/agent/team", s.agent(okcare.RoleSupervisor, s.handleTeam))
	s.handle("GET", "/api/v1/agent/reports", s.agent(okcare.RoleSupervisor, s.handleReport))
	s.handle("POST", "/api/v1/agent/tickets/{id}/calls", s.agent(okcare.RoleAgent, s.handleLogCall))
	s.handle("POST", "/api/v1/agent/tickets/{id}/status", s.agent(okcare.RoleAgent, s.handleSetTicketStatus))
	s.handle("POST", "/api/v1/agent/tickets/{id}/messages", s.agent(okcare.RoleAgent, s.handleAgentReply))
	s.handle("POST", "/api/v1/agent/tickets/{id}/verifications", s.agent(okcare.RoleAgent, s.handleStartVerification))
	s.handle("POST", "/api/v1/agent/verifications/{id}/confirm", s.agent(okcare.RoleAgent, s.handleConfirmVerification))
	s.handle("POST", "/api/v1/agent/tickets/{id}/actions/{action}", s.agent(okcare.RoleAgent, s.handleTakeAction))
	s.handle("POST", "/api/v1/agent/approvals/{id}/approve", s.agent(okcare.RoleSupervisor, s.handleApprove))
	s.handle("GET", "/api/v1/agent/transactions/{ref}", s.agent(okcare.RoleAgent, s.handleFindTransaction))
	s.handle("PUT", "/api/v1/admin/releases/{platform}", s.agent(okcare.RoleAdmin, s.handleSetRelease))
	s.handle("GET", "/api/v1/admin/releases/{platform}", s.agent(okcare.RoleAgent, s.handleGetRelease))
	s.handle("GET", "/api/v1/admin/incidents", s.agent(okcare.RoleAgent, s.handleListIncidents))
	s.handle("POST", "/api/v1/admin/incidents", s.agent(okcare.RoleAdmin, s.handleCreateIncident))
	s.handle("PATCH", "/api/v1/admin/incidents/{id}", s.agent(okcare.RoleAdmin, s.handlePatchIncident))
	s.handle("POST", "/api/v1/admin/accounts/{user_id}/{action}", s.agent(okcare.RoleAdmin, s.handleAccountAction))
	s.handle("GET", "/api/v1/admin/accounts/{user_id}", s.agent(okcare.RoleAgent, s.handleAccountView))
	s.handle("GET", "/api/v1/admin/outbox", s.agent(okcare.RoleAdmin, s.handleOutbox))
	s.handle("PUT", "/api/v1/admin/kb/articles/{slug}/{lang}", s.agent(okcare.RoleAdmin, s.handleSaveArticle))
	s.handle("POST", "/api/v1/admin/kb/articles/{slug}/{lang}/publish", s.agent(okcare.RoleAdmin, s.handlePublishArticle))
	s.handle("GET", "/api/v1/admin/kb/articles/{slug}/{lang}/history", s.agent(okcare.RoleAgent, s.handleArticleHistory))
	s.handle("POST", "/api/v1/admin/kb/preview", s.agent(okcare.RoleAgent, s.handlePreviewArticle))
	s.handle("GET", "/api/v1/admin/reports/deflection", s.agent(okcare.RoleAgent, s.handleDeflectionReport))
	s.handle("GET", "/api/v1/admin/kb/feedback", s.agent(okcare.RoleSupervisor, s.handleHelpFeedback))

	// Unknown paths: the JSON envelope for API clients, a page in the
	// customer's language for a browser. A known path asked with a method
	// it does not take is told which it does (405).
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if allowed := s.allowedMethods(r); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			err := okcare.Errorf(codeMethodNotAllowed, "Use %s.", strings.Join(allowed, " or "))
			if wantsPage(r) {
				s.pageError(w, r, pageLang(w, r), err)
			} else {
				s.Error(w, r, err)
			}
			return
		}
		if !wantsPage(r) {
			s.Error(w, r, okcare.Errorf(okcare.ENOTFOUND, "No such endpoint."))
			return
		}
		s.pageError(w, r, pageLang(w, r), okcare.Errorf(okcare.ENOTFOUND, "No such page."))
	})
}

// allowedMethods lists the methods that some route takes at r's path
// (the catch-all aside), when r's own is not one of them.
func (s *Server) allowedMethods(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			out = append(out, m)
		}
	}
	return out
}

// ServeHTTP applies the common middleware: panic recovery, security
// headers, metrics and access logs (which never include bodies, tokens or
// query strings, where secrets could hide).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: 200}
	s.securityHeaders(rec, r)
	if s.isDraining() && !isWebSocket(r) {
		// net/http closes the connection after this answer: keep-alive
		// clients move to another node before the listener closes, and
		// no connection is closed while a request may be on its way.
		// (A WebSocket upgrade sets its own Connection header.)
		rec.Header().Set("Connection", "close")
	}
	defer func() {
		if p := recover(); p != nil {
			s.Logger.Error("panic", "path", r.URL.Path, "panic", p)
			s.Error(rec, r, okcare.Errorf(okcare.EINTERNAL, "Internal error."))
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.routeMetrics(route, rec.status).observe(elapsed)
		s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", rec.status), slog.Duration("elapsed", elapsed))
	}()
	if s.cleanRequest(rec, r) {
		ctx := context.WithValue(r.Context(), customerKey, &customerMemo{})
		if !isWebSocket(r) {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, s.requestTimeout())
			defer cancel()
		}
		// The same request the deferred metrics read: the mux sets its Pattern.
		r = r.WithContext(ctx)
		s.mux.ServeHTTP(rec, r)
	}
}

// DefaultRequestTimeout is a request's deadline when none is configured.
const DefaultRequestTimeout = 10 * time.Second

func (s *Server) requestTimeout() time.Duration {
	if s.RequestTimeout > 0 {
		return s.RequestTimeout
	}
	return DefaultRequestTimeout
}

// isWebSocket reports an upgrade to a WebSocket, which lives as long as
// the chat does and keeps its own deadlines.
func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// routeMetric holds the request counter and latency histogram of one route
// and status, looked up once instead of by label values on every request.
type routeMetric struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func (m *routeMetric) observe(elapsed time.Duration) {
	m.requests.Inc()
	m.latency.Observe(elapsed.Seconds())
}

// routeMetrics returns the metrics of a route and status. Routes are the
// registered patterns (or "unmatched") and statuses are HTTP codes, so the
// cache is bounded.
func (s *Server) routeMetrics(route string, status int) *routeMetric {
	key := routeStatus{route, status}
	if m, ok := s.metricsByRoute.Load(key); ok {
		return m.(*routeMetric)
	}
	m := &routeMetric{requests: s.requests.WithLabelValues(route, http.StatusText(status)), latency: s.latency.WithLabelValues(route)}
	actual, _ := s.metricsByRoute.LoadOrStore(key, m)
	return actual.(*routeMetric)
}

type routeStatus struct {
	route  string
	status int
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

// Unwrap gives http.ResponseController and the websocket library the
// underlying writer (for hijacking and deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// WriteHeader records the status, and tells clients of a 503 or 507 when
// to try again (every page, API and console answer passes here).
func (r *statusRecorder) WriteHeader(status int) {
	if (status == http.StatusServiceUnavailable || status == http.StatusInsufficientStorage) && r.Header().Get("Retry-After") == "" {
		r.Header().Set("Retry-After", RetryAfter)
	}
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
