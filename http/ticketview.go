package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/okcare/okcare"
)

// A customer's own ticket page, reached two ways: signed in, under "My
// requests" (/support/requests/{id}), or through the private link of the
// acknowledgement (/support/t/{token}), for customers without an account
// or who cannot sign in. Both show the public conversation only, take
// replies with a file, and the rating once the ticket is solved.

// ticketAccess is a customer's way into one ticket.
type ticketAccess struct {
	Ticket *okcare.Ticket
	Base   string // this ticket page's path, for its forms
	Author string // who the customer writes as
}

// byLink resolves /support/t/{token}.
func (s *Server) byLink(r *http.Request) (*ticketAccess, error) {
	tok := r.PathValue("token")
	t, err := s.Store.TicketByLink(r.Context(), tok)
	if err != nil {
		return nil, err
	}
	author := "contact"
	if t.UserID != "" {
		author = "user:" + t.UserID
	}
	return &ticketAccess{Ticket: t, Base: "/support/t/" + tok, Author: author}, nil
}

// bySession resolves /support/requests/{id} for the signed-in customer;
// anyone else's ticket is "not found".
func (s *Server) bySession(r *http.Request) (*ticketAccess, error) {
	u := s.customer(r)
	if u == nil {
		return nil, okcare.Errorf(okcare.EUNAUTHORIZED, "Sign in to see your requests.")
	}
	t, err := s.Store.FindTicket(r.Context(), r.PathValue("id"))
	if err == nil && t.UserID != u.ID {
		err = okcare.Errorf(okcare.ENOTFOUND, "No such ticket.")
	}
	if err != nil {
		return nil, err
	}
	return &ticketAccess{Ticket: t, Base: "/support/requests/" + t.ID, Author: "user:" + u.ID}, nil
}

// customerTicketPages registers the ticket page and its forms under one
// way of access.
func (s *Server) customerTicketPages(prefix string, access func(*http.Request) (*ticketAccess, error)) {
	s.mux.HandleFunc("GET "+prefix, s.withTicket(access, s.pageCustomerTicket))
	s.mux.HandleFunc("POST "+prefix+"/reply", s.withTicket(access, s.pageCustomerReply))
	s.mux.HandleFunc("POST "+prefix+"/rate", s.withTicket(access, s.pageCustomerRate))
	s.mux.HandleFunc("POST "+prefix+"/verify", s.withTicket(access, s.pageCustomerVerify))
	s.mux.HandleFunc("POST "+prefix+"/confirm", s.withTicket(access, s.pageCustomerConfirm))
	s.mux.HandleFunc("GET "+prefix+"/files/{file}", s.withTicket(access, s.pageCustomerFile))
}

// withTicket resolves the ticket before the handler; a bad link or someone
// else's ticket gets the page's error in the customer's language. The
// private link is a credential in the URL: no referrer, no cache.
func (s *Server) withTicket(access func(*http.Request) (*ticketAccess, error), h func(http.ResponseWriter, *http.Request, string, *ticketAccess)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-store")
		lang := pageLang(w, r)
		a, err := access(r)
		if okcare.ErrorCode(err) == okcare.EUNAUTHORIZED && !strings.HasPrefix(r.URL.Path, "/support/t/") && r.Method == http.MethodGet {
			http.Redirect(w, r, signInURL(r, lang), http.StatusSeeOther)
			return
		}
		if err != nil {
			s.pageError(w, r, lang, err)
			return
		}
		h(w, r, lang, a)
	}
}

// customerMessage is a public message as its customer sees it.
type customerMessage struct {
	Who  string
	Mine bool
	*okcare.TicketMessage
}

func (s *Server) renderCustomerTicket(w http.ResponseWriter, r *http.Request, status int, lang string, a *ticketAccess, errText string) {
	ctx := r.Context()
	msgs, err := s.Store.TicketMessages(ctx, a.Ticket.ID, false)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	files, err := s.Store.Attachments(ctx, a.Ticket.ID)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	survey, err := s.Store.TicketSurvey(ctx, a.Ticket.ID)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	var view []customerMessage
	for _, m := range msgs {
		who, mine := uiText[lang]["who_support"], false
		switch {
		case m.Author == "contact" || strings.HasPrefix(m.Author, "user:"):
			who, mine = uiText[lang]["who_you"], true
		case m.Author == "system":
			who = uiText[lang]["who_system"]
		}
		view = append(view, customerMessage{Who: who, Mine: mine, TicketMessage: m})
	}
	t := a.Ticket
	var incident map[string]string
	if t.IncidentID != "" {
		inc, err := s.Store.FindIncident(ctx, t.IncidentID)
		if err != nil {
			s.pageError(w, r, lang, err)
			return
		}
		title, _ := inc.Localized(lang)
		incident = map[string]string{"Title": title, "Status": inc.Status}
	}
	// A ticket not linked yet offers to link it: a code to the account's
	// registered contact, typed here.
	var codeSentTo string
	if t.UserID == "" {
		v, _, err := s.Store.IdentityChecks(ctx, t.ID)
		if err != nil {
			s.pageError(w, r, lang, err)
			return
		}
		if v != nil && v.VerifiedAt == nil && s.Now().Before(v.ExpiresAt) {
			codeSentTo = v.SentTo
		}
	}
	closed := t.Status == okcare.TicketClosed
	lead, note := s.replyByWords(lang, "tv_reply_by", t)
	s.render(w, r, status, "ticket_view.html", lang, uiText[lang]["ticket_number"]+" #"+strconv.FormatInt(t.Number, 10), map[string]any{
		"Ticket": t, "Base": a.Base, "Messages": view, "Files": files, "ReplyBy": s.replyBy(t), "ReplyByLead": lead, "Provisional": note, "Error": errText,
		"Closed": closed, "CanRate": survey != nil && survey.AnsweredAt == nil, "Survey": survey, "Ratings": []int{1, 2, 3, 4, 5},
		"Answered": t.FirstRespondedAt != nil, "Customer": s.customer(r), "Incident": incident,
		"CanLink": t.UserID == "" && !closed, "CodeSentTo": codeSentTo})
}

