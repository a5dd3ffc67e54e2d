package http

import (
	"net/http"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/contact"
)

// callbackForm is the callback page's content.
type callbackForm struct {
	Phone, Window, Description string
}

// callbackWindows are the windows a customer can pick, labelled with the
// phone team's real hours; a window those hours leave empty is not offered.
func (s *Server) callbackWindows(lang, checked string) []map[string]any {
	cal := s.desk().CalendarFor(okcare.ChannelPhone)
	var windows []map[string]any
	for _, v := range okcare.CallbackWindows {
		label := tr(lang, "cb_"+v)
		if from, to, ok := contact.Part(cal, v); ok {
			label = fill(tr(lang, "cb_window_part"), "label", label, "from", clock(from), "to", clock(to))
		} else if v != contact.ASAP {
			continue
		}
		windows = append(windows, map[string]any{"Value": v, "Label": label, "Checked": checked == v})
	}
	return windows
}

func (s *Server) renderCallback(w http.ResponseWriter, r *http.Request, status int, lang string, f callbackForm, data map[string]any) {
	if f.Window == "" {
		f.Window = contact.ASAP
	}
	if data == nil {
		data = map[string]any{}
	}
	phone := s.desk().Available(okcare.ChannelPhone, s.Now())
	data["F"], data["Windows"] = f, s.callbackWindows(lang, f.Window)
	data["Intro"] = fill(tr(lang, "cb_intro"), "open", clock(phone.Open), "close", clock(phone.Close), "promise", s.promise(lang, okcare.ChannelPhone, s.Now()))
	s.render(w, r, status, "callback.html", lang, tr(lang, "cb_title"), data)
}

func (s *Server) pageCallbackForm(w http.ResponseWriter, r *http.Request) {
	s.renderCallback(w, r, http.StatusOK, pageLang(w, r), callbackForm{}, nil)
}

// callbackPromise is when the phone team will call someone who asks now
// for window.
func (s *Server) callbackPromise(window string, now time.Time) (contact.Window, error) {
	d := s.desk()
	if window == "" {
		window = contact.ASAP
	}
	w, err := contact.Callback(d.CalendarFor(okcare.ChannelPhone), d.Promise(okcare.ChannelPhone), window, now)
	if err != nil {
		return w, okcare.Errorf(okcare.EINVALID, "window must be one of the offered callback windows.")
	}
	return w, nil
}

// requestCallback opens a phone ticket whose first-response target is the
// end of the promised window; it is shared by the page and the API.
func (s *Server) requestCallback(r *http.Request, u *okcare.User, lang string, f callbackForm) (*okcare.Ticket, contact.Window, error) {
	win, err := s.callbackPromise(f.Window, s.Now())
	if err != nil {
		return nil, win, err
	}
	req := okcare.NewTicket{ContactPhone: f.Phone, Channel: okcare.ChannelPhone, Lang: lang, FirstResponseDue: &win.To,
		Intake: okcare.Intake{Description: f.Description, CallbackWindow: f.Window}}
	if u != nil {
		req.UserID = u.ID
	}
	t, err := s.createTicket(r.Context(), u, req)
	if err != nil {
		return nil, win, err
	}
	return t.Ticket, win, nil
}

func (s *Server) pageRequestCallback(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	f := callbackForm{Phone: r.PostFormValue("contact_phone"), Window: r.PostFormValue("window"), Description: r.PostFormValue("description")}
	if err := s.contactAllowed(r); err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	t, win, err := s.requestCallback(r, s.customer(r), lang, f) // signed in: the account comes along
	if err != nil {
		if okcare.ErrorCode(err) == okcare.EINTERNAL {
			s.pageError(w, r, lang, err)
			return
		}
		setErrorCode(w, err)
		s.renderCallback(w, r, errorStatus(err), lang, f, map[string]any{"Error": customerErrorText(lang, err)})
		return
	}
	promise := windowText(lang, win, s.Now())
	if s.replyByProvisional(t) {
		promise += provisionalNote(lang)
	}
	s.renderCallback(w, r, http.StatusCreated, lang, f, map[string]any{"Ticket": t, "Promise": promise})
}

// callbackJSON is the API's answer to a callback request: the ticket and
// the promised window.
type callbackJSON struct {
	ticketJSON
	CallFrom time.Time `json:"call_from"`
	CallBy   time.Time `json:"call_by"`
}

func (s *Server) handleRequestCallback(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Phone       string `json:"phone"`
		Window      string `json:"window"`
		Lang        string `json:"lang"`
		Description string `json:"description"`
	}
	if _, err := decodeJSON(w, r, &body, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.optionalUser(r)
	if err == nil {
		err = s.contactAllowed(r)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	t, win, err := s.requestCallback(r, u, body.Lang, callbackForm{Phone: body.Phone, Window: body.Window, Description: body.Description})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, callbackJSON{ticketJSON: ticketJSON{Ticket: forCustomer(t), ReplyBy: s.replyBy(t), ReplyByProvisional: s.replyByProvisional(t)}, CallFrom: win.From, CallBy: win.To})
}
