package http

import (
	"net/http"

	"github.com/okcare/okcare"
)

// callbackForm is the callback page's content.
type callbackForm struct {
	Phone, Window, Description string
}

func (s *Server) renderCallback(w http.ResponseWriter, r *http.Request, status int, lang string, f callbackForm, data map[string]any) {
	if f.Window == "" {
		f.Window = "asap"
	}
	var windows []map[string]any
	for _, v := range okcare.CallbackWindows {
		windows = append(windows, map[string]any{"Value": v, "Label": uiText[lang]["cb_"+v], "Checked": f.Window == v})
	}
	if data == nil {
		data = map[string]any{}
	}
	data["F"], data["Windows"] = f, windows
	s.render(w, r, status, "callback.html", lang, uiText[lang]["cb_title"], data)
}

func (s *Server) pageCallbackForm(w http.ResponseWriter, r *http.Request) {
	s.renderCallback(w, r, http.StatusOK, pageLang(w, r), callbackForm{}, nil)
}

// requestCallback opens a phone ticket; it is shared by the page and the API.
func (s *Server) requestCallback(r *http.Request, u *okcare.User, lang string, f callbackForm) (*okcare.Ticket, error) {
	req := okcare.NewTicket{ContactPhone: f.Phone, Channel: okcare.ChannelPhone, Lang: lang,
		Intake: okcare.Intake{Description: f.Description, CallbackWindow: f.Window}}
	if u != nil {
		req.UserID = u.ID
	}
	t, err := s.createTicket(r.Context(), u, req)
	if err != nil {
		return nil, err
	}
	return t.Ticket, nil
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
	t, err := s.requestCallback(r, nil, lang, f)
	if err != nil {
		if okcare.ErrorCode(err) == okcare.EINTERNAL {
			s.pageError(w, r, lang, err)
			return
		}
		s.renderCallback(w, r, http.StatusBadRequest, lang, f, map[string]any{"Error": uiText[lang]["bad_request"] + okcare.ErrorMessage(err)})
		return
	}
	s.renderCallback(w, r, http.StatusCreated, lang, f, map[string]any{"Ticket": t, "CallBy": s.replyBy(t)})
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
	t, err := s.requestCallback(r, u, body.Lang, callbackForm{Phone: body.Phone, Window: body.Window, Description: body.Description})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ticketJSON{Ticket: t, ReplyBy: s.replyBy(t)})
}
