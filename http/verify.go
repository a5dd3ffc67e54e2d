package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/official"
)

// Official-channel verification: anyone can ask whether a phone number,
// email address, website or chat account is OK Wallet's (/verify and GET
// /api/v1/verify?channel=), and whether the person they are talking to is
// OK Wallet staff (?staff_code=). The answer is in the asker's language.

// brandWords are the words of OK Wallet's name that lookalikes borrow,
// besides the names of the official domains.
var brandWords = []string{"okwallet", "ok-wallet", "okqianbao", "ok钱包", "ok钱包客服"}

// verifyKinds are the kinds the page offers ("" guesses).
var verifyKinds = []string{"", official.Phone, official.Email, official.Website, official.Telegram, official.WeChat, official.WhatsApp}

// channelAnswer is the answer about one channel.
type channelAnswer struct {
	official.Verdict
	// Display and Note describe the official channel it is.
	Display string `json:"display,omitempty"`
	Note    string `json:"note,omitempty"`
	// LikeDisplay is how the channel it imitates is written.
	LikeDisplay string   `json:"like_display,omitempty"`
	Message     string   `json:"message"`
	Warnings    []string `json:"warnings,omitempty"`
	Advice      string   `json:"advice,omitempty"`
}

// staffAnswer is the answer about a staff code.
type staffAnswer struct {
	Genuine bool `json:"genuine"`
	*okcare.StaffCodeCheck
	Message string `json:"message"`
}

// checkChannel checks input against the current list.
func (s *Server) checkChannel(ctx context.Context, kind, input, lang string) (*channelAnswer, error) {
	if kind != "" && kind != official.Handle && !contains(official.Kinds, kind) {
		return nil, okcare.Errorf(okcare.EINVALID, "kind must be one of %s.", strings.Join(official.Kinds, ", "))
	}
	list, err := s.Store.OfficialChannels(ctx, false)
	if err != nil {
		return nil, err
	}
	chans := make([]official.Channel, len(list))
	for i, c := range list {
		chans[i] = official.Channel{Kind: c.Kind, Value: c.Value}
	}
	v, err := official.Check(kind, input, chans, brandWords)
	if err != nil {
		return nil, okcare.Errorf(okcare.EINVALID, "Enter a phone number, email address, website or chat account (at most %d characters).", official.MaxInput)
	}
	a := &channelAnswer{Verdict: v}
	find := func(c *official.Channel) *okcare.OfficialChannel {
		for _, oc := range list {
			if c != nil && oc.Kind == c.Kind && oc.Value == c.Value {
				return oc
			}
		}
		return nil
	}
	kindWord := tr(lang, "vk_"+v.Kind)
	switch {
	case v.Official:
		a.Display = v.Match.Value
		if oc := find(v.Match); oc != nil {
			a.Display, a.Note = oc.Display, oc.Note(lang)
		}
		a.Message = fill(tr(lang, "verify_official"), "kind", kindWord, "channel", a.Display)
		a.Advice = tr(lang, "verify_official_advice")
	case v.Lookalike:
		a.Message = tr(lang, "verify_lookalike")
		like := v.Like.Value
		if oc := find(v.Like); oc != nil {
			like = oc.Display
		}
		a.LikeDisplay = like
		for _, sign := range v.Signs {
			a.Warnings = append(a.Warnings, fill(tr(lang, "verify_sign_"+sign), "like", like))
		}
		a.Advice = tr(lang, "verify_scam_advice")
	case v.NoneOfKind:
		a.Message = fill(tr(lang, "verify_none_of_kind"), "kind", kindWord)
		a.Advice = tr(lang, "verify_scam_advice")
	default:
		a.Message = fill(tr(lang, "verify_not_official"), "kind", kindWord)
		a.Advice = tr(lang, "verify_scam_advice")
	}
	return a, nil
}

// checkStaff checks a staff code; a wrong one is an answer, not an error.
func (s *Server) checkStaff(ctx context.Context, code, lang string) (*staffAnswer, error) {
	c, err := s.Store.CheckStaffCode(ctx, code)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		return &staffAnswer{Message: tr(lang, "verify_staff_fake")}, nil
	} else if err != nil {
		return nil, err
	}
	name := c.AgentName
	if name == "" {
		name = tr(lang, "verify_staff_unnamed")
	}
	return &staffAnswer{Genuine: true, StaffCodeCheck: c, Message: fill(tr(lang, "verify_staff_genuine"), "name", name,
		"number", itoa(c.TicketNumber), "until", c.ExpiresAt.In(chinaCalendar.Location).Format("15:04"))}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// verifyAllowed takes one check from the client's address.
func (s *Server) verifyAllowed(r *http.Request, what string) error {
	if !s.VerifyLimiter.Allow(what+":"+s.clientIP(r), s.Now()) {
		return okcare.Errorf(okcare.ERATELIMITED, "Too many checks from this address; wait a few minutes.")
	}
	return nil
}

func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := q.Get("lang")
	if !okcare.ValidLang(lang) {
		lang = okcare.LangZH
	}
	channel, code := strings.TrimSpace(q.Get("channel")), strings.TrimSpace(q.Get("staff_code"))
	if (channel == "") == (code == "") {
		s.Error(w, r, okcare.Errorf(okcare.EINVALID, "Give channel (with kind, optionally) or staff_code."))
		return
	}
	what := "channel"
	if code != "" {
		what = "staff"
	}
	if err := s.verifyAllowed(r, what); err != nil {
		s.Error(w, r, err)
		return
	}
	var answer any
	var err error
	if code != "" {
		answer, err = s.checkStaff(r.Context(), code, lang)
	} else {
		answer, err = s.checkChannel(r.Context(), q.Get("kind"), channel, lang)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// pageVerify is the verification page: the two forms, the answer to
// whichever was sent, and the list of official channels.
func (s *Server) pageVerify(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(w, r)
	q := r.URL.Query()
	channel, code, kind := strings.TrimSpace(q.Get("channel")), strings.TrimSpace(q.Get("staff_code")), q.Get("kind")
	data := map[string]any{"Channel": channel, "StaffCode": code, "Kind": kind, "Kinds": verifyKinds}
	status := http.StatusOK
	var err error
	switch {
	case code != "":
		if err = s.verifyAllowed(r, "staff"); err == nil {
			data["Staff"], err = s.checkStaff(r.Context(), code, lang)
		}
	case channel != "":
		if err = s.verifyAllowed(r, "channel"); err == nil {
			data["Answer"], err = s.checkChannel(r.Context(), kind, channel, lang)
		}
	}
	if okcare.ErrorCode(err) == okcare.EINTERNAL {
		s.pageError(w, r, lang, err)
		return
	} else if err != nil {
		status = refusedStatus(err)
		data["Error"] = selfServiceError(lang, err, "verify_err_input")
	}
	list, err := s.Store.OfficialChannels(r.Context(), false)
	if err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	var rows []map[string]string
	for _, c := range list {
		rows = append(rows, map[string]string{"Kind": tr(lang, "vk_"+c.Kind), "Display": c.Display, "Note": c.Note(lang)})
	}
	data["Official"] = rows
	s.render(w, r, status, "verify.html", lang, tr(lang, "verify_title"), data)
}
