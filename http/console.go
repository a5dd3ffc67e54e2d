package http

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// staffCookie holds a staff session token for the console. It is HttpOnly,
// SameSite=Strict and scoped to /console; every console form also carries
// the CSRF token.
const staffCookie = "okcare_staff"

// staffPage is a console handler with its signed-in staff member.
type staffPage func(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string)

// staff wraps a console page that needs a staff member with at least role
// min. Without a session it sends the browser to the sign-in page; POSTs
// are checked for size and CSRF before anything else happens.
func (s *Server) staff(min okcare.AgentRole, h staffPage) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := pageLang(w, r)
		if r.Method == http.MethodPost {
			var ok bool
			if lang, ok = s.parseConsoleForm(w, r); !ok {
				return
			}
		}
		var a *okcare.Agent
		var err error = okcare.Errorf(okcare.EUNAUTHORIZED, "Sign in first.")
		if c, cerr := r.Cookie(staffCookie); cerr == nil {
			a, err = s.Store.AuthenticateAgent(r.Context(), c.Value)
		}
		if err != nil {
			if okcare.ErrorCode(err) != okcare.EUNAUTHORIZED {
				s.consoleError(w, r, lang, nil, err)
				return
			}
			next := ""
			if r.Method == http.MethodGet {
				next = "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, "/console/login"+next, http.StatusSeeOther)
			return
		}
		// A session without a second factor may only set one up.
		if a.MFAPending && !strings.HasPrefix(r.URL.Path, "/console/2fa") && r.URL.Path != "/console/logout" {
			http.Redirect(w, r, "/console/2fa", http.StatusSeeOther)
			return
		}
		if !a.Role.AtLeast(min) {
			s.consoleError(w, r, lang, a, okcare.Errorf(okcare.EFORBIDDEN, "This needs the %s role.", min))
			return
		}
		h(w, r, a, lang)
	}
}

// parseConsoleForm reads a bounded form and checks its CSRF token.
func (s *Server) parseConsoleForm(w http.ResponseWriter, r *http.Request) (string, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		lang := pageLang(w, r)
		s.consoleError(w, r, lang, nil, formError(err))
		return lang, false
	}
	lang := pageLang(w, r) // the form's own lang, now that it is read
	if err := checkCSRF(r); err != nil {
		s.consoleError(w, r, lang, nil, err)
		return lang, false
	}
	if !cleanValues(r.PostForm) {
		s.consoleError(w, r, lang, nil, errDirtyText)
		return lang, false
	}
	return lang, true
}

// renderConsole renders a console page.
func (s *Server) renderConsole(w http.ResponseWriter, r *http.Request, status int, name, lang string, a *okcare.Agent, title string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["C"], data["Agent"] = consoleText[lang], a
	if a != nil {
		data["IsSupervisor"] = a.Role.AtLeast(okcare.RoleSupervisor)
		data["IsAdmin"] = a.Role.AtLeast(okcare.RoleAdmin)
		data["CalendarBanner"] = s.calendarBanner(lang, a)
	}
	w.Header().Set("Cache-Control", "no-store") // customer data: never cached
	s.render(w, r, status, name, lang, title, data)
}

// consoleError renders an error inside the console.
func (s *Server) consoleError(w http.ResponseWriter, r *http.Request, lang string, a *okcare.Agent, err error) {
	status, ok := codeStatus[okcare.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
		s.Logger.Error("console", "path", r.URL.Path, "error", err)
	}
	setErrorCode(w, err)
	s.renderConsole(w, r, status, "console_error.html", lang, a, consoleText[lang]["error"], map[string]any{"Error": okcare.ErrorMessage(err), "Back": r.Referer()})
}

// localNext accepts only a path on this site as the after-login target.
func localNext(next string) string {
	if strings.HasPrefix(next, "/console") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console"
}

func (s *Server) consoleLoginForm(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	s.renderConsole(w, r, http.StatusOK, "console_login.html", lang, nil, consoleText[lang]["login_title"], map[string]any{"Next": localNext(r.URL.Query().Get("next"))})
}

