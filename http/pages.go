package http

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/markdown"
	"github.com/okcare/okcare/upload"
)

// popularSlugs are the articles on the help-center home page.
var popularSlugs = []string{"wallet-wont-open", "symptom-crash-on-launch", "symptom-stuck-loading", "symptom-cannot-connect-server",
	"account-frozen", "login-restricted", "update-app", "reinstall-app", "contact-support", "enable-2fa",
	"scams-and-fake-support", "lost-or-stolen-phone", "verification-code-not-received", "money-not-arrived"}

// articleTitles maps slugs to published titles in lang.
func (s *Server) articleTitles(r *http.Request, lang string) map[string]string {
	titles := map[string]string{}
	list, err := s.Store.PublishedArticles(r.Context())
	if err != nil {
		return titles
	}
	for _, a := range list {
		if a.Lang == lang {
			titles[a.Slug] = a.Title
		}
	}
	return titles
}

// pageError renders an error page for err in the page's language.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, lang string, err error) {
	status, ok := codeStatus[okcare.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.Logger.Error("page", "path", r.URL.Path, "error", err)
	}
	setErrorCode(w, err)
	s.render(w, r, status, "search.html", lang, uiText[lang]["brand"], map[string]any{"Error": customerErrorText(lang, err)})
}

// customerErrorText says why a customer's request was refused, in their
// language. The store's messages are English: English pages show them
// (they name the field), Chinese pages the reason for the error's code.
func customerErrorText(lang string, err error) string {
	code := okcare.ErrorCode(err)
	if lang == okcare.LangEN && code != okcare.EINTERNAL {
		return okcare.ErrorMessage(err)
	}
	if text, ok := uiText[lang]["err_"+code]; ok {
		return text
	}
	return uiText[lang]["err_generic"]
}

func (s *Server) statusView(r *http.Request, lang string) (map[string]any, error) {
	active, err := s.launch.activeIncidents(r.Context(), s.Store, s.Now())
	if err != nil {
		return nil, err
	}
	rep := &statusReport{status: overallStatus(active)}
	return map[string]any{"Status": rep.status, "Label": rep.label(lang)}, nil
}

func (s *Server) pageHelp(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	status, err := s.statusView(r, lang)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	titles := s.articleTitles(r, lang)
	var list []map[string]string
	for _, slug := range popularSlugs {
		if t, ok := titles[slug]; ok {
			list = append(list, map[string]string{"Slug": slug, "Title": t})
		}
	}
	s.render(w, r, http.StatusOK, "help.html", lang, uiText[lang]["helpcenter"], map[string]any{"Status": status, "Articles": list})
}

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := map[string]any{"Query": q}
	if q != "" {
		idx, err := s.searchIndex()
		if err == nil {
			data["Results"], err = s.searchHelp(r, idx, q, lang, 10)
		}
		if err != nil {
			data["Error"] = customerErrorText(lang, err)
		}
	}
	s.render(w, r, http.StatusOK, "search.html", lang, uiText[lang]["search"]+" "+q, data)
}

func (s *Server) pageArticle(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	a, err := s.Store.PublishedArticle(r.Context(), r.PathValue("slug"), lang)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		// An article written in one language only (search finds it from
		// either page) is shown as it is, in a page of the reader's.
		a, err = s.Store.PublishedArticle(r.Context(), r.PathValue("slug"), otherLang(lang))
	}
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	// The vote form carries the search that led here; after a vote the
	// page thanks the reader (voted=yes) or offers more help (voted=no).
	s.render(w, r, http.StatusOK, "article.html", lang, a.Title, map[string]any{
		"Article": map[string]any{"Slug": a.Slug, "Lang": a.Lang, "HTML": markdown.Render("# " + a.Title + "\n\n" + markdown.Body(a.Body))},
		"Query":   articleQuery(r), "Voted": r.URL.Query().Get("voted")})
}

func otherLang(lang string) string {
	if lang == okcare.LangEN {
		return okcare.LangZH
	}
	return okcare.LangEN
}

func (s *Server) pageDiagnoseForm(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	s.render(w, r, http.StatusOK, "diagnose.html", lang, uiText[lang]["wizard_title"], nil)
}

// maxForm bounds a posted page form.
const maxForm = 32 << 10

// parsePageForm reads a posted form of at most maxForm bytes and checks its
// CSRF token; on failure it renders the error page and returns false.
func (s *Server) parsePageForm(w http.ResponseWriter, r *http.Request) (string, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, pageLang(w, r), formError(err))
		return "", false
	}
	lang := pageLang(w, r)
	if err := checkCSRF(r); err != nil {
		s.pageError(w, r, lang, err)
		return "", false
	}
	if !cleanValues(r.PostForm) {
		s.pageError(w, r, lang, errDirtyText)
		return "", false
	}
	return lang, true
}

// formError says why a form could not be parsed: too large, or not a form.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return okcare.Errorf(okcare.EBODYTOOLARGE, "The form is too large.")
	}
	return okcare.Errorf(okcare.EINVALID, "The form could not be read.")
}