func (s *Server) pageCustomerTicket(w http.ResponseWriter, r *http.Request, lang string, a *ticketAccess) {
	s.renderCustomerTicket(w, r, http.StatusOK, lang, a, "")
}

// pageCustomerReply adds the customer's reply, with an optional file; a
// reply to a pending or solved ticket reopens it.
func (s *Server) pageCustomerReply(w http.ResponseWriter, r *http.Request, _ string, a *ticketAccess) {
	lang, file, ok := s.parseUploadForm(w, r)
	if !ok {
		return
	}
	body := strings.TrimSpace(r.PostFormValue("body"))
	var err error
	switch {
	case body == "" && file == nil:
		err = okcare.Errorf(okcare.EINVALID, "Write a message or choose a file.")
	case body == "":
		err = s.Store.AddAttachment(r.Context(), a.Ticket.ID, a.Author, file)
	default:
		err = s.Store.AddTicketMessage(r.Context(), &okcare.TicketMessage{TicketID: a.Ticket.ID, Author: a.Author, Public: true, Body: body, Attachments: attachments(file)})
	}
	if err != nil {
		s.customerFormError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, a.Base+"?lang="+lang+"#reply", http.StatusSeeOther)
}

func (s *Server) pageCustomerRate(w http.ResponseWriter, r *http.Request, _ string, a *ticketAccess) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	if err := s.Store.RateTicket(r.Context(), a.Ticket.ID, rating, r.PostFormValue("comment")); err != nil {
		s.customerFormError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, a.Base+"?lang="+lang+"#rated", http.StatusSeeOther)
}

// customerFormError shows the ticket again with a refused form's reason in
// the customer's language.
func (s *Server) customerFormError(w http.ResponseWriter, r *http.Request, lang string, a *ticketAccess, err error) {
	if okcare.ErrorCode(err) == okcare.EINTERNAL {
		s.pageError(w, r, lang, err)
		return
	}
	// The ticket may have moved (a reply reopens it): show it as it is now.
	if t, ferr := s.Store.FindTicket(r.Context(), a.Ticket.ID); ferr == nil {
		a.Ticket = t
	}
	setErrorCode(w, err)
	s.renderCustomerTicket(w, r, codeStatus[okcare.ErrorCode(err)], lang, a, customerErrorText(lang, err))
}

// pageCustomerFile serves one of the ticket's files as a download.
func (s *Server) pageCustomerFile(w http.ResponseWriter, r *http.Request, lang string, a *ticketAccess) {
	s.serveAttachment(w, r, a.Ticket.ID, r.PathValue("file"), func(w http.ResponseWriter, r *http.Request, err error) { s.pageError(w, r, lang, err) })
}

// pageCustomerVerify sends a code to the registered contact of the account
// the ticket's contact (or the login the customer names) belongs to.
func (s *Server) pageCustomerVerify(w http.ResponseWriter, r *http.Request, _ string, a *ticketAccess) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	if _, err := s.Store.StartCustomerVerification(r.Context(), a.Ticket.ID, r.PostFormValue("login")); err != nil {
		s.customerFormError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, a.Base+"?lang="+lang+"#link-account", http.StatusSeeOther)
}

// pageCustomerConfirm checks the code the customer typed; right, the ticket
// is linked to their account.
func (s *Server) pageCustomerConfirm(w http.ResponseWriter, r *http.Request, _ string, a *ticketAccess) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	if _, err := s.Store.ConfirmCustomerVerification(r.Context(), a.Ticket.ID, r.PostFormValue("code")); err != nil {
		s.customerFormError(w, r, lang, a, err)
		return
	}
	http.Redirect(w, r, a.Base+"?lang="+lang+"#conversation", http.StatusSeeOther)
}