func (s *Server) consoleLogin(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parseConsoleForm(w, r)
	if !ok {
		return
	}
	next := localNext(r.PostFormValue("next"))
	fail := func(status int, code, msg string) {
		w.Header().Set(errorCodeHeader, code)
		s.renderConsole(w, r, status, "console_login.html", lang, nil, consoleText[lang]["login_title"], map[string]any{"Next": next, "Error": msg})
	}
	ip := s.clientIP(r)
	if !s.LoginLimiter.Allow("agent:"+ip, s.Now()) {
		fail(http.StatusTooManyRequests, okcare.ERATELIMITED, consoleText[lang]["rate_limited"])
		return
	}
	email := r.PostFormValue("email")
	a, tok, wait, err := s.staffSignIn(r.Context(), email, r.PostFormValue("password"), strings.TrimSpace(r.PostFormValue("totp")), ip)
	if wait > 0 {
		fail(http.StatusTooManyRequests, okcare.ERATELIMITED, consoleText[lang]["rate_limited"])
		return
	}
	switch okcare.ErrorCode(err) {
	case "":
	case okcare.EINVALIDCREDENTIALS:
		fail(http.StatusUnauthorized, okcare.EINVALIDCREDENTIALS, consoleText[lang]["bad_login"])
		return
	case okcare.ETOTPREQUIRED, okcare.ETOTPINVALID:
		fail(http.StatusUnauthorized, okcare.ErrorCode(err), consoleText[lang]["bad_totp"])
		return
	default:
		s.consoleError(w, r, lang, nil, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: staffCookie, Value: tok, Path: "/console", HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteStrictMode})
	newCSRFToken(w, r)
	if a.MFAPending {
		next = "/console/2fa"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// secureRequest reports whether the browser reached us over HTTPS.
func (s *Server) secureRequest(r *http.Request) bool {
	return r.TLS != nil || (s.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

func (s *Server) consoleLogout(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	if c, err := r.Cookie(staffCookie); err == nil {
		if err := s.Store.AgentLogout(r.Context(), c.Value); err != nil {
			s.consoleError(w, r, lang, a, err)
			return
		}
		s.staffSockets.closeAll(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: staffCookie, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true, Secure: s.secureRequest(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// queueStatuses are the queue page's status choices.
var queueStatuses = map[string][]string{
	"":        {okcare.TicketNew, okcare.TicketOpen},
	"pending": {okcare.TicketPending},
	"on_hold": {okcare.TicketOnHold},
	"solved":  {okcare.TicketSolved},
	"closed":  {okcare.TicketClosed},
}

func (s *Server) consoleQueue(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	q := r.URL.Query()
	statuses, ok := queueStatuses[q.Get("status")]
	if !ok {
		s.consoleError(w, r, lang, a, okcare.Errorf(okcare.EINVALID, "Unknown status filter."))
		return
	}
	queue, err := s.Store.Queue(r.Context(), okcare.QueueFilter{Statuses: statuses, Category: q.Get("category"), Lang: q.Get("lang_filter"), Tag: q.Get("tag"), Limit: 100, Brief: true})
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	mine, err := s.Store.AgentTickets(r.Context(), a.ID)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	team, err := s.Store.Team(r.Context())
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	var me *okcare.AgentStatus
	for _, m := range team {
		if m.ID == a.ID {
			me = m
		}
	}
	s.renderConsole(w, r, http.StatusOK, "console_queue.html", lang, a, consoleText[lang]["queue"], map[string]any{
		"Queue": queue, "Mine": mine, "Team": team, "Me": me, "Now": s.Now(), "Names": staffNames(team),
		"Filter": map[string]string{"status": q.Get("status"), "category": q.Get("category"), "lang": q.Get("lang_filter"), "tag": q.Get("tag")},
		"Causes": causeCodes, "Statuses": []string{"", "pending", "on_hold", "solved", "closed"},
	})
}

func (s *Server) consolePresence(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	presence := r.PostFormValue("presence")
	capacity := 0
	if v := r.PostFormValue("capacity"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.consoleError(w, r, lang, a, okcare.Errorf(okcare.EINVALID, "capacity must be a number."))
			return
		}
		capacity = n
	}
	if _, sent := r.PostForm["capacity"]; sent && len(r.PostForm["langs"]) == 0 {
		s.consoleError(w, r, lang, a, okcare.Errorf(okcare.EINVALID, "Choose at least one language you answer in."))
		return
	}
	if err := s.Store.SetAgentPresence(r.Context(), a.ID, presence, capacity, r.PostForm["langs"]); err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	s.assignWaiting(r.Context(), presence)
	http.Redirect(w, r, "/console", http.StatusSeeOther)
}

// ticketPage gathers everything the ticket page shows.
func (s *Server) ticketPage(ctx context.Context, a *okcare.Agent, id string) (map[string]any, error) {
	t, err := s.Store.FindTicket(ctx, id)
	if err != nil {
		return nil, err
	}
	msgs, err := s.Store.TicketMessages(ctx, t.ID, true)
	if err != nil {
		return nil, err
	}
	cc, err := s.Store.CustomerContext(ctx, t.ID, a.ID)
	if err != nil {
		return nil, err
	}
	macros, err := s.Store.Macros(ctx)
	if err != nil {
		return nil, err
	}
	// The ticket's language first: those are the macros that fit.
	sort.SliceStable(macros, func(i, j int) bool { return macros[i].Lang == t.Lang && macros[j].Lang != t.Lang })
	files, err := s.Store.Attachments(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	followUps, err := s.Store.FollowUps(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var last int64 // where the chat socket catches up from
	for _, m := range msgs {
		if m.Public {
			last = m.Seq
		}
	}
	survey, err := s.Store.TicketSurvey(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"Ticket": t, "Attachments": files, "Survey": survey, "LastPublic": last, "ClientID": newClientID(), "ChatJS": chatJSURL, "FollowUps": followUps, "FollowUpDays": []int{1, 3, 7, 14}, "Messages": msgs, "Context": cc, "Macros": macros, "Now": s.Now(),
		"FirstBreached": t.FirstResponseBreached(s.Now()), "ResolutionBreached": t.ResolutionBreached(s.Now()),
		"Balances": balanceLines(cc.Balances), "Transactions": transactionLines(cc.Transactions), "FreezeReasons": okcare.FreezeReasons,
		"Statuses":   []string{okcare.TicketOpen, okcare.TicketPending, okcare.TicketOnHold, okcare.TicketSolved, okcare.TicketClosed},
		"Priorities": []string{okcare.PriorityLow, okcare.PriorityNormal, okcare.PriorityHigh, okcare.PriorityUrgent}, "Causes": causeCodes}
	// The open incidents to link the ticket to, and the one it is about.
	if data["OpenIncidents"], err = s.Store.Incidents(ctx, true); err != nil {
		return nil, err
	}
	if t.IncidentID != "" {
		if data["Incident"], err = s.Store.FindIncident(ctx, t.IncidentID); err != nil {
			return nil, err
		}
	}
	if v := cc.Verification; v != nil {
		data["Verified"] = v.VerifiedAt != nil
		data["CodeOpen"] = v.VerifiedAt == nil && s.Now().Before(v.ExpiresAt)
	}
	// The code this staff member gives the customer to check them on
	// /verify.
	if data["StaffCode"], err = s.Store.StaffCode(ctx, a.ID, t.ID); err != nil {
		return nil, err
	}
	// Staff are named, not shown by id: the team is read once per page.
	team, err := s.Store.Team(ctx)
	if err != nil {
		return nil, err
	}
	data["Names"] = staffNames(team)
	if a.Role.AtLeast(okcare.RoleSupervisor) {
		data["Team"] = team
	}
	return data, nil
}

func (s *Server) consoleTicket(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	data, err := s.ticketPage(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	t := data["Ticket"].(*okcare.Ticket)
	s.renderConsole(w, r, http.StatusOK, "console_ticket.html", lang, a, "#"+itoa(t.Number)+" "+t.Subject, data)
}

// ticketAction runs one change to a ticket from a console form and sends
// the browser back to the ticket; a refused change shows why.
func (s *Server) ticketAction(do func(r *http.Request, a *okcare.Agent, id string) error) staffPage {
	return func(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
		id := r.PathValue("id")
		if err := do(r, a, id); err != nil {
			s.consoleError(w, r, lang, a, err)
			return
		}
		http.Redirect(w, r, "/console/tickets/"+url.PathEscape(id), http.StatusSeeOther)
	}
}

func (s *Server) registerConsole() {
	s.mux.HandleFunc("GET /console/login", s.consoleLoginForm)
	s.mux.HandleFunc("POST /console/login", s.consoleLogin)
	s.mux.HandleFunc("POST /console/logout", s.staff(okcare.RoleAgent, s.consoleLogout))
	s.mux.HandleFunc("GET /console/2fa", s.staff(okcare.RoleAgent, s.consoleTOTPForm))
	s.mux.HandleFunc("POST /console/2fa", s.staff(okcare.RoleAgent, s.consoleTOTPConfirm))
	s.mux.HandleFunc("GET /console", s.staff(okcare.RoleAgent, s.consoleQueue))
	s.mux.HandleFunc("POST /console/presence", s.staff(okcare.RoleAgent, s.consolePresence))
	s.mux.HandleFunc("GET /console/tickets/{id}", s.staff(okcare.RoleAgent, s.consoleTicket))
	s.mux.HandleFunc("GET /console/tickets/{id}/attachments/{attachment_id}", s.staff(okcare.RoleAgent, func(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
		s.serveAttachment(w, r, r.PathValue("id"), r.PathValue("attachment_id"), func(w http.ResponseWriter, r *http.Request, err error) { s.consoleError(w, r, lang, a, err) })
	}))
	s.mux.HandleFunc("GET /console/reports", s.staff(okcare.RoleSupervisor, s.consoleReports))
	s.mux.HandleFunc("GET /console/audit", s.staff(okcare.RoleAdmin, s.consoleAudit))
	s.mux.HandleFunc("GET /console/macros", s.staff(okcare.RoleAgent, s.consoleMacros))
	s.registerConsoleChannels()
	s.mux.HandleFunc("POST /console/macros", s.staff(okcare.RoleSupervisor, s.consoleCreateMacro))

	agent := func(path string, do func(r *http.Request, a *okcare.Agent, id string) error) {
		s.mux.HandleFunc("POST /console/tickets/{id}/"+path, s.staff(okcare.RoleAgent, s.ticketAction(do)))
	}
	agent("reply", func(r *http.Request, a *okcare.Agent, id string) error {
		m, err := s.Store.ReplyAsAgentOnce(r.Context(), id, a.ID, r.PostFormValue("client_id"), r.PostFormValue("body"), r.PostFormValue("visibility") == "public")
		if err == nil {
			if t, err := s.Store.FindTicket(r.Context(), id); err == nil {
				s.publishChat(t, m) // a chat customer sees it at once
			}
		}
		return err
	})
	agent("macro", func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.ApplyMacro(r.Context(), id, a.ID, r.PostFormValue("macro"))
		return err
	})
	agent("status", func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.SetTicketStatus(r.Context(), id, "agent:"+a.ID, r.PostFormValue("status"))
		return err
	})
	agent("incident", func(r *http.Request, a *okcare.Agent, id string) error {
		return s.Store.LinkTicketIncident(r.Context(), id, r.PostFormValue("incident"), "agent:"+a.ID)
	})
	agent("priority", func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.SetTicketPriority(r.Context(), id, "agent:"+a.ID, r.PostFormValue("priority"))
		return err
	})
	agent("category", func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.SetTicketCategory(r.Context(), id, r.PostFormValue("category"), a.ID)
		return err
	})
	agent("tags", func(r *http.Request, a *okcare.Agent, id string) error {
		return s.Store.TagTicket(r.Context(), id, splitTags(r.PostFormValue("tags")))
	})
	agent("verify", func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.StartVerification(r.Context(), id, a.ID, r.PostFormValue("login"))
		return err
	})
	agent("confirm", func(r *http.Request, a *okcare.Agent, id string) error {
		// The code is checked against this ticket's own open check only.
		v, _, err := s.Store.IdentityChecks(r.Context(), id)
		if err != nil {
			return err
		}
		if v == nil {
			if _, err := s.Store.FindTicket(r.Context(), id); err != nil {
				return err // no such ticket
			}
			return okcare.Errorf(okcare.EINVALID, "Send a code to the customer first.")
		}
		_, err = s.Store.ConfirmVerification(r.Context(), v.ID, a.ID, r.PostFormValue("code"))
		return err
	})
	agent("action", func(r *http.Request, a *okcare.Agent, id string) error {
		_, err := s.Store.TakeAction(r.Context(), id, a.ID, r.PostFormValue("action"))
		return err
	})
	agent("followup", func(r *http.Request, a *okcare.Agent, id string) error {
		days, err := strconv.Atoi(r.PostFormValue("days"))
		if err != nil || days < 1 || days > 90 {
			return okcare.Errorf(okcare.EINVALID, "Choose when to follow up: 1 to 90 days.")
		}
		// The follow-up goes out at the same business-hour time of day,
		// that many working days on.
		_, err = s.Store.ScheduleFollowUp(r.Context(), id, a.ID, r.PostFormValue("body"), s.Calendar.AddWorkdays(s.Now(), days))
		return err
	})
	agent("call", func(r *http.Request, a *okcare.Agent, id string) error {
		return s.Store.LogCall(r.Context(), id, a.ID, r.PostFormValue("outcome"), r.PostFormValue("notes"))
	})
	agent("followup/cancel", func(r *http.Request, a *okcare.Agent, id string) error {
		return s.Store.CancelFollowUp(r.Context(), id, r.PostFormValue("followup"), a.ID)
	})
	supervisor := func(path string, do func(r *http.Request, a *okcare.Agent, id string) error) {
		s.mux.HandleFunc("POST /console/tickets/{id}/"+path, s.staff(okcare.RoleSupervisor, s.ticketAction(do)))
	}
	supervisor("assign", func(r *http.Request, a *okcare.Agent, id string) error {
		return s.Store.ReassignTicket(r.Context(), id, r.PostFormValue("agent"), a.ID)
	})
	supervisor("approve", func(r *http.Request, a *okcare.Agent, id string) error {
		// Only a request filed on this ticket can be approved from it.
		_, approvals, err := s.Store.IdentityChecks(r.Context(), id)
		if err != nil {
			return err
		}
		for _, ap := range approvals {
			if ap.ID == r.PostFormValue("approval") {
				_, err := s.Store.ApproveAction(r.Context(), ap.ID, a.ID)
				return err
			}
		}
		return okcare.Errorf(okcare.ENOTFOUND, "No such approval request on this ticket.")
	})
}

// timeLeft says how long until (or since) a deadline, for the queue.
func timeLeft(now, due time.Time) string {
	d := due.Sub(now).Round(time.Minute)
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	if d >= 48*time.Hour {
		return sign + itoa(int64(d/(24*time.Hour))) + "d"
	}
	h, m := int64(d/time.Hour), int64((d%time.Hour)/time.Minute)
	if h == 0 {
		return sign + itoa(m) + "m"
	}
	return sign + itoa(h) + "h" + itoa(m) + "m"
}

// consoleAudit shows the newest audit entries and whether the whole hash
// chain checks out (admins only).
func (s *Server) consoleAudit(w http.ResponseWriter, r *http.Request, a *okcare.Agent, lang string) {
	entries, err := s.Store.AuditLog(r.Context(), 200)
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	team, err := s.Store.Team(r.Context())
	if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	data := map[string]any{"Entries": entries, "Names": staffNames(team)}
	n, err := s.Store.VerifyAudit(r.Context())
	if errors.Is(err, okcare.ErrAuditBroken) {
		data["ChainError"] = err.Error()
	} else if err != nil {
		s.consoleError(w, r, lang, a, err)
		return
	}
	data["Checked"] = n
	s.renderConsole(w, r, http.StatusOK, "console_audit.html", lang, a, consoleText[lang]["audit"], data)
}