// parseUploadForm is parsePageForm for a multipart form that may carry one
// attachment (the ticket form). The whole request is bounded; the file is
// read into memory, never into a temporary file.
func (s *Server) parseUploadForm(w http.ResponseWriter, r *http.Request) (string, *okcare.Attachment, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		lang, ok := s.parsePageForm(w, r)
		return lang, nil, ok
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm+upload.MaxBytes+4<<10)
	if err := r.ParseMultipartForm(maxForm + upload.MaxBytes + 4<<10); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = okcare.Errorf(okcare.EBODYTOOLARGE, "A file may be at most %d MiB.", upload.MaxBytes>>20)
		} else {
			err = okcare.Errorf(okcare.EINVALID, "The form could not be read.")
		}
		s.pageError(w, r, pageLang(w, r), err)
		return "", nil, false
	}
	defer r.MultipartForm.RemoveAll()
	lang := pageLang(w, r)
	if err := checkCSRF(r); err != nil {
		s.pageError(w, r, lang, err)
		return "", nil, false
	}
	if !cleanValues(r.MultipartForm.Value) {
		s.pageError(w, r, lang, errDirtyText)
		return "", nil, false
	}
	files := r.MultipartForm.File["attachment"]
	if len(files) == 0 || files[0].Size == 0 {
		return lang, nil, true
	}
	f, err := files[0].Open()
	if err != nil {
		s.pageError(w, r, lang, err)
		return "", nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, upload.MaxBytes+1))
	if err != nil {
		s.pageError(w, r, lang, err)
		return "", nil, false
	}
	return lang, &okcare.Attachment{Filename: files[0].Filename, Data: data}, true
}

func (s *Server) pageDiagnose(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	req := &diagnose.Request{Lang: lang, Symptom: r.PostFormValue("symptom"), Description: r.PostFormValue("description"), ErrorText: r.PostFormValue("error_text")}
	if v := strings.TrimSpace(r.PostFormValue("app_version")); v != "" {
		req.App = &diagnose.App{Platform: r.PostFormValue("platform"), Version: v}
	}
	if v := strings.TrimSpace(r.PostFormValue("os_version")); v != "" {
		req.Device = &diagnose.Device{OSVersion: v}
	}
	if v := r.PostFormValue("network_type"); v != "" {
		req.Network = &diagnose.Network{Type: v}
	}
	if err := diagnose.Validate(req); err != nil {
		setErrorCode(w, err)
		s.render(w, r, http.StatusBadRequest, "diagnose.html", lang, uiText[lang]["wizard_title"], map[string]any{"Error": customerErrorText(lang, err)})
		return
	}
	warning := maskDiagnosis(req)
	d, res, err := s.runDiagnosis(r.Context(), req, nil)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "result.html", lang, uiText[lang]["result_title"], map[string]any{"ID": d.ID, "Key": d.Key, "Result": res, "Titles": s.articleTitles(r, lang), "Warning": warning})
}

func (s *Server) pageFeedback(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	id, key, outcome := r.PathValue("id"), r.PostFormValue("key"), r.PostFormValue("outcome")
	if err := s.Store.SetDiagnosisOutcome(r.Context(), id, "", key, outcome); err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	data := map[string]any{"ID": id, "Key": key, "Solved": outcome == okcare.OutcomeSolved}
	if outcome == okcare.OutcomeStillBroken {
		d, err := s.Store.OpenDiagnosis(r.Context(), id, "", key)
		if err != nil {
			s.pageError(w, r, lang, err)
			return
		}
		data["Prefill"] = prefillRows(d.Result, lang)
		data["ContactText"] = fill(tr(lang, "contact_text"), "email", s.promise(lang, okcare.ChannelMail, s.Now()), "chat", s.promise(lang, okcare.ChannelChat, s.Now()))
	}
	s.render(w, r, http.StatusOK, "feedback.html", lang, uiText[lang]["contact_title"], data)
}

func (s *Server) pageStatus(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	rep, err := s.statusReport(r.Context())
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	s.render(w, r, http.StatusOK, "status.html", lang, uiText[lang]["status_title"], map[string]any{"Status": map[string]any{
		"Status": rep.status, "Label": rep.label(lang), "Active": localizeIncidents(rep.active, lang), "Resolved": localizeIncidents(rep.resolved, lang)}})
}

// incidentView is an incident in one language, for the status page.
type incidentView struct {
	ID, Title, Message string
	Updates            []okcare.IncidentUpdate
}

func localizeIncidents(list []*okcare.Incident, lang string) []incidentView {
	out := make([]incidentView, 0, len(list))
	for _, inc := range list {
		v := incidentView{ID: inc.ID}
		v.Title, v.Message = inc.Localized(lang)
		for _, u := range inc.Updates {
			if lang == okcare.LangEN && u.MessageEN != "" {
				u.Message = u.MessageEN
			}
			v.Updates = append(v.Updates, u)
		}
		out = append(out, v)
	}
	return out
}
