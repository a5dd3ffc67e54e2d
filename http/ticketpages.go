package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/okcare/okcare"
)

// triedSteps are the self-help steps the form offers to tick.
var triedSteps = []string{"network", "update", "cache", "reinstall", "restart"}

// ticketForm is the web ticket form's content.
type ticketForm struct {
	DiagnosisID, DiagnosisKey, Category, Symptom, Email, HappenedAt, Description, Platform, AppVersion, OSVersion string
	Tried                                                                                                         map[string]bool
}

// prefillFromDiagnosis fills the form from an anonymous diagnosis, so the
// customer does not repeat what the wizard already asked.
func (s *Server) prefillFromDiagnosis(r *http.Request, id, key string) ticketForm {
	f := ticketForm{Platform: okcare.PlatformAndroid, Tried: map[string]bool{}}
	if id == "" {
		return f
	}
	d, err := s.Store.OpenDiagnosis(r.Context(), id, "", key)
	if err != nil {
		return f
	}
	f.DiagnosisKey = key
	var req struct {
		Symptom     string `json:"symptom"`
		Description string `json:"description"`
		ErrorText   string `json:"error_text"`
		App         *struct{ Platform, Version string }
		Device      *struct {
			OSVersion string `json:"os_version"`
		}
	}
	json.Unmarshal(d.Request, &req)
	f.DiagnosisID, f.Category, f.Symptom = d.ID, d.TopCause, req.Symptom
	f.Description = strings.TrimSpace(strings.TrimSpace(req.ErrorText) + "\n" + req.Description)
	if req.App != nil {
		f.Platform, f.AppVersion = req.App.Platform, req.App.Version
	}
	if req.Device != nil {
		f.OSVersion = req.Device.OSVersion
	}
	return f
}

func (s *Server) renderTicketForm(w http.ResponseWriter, r *http.Request, status int, lang string, f ticketForm, errText string) {
	var steps []map[string]any
	for _, v := range triedSteps {
		steps = append(steps, map[string]any{"Value": v, "Label": uiText[lang]["tried_"+v], "Checked": f.Tried[v]})
	}
	s.render(w, r, status, "ticket_new.html", lang, uiText[lang]["ticket_title"], map[string]any{"F": f, "Steps": steps, "Error": errText})
}

func (s *Server) pageTicketForm(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	f := s.prefillFromDiagnosis(r, r.URL.Query().Get("diagnosis"), r.URL.Query().Get("key"))
	if u := s.customer(r); u != nil {
		f.Email = u.Email
	}
	s.renderTicketForm(w, r, http.StatusOK, lang, f, "")
}

func (s *Server) pageCreateTicket(w http.ResponseWriter, r *http.Request) {
	lang, file, ok := s.parseUploadForm(w, r)
	if !ok {
		return
	}
	if err := s.contactAllowed(r); err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	f := ticketForm{DiagnosisID: r.PostFormValue("diagnosis_id"), DiagnosisKey: r.PostFormValue("diagnosis_key"), Category: r.PostFormValue("category"), Symptom: r.PostFormValue("symptom"),
		Email: r.PostFormValue("contact_email"), HappenedAt: r.PostFormValue("happened_at"), Description: r.PostFormValue("description"),
		Platform: r.PostFormValue("platform"), AppVersion: r.PostFormValue("app_version"), OSVersion: r.PostFormValue("os_version"), Tried: map[string]bool{}}
	var tried []string
	for _, v := range r.PostForm["steps_tried"] {
		for _, known := range triedSteps {
			if v == known && !f.Tried[v] {
				f.Tried[v] = true
				tried = append(tried, v)
			}
		}
	}
	// Signed in, the ticket carries the account (and the acknowledgement
	// goes to the address they typed, or to the registered one).
	t, err := s.createTicket(r.Context(), s.customer(r), okcare.NewTicket{ContactEmail: f.Email, Channel: okcare.ChannelWeb, Lang: lang, Category: f.Category,
		Intake: okcare.Intake{HappenedAt: f.HappenedAt, Symptom: f.Symptom, Description: f.Description, StepsTried: tried,
			Platform: f.Platform, AppVersion: f.AppVersion, OSVersion: f.OSVersion, DiagnosisID: f.DiagnosisID, DiagnosisKey: f.DiagnosisKey}, Attachments: attachments(file)})
	if err != nil {
		if okcare.ErrorCode(err) == okcare.EINTERNAL {
			s.pageError(w, r, lang, err)
			return
		}
		setErrorCode(w, err)
		s.renderTicketForm(w, r, errorStatus(err), lang, f, customerErrorText(lang, err))
		return
	}
	lead, note := s.replyByWords(lang, "ticket_reply_by", t.Ticket)
	s.render(w, r, http.StatusCreated, "ticket_done.html", lang, uiText[lang]["ticket_done_title"], map[string]any{"Ticket": t.Ticket, "ReplyBy": t.ReplyBy,
		"ReplyByLead": lead, "Provisional": note})
}

// attachments is the list of one optional file.
func attachments(a *okcare.Attachment) []*okcare.Attachment {
	if a == nil {
		return nil
	}
	return []*okcare.Attachment{a}
}

func (s *Server) pageSurvey(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	s.render(w, r, http.StatusOK, "csat.html", lang, uiText[lang]["csat_title"], map[string]any{"Token": r.URL.Query().Get("token"), "Ratings": []int{1, 2, 3, 4, 5}})
}

func (s *Server) pageAnswerSurvey(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	tok := r.PostFormValue("token")
	if err := s.Store.AnswerSurvey(r.Context(), tok, rating, r.PostFormValue("comment")); err != nil {
		if okcare.ErrorCode(err) == okcare.EINTERNAL {
			s.pageError(w, r, lang, err)
			return
		}
		setErrorCode(w, err)
		s.render(w, r, errorStatus(err), "csat.html", lang, uiText[lang]["csat_title"], map[string]any{"Token": tok, "Ratings": []int{1, 2, 3, 4, 5}, "Error": customerErrorText(lang, err)})
		return
	}
	s.render(w, r, http.StatusOK, "csat.html", lang, uiText[lang]["csat_thanks"], map[string]any{"Done": true})
}
