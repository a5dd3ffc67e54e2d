package http_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"
)

// formField is a field of a page's form and its hostile values.
type formField struct {
	name string
	long answer // what 12,000 characters get (the form itself stays under 32 KiB)
	bad  []badValue
}

// formEndpoint is a form of the help center, the support pages or the
// console, with values that would pass.
type formEndpoint struct {
	path      string
	cookies   map[string]string // the session it needs, if any
	form      url.Values
	fields    []formField
	params    []pathParam
	multipart bool // it takes a file too
}

func (fx *hostileFixture) formEndpoints() []formEndpoint {
	staff := map[string]string{"okcare_staff": fx.staffCookie}
	customer := map[string]string{"okc_session": fx.customerCookie}
	chat := map[string]string{"okchat": fx.chatCookie}
	ticket := pathParam{"id", fx.ticket, notFound}
	chatID := pathParam{"id", fx.chatID, notFound}
	link := pathParam{"token", strings.TrimPrefix(fx.otherLink, "/support/t/"), unauthorized}
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	f := func(name string, long answer, bad ...[]badValue) formField {
		ff := formField{name: name, long: long}
		for _, b := range bad {
			ff.bad = append(ff.bad, b...)
		}
		return ff
	}
	unknown := func(want answer) []badValue {
		return []badValue{{"unknown", "x_01ARZ3NDEKTSV4RRFFQ69G5FAV", want}, {"SQL", "x' OR '1'='1", want}, {"too long", strings.Repeat("a", 3000), want}}
	}
	ratings := []badValue{{"zero", "0", badInput}, {"six", "6", badInput}, {"words", "five", badInput}, {"negative", "-1", badInput}, {"huge", "99999999999999999999", badInput}}
	days := []badValue{{"zero", "0", badInput}, {"ninety-one", "91", badInput}, {"words", "soon", badInput}, {"negative", "-3", badInput}, {"huge", "99999999999999999999", badInput}}
	return []formEndpoint{
		{path: "/diagnose", form: v("lang", "en", "symptom", "crash", "description", "It crashes.", "platform", "android", "app_version", "5.1.2"), fields: []formField{
			f("symptom", badInput, enum(badInput, "CRASH", false)),
			f("description", badInput),
			f("app_version", badVersion, versions()),
		}},
		{path: "/diagnose/{id}/feedback", form: v("lang", "en", "outcome", "solved"), params: []pathParam{{"id", fx.diagnosis, notFound}}, fields: []formField{
			f("outcome", badInput, enum(badInput, "SOLVED", true)),
		}},
		{path: "/support/new", multipart: true, form: v("lang", "en", "contact_email", "page@example.com", "description", "The app will not open."), fields: []formField{
			f("contact_email", badInput, emails(badInput)),
			f("description", badInput, []badValue{{"blank", "   ", badInput}}),
			f("app_version", badInput),
			f("diagnosis_id", badInput, unknown(badInput)),
		}},
		{path: "/support/callback", form: v("lang", "en", "contact_phone", "+8613800000011", "window", "asap", "description", "Call me."), fields: []formField{
			f("contact_phone", badInput, phones(badInput)),
			f("window", badInput, enum(badInput, "ASAP", false)),
			f("description", badInput),
		}},
		{path: "/support/login", form: v("lang", "en", "login", "nobody-page@example.com", "password", "x-password-1"), fields: []formField{
			f("login", badInput),
			f("password", badInput),
		}},
		{path: "/support/logout", cookies: customer, form: v("lang", "en")},
		{path: "/csat", form: v("lang", "en", "token", "nothing", "rating", "5"), fields: []formField{
			f("rating", badInput, ratings),
			f("comment", badInput),
		}},
		{path: "/support/chat", form: v("lang", "en", "contact_email", "chat-page@example.com", "message", "Hello"), fields: []formField{
			f("contact_email", badInput, emails(badInput)),
			f("message", badInput),
		}},
		{path: "/support/chat/{id}/messages", cookies: chat, form: v("lang", "en", "body", "Still there?"), params: []pathParam{chatID}, fields: []formField{
			f("body", badInput, []badValue{{"blank", " ", badInput}}),
		}},
		{path: "/support/chat/{id}/end", cookies: chat, form: v("lang", "en"), params: []pathParam{chatID}},
		{path: "/support/chat/{id}/rating", cookies: chat, form: v("lang", "en", "rating", "5"), params: []pathParam{chatID}, fields: []formField{
			f("rating", badInput, ratings),
		}},
		{path: "/support/t/{token}/reply", multipart: true, form: v("lang", "en", "body", "More details."), params: []pathParam{link}, fields: []formField{
			f("body", badInput, []badValue{{"blank", "  ", badInput}}),
		}},
		{path: "/support/t/{token}/rate", form: v("lang", "en", "rating", "5"), params: []pathParam{link}, fields: []formField{
			f("rating", badInput, ratings),
		}},
		{path: "/support/t/{token}/verify", form: v("lang", "en", "login", "bob@demo.okwallet.example"), params: []pathParam{link}, fields: []formField{
			f("login", badInput, emails(badInput)),
		}},
		{path: "/support/t/{token}/confirm", form: v("lang", "en", "code", "000000"), params: []pathParam{link}, fields: []formField{
			f("code", badInput, []badValue{{"letters", "abcdef", badInput}, {"too short", "1", badInput}}),
		}},
		{path: "/support/requests/{id}/reply", cookies: customer, multipart: true, form: v("lang", "en", "body", "More details."), params: []pathParam{ticket}, fields: []formField{
			f("body", badInput),
		}},
		{path: "/support/requests/{id}/rate", cookies: customer, form: v("lang", "en", "rating", "5"), params: []pathParam{ticket}, fields: []formField{
			f("rating", badInput, ratings),
		}},
		{path: "/console/login", form: v("lang", "en", "email", "nobody-page@okcare.example", "password", "x-password-1", "totp", "123456", "next", "/console"), fields: []formField{
			f("email", badLogin, emails(badLogin)),
			f("password", badLogin),
			f("totp", badLogin),
		}},
		{path: "/console/logout", cookies: staff, form: v("lang", "en")},
		{path: "/console/2fa", cookies: staff, form: v("lang", "en", "code", "123456"), fields: []formField{f("code", answer{409, "conflict"})}},
		{path: "/console/presence", cookies: staff, form: v("lang", "en", "presence", "away"), fields: []formField{
			f("presence", badInput, enum(badInput, "AWAY", true)),
		}},
		{path: "/console/macros", cookies: staff, form: v("lang", "en", "name", "Page macro", "macro_lang", "en", "body", "Hello."), fields: []formField{
			f("name", badInput, []badValue{{"blank", " ", badInput}}),
			f("macro_lang", badInput, enum(badInput, "EN", true)),
			f("body", badInput),
			f("set_status", badInput, []badValue{{"unknown", "bogus", badInput}, {"closed", "closed", badInput}}),
		}},
		{path: "/console/tickets/{id}/reply", cookies: staff, form: v("lang", "en", "body", "Thanks.", "visibility", "internal"), params: []pathParam{ticket}, fields: []formField{
			f("body", badInput, []badValue{{"blank", " ", badInput}}),
		}},
		{path: "/console/tickets/{id}/macro", cookies: staff, form: v("lang", "en", "macro", fx.macro), params: []pathParam{ticket}, fields: []formField{
			f("macro", notFound, unknown(notFound)),
		}},
		{path: "/console/tickets/{id}/status", cookies: staff, form: v("lang", "en", "status", "pending"), params: []pathParam{ticket}, fields: []formField{
			f("status", badInput, enum(badInput, "SOLVED", true)),
		}},
		{path: "/console/tickets/{id}/incident", cookies: staff, form: v("lang", "en", "incident", fx.incident), params: []pathParam{ticket}, fields: []formField{
			f("incident", notFound, unknown(notFound)),
		}},
		{path: "/console/tickets/{id}/priority", cookies: staff, form: v("lang", "en", "priority", "urgent"), params: []pathParam{ticket}, fields: []formField{
			f("priority", badInput, enum(badInput, "HIGH", true)),
		}},
		{path: "/console/tickets/{id}/tags", cookies: staff, form: v("lang", "en", "tags", "vip"), params: []pathParam{ticket}, fields: []formField{
			f("tags", badInput, []badValue{{"markup", "<script>", badInput}, {"too many", strings.Repeat("t,", 200), badInput}}),
		}},
		{path: "/console/tickets/{id}/verify", cookies: staff, form: v("lang", "en", "login", "bob@demo.okwallet.example"), params: []pathParam{{"id", fx.otherTicket, notFound}}, fields: []formField{
			f("login", badInput, emails(badInput)),
		}},
		{path: "/console/tickets/{id}/confirm", cookies: staff, form: v("lang", "en", "code", "000000"), params: []pathParam{ticket}, fields: []formField{
			f("code", badInput),
		}},
		{path: "/console/tickets/{id}/action", cookies: staff, form: v("lang", "en", "action", "revoke_sessions"), params: []pathParam{{"id", fx.otherTicket, notFound}}, fields: []formField{
			f("action", badInput, enum(badInput, "REVOKE_SESSIONS", true)),
		}},
		{path: "/console/tickets/{id}/followup", cookies: staff, form: v("lang", "en", "days", "2", "body", "How is it now?"), params: []pathParam{ticket}, fields: []formField{
			f("days", badInput, days),
			f("body", badInput, []badValue{{"blank", " ", badInput}}),
		}},
		{path: "/console/tickets/{id}/call", cookies: staff, form: v("lang", "en", "outcome", "reached", "notes", "ok"), params: []pathParam{ticket}, fields: []formField{
			f("outcome", badInput, enum(badInput, "REACHED", true)),
			f("notes", badInput),
		}},
		{path: "/console/tickets/{id}/followup/cancel", cookies: staff, form: v("lang", "en", "followup", "fup_01ARZ3NDEKTSV4RRFFQ69G5FAV"), params: []pathParam{ticket}, fields: []formField{
			f("followup", notFound, unknown(notFound)),
		}},
		{path: "/console/tickets/{id}/assign", cookies: staff, form: v("lang", "en", "agent", fx.agentID), params: []pathParam{ticket}, fields: []formField{
			f("agent", notFound, unknown(notFound)),
		}},
		{path: "/console/tickets/{id}/approve", cookies: staff, form: v("lang", "en", "approval", "apr_01ARZ3NDEKTSV4RRFFQ69G5FAV"), params: []pathParam{ticket}, fields: []formField{
			f("approval", notFound, unknown(notFound)),
		}},
	}
}

// formCases cross the forms with the hostile inputs that apply to them.
func (fx *hostileFixture) formCases() []hostile {
	var out []hostile
	for _, ep := range fx.formEndpoints() {
		path := ep.path
		for _, p := range ep.params {
			path = strings.Replace(path, "{"+p.name+"}", url.PathEscape(p.value), 1)
		}
		add := func(kind, what, path, ctype string, body []byte, csrfCookie string, want answer) {
			c := hostile{name: fmt.Sprintf("%s: POST %s: %s", kind, ep.path, what), method: "POST", path: path, ctype: ctype, body: body,
				cookies: map[string]string{}, header: map[string]string{"Accept": "text/html"}, status: want.status, code: want.code}
			for k, v := range ep.cookies {
				c.cookies[k] = v
			}
			if csrfCookie != "" {
				c.cookies["csrf"] = csrfCookie
			}
			out = append(out, c)
		}
		const formType = "application/x-www-form-urlencoded"
		with := func(name, value string) url.Values {
			form := url.Values{}
			for k, vs := range ep.form {
				form[k] = append([]string(nil), vs...)
			}
			form.Set("csrf", fx.csrf)
			form.Set(name, value)
			return form
		}
		valid := []byte(with("csrf", fx.csrf).Encode())
		noToken := ep.form.Encode()
		add("csrf", "no form token", path, formType, []byte(noToken), "", forbidden)
		add("csrf", "the token in the form only", path, formType, valid, "", forbidden)
		add("csrf", "the token in the cookie only", path, formType, []byte(noToken), fx.csrf, forbidden)
		add("csrf", "tokens that differ", path, formType, valid, strings.Repeat("d", 32), forbidden)
		add("csrf", "a short token", path, formType, []byte(with("csrf", "abc").Encode()), "abc", forbidden)
		add("csrf", "JSON instead of a form", path, "application/json", []byte(`{"csrf":"`+fx.csrf+`"}`), fx.csrf, forbidden)
		add("utf8", "invalid UTF-8 in a value", path, formType, append(append([]byte{}, valid...), "&x=%ff%fe"...), fx.csrf, dirtyText)
		add("utf8", "invalid UTF-8 in a name", path, formType, append(append([]byte{}, valid...), "&%c3%28=1"...), fx.csrf, dirtyText)
		add("nul", "a NUL in a value", path, formType, append(append([]byte{}, valid...), "&x=a%00b"...), fx.csrf, dirtyText)
		add("size", "a form over 32 KiB", path, formType, append(append([]byte{}, valid...), ("&x="+strings.Repeat("a", 33<<10))...), fx.csrf, tooLarge)
		add("form", "broken percent-encoding", path, formType, append(append([]byte{}, valid...), "&x=%zz"...), fx.csrf, badInput)
		if ep.multipart {
			fx.multipartCases(ep, path, add)
		}
		for _, ff := range ep.fields {
			add("long", ff.name+" of 12,000 characters", path, formType, []byte(with(ff.name, strings.Repeat("a", 12000)).Encode()), fx.csrf, ff.long)
			for _, b := range ff.bad {
				add("value", ff.name+": "+b.name, path, formType, []byte(with(ff.name, b.value.(string)).Encode()), fx.csrf, b.want)
			}
		}
		for _, p := range ep.params {
			for _, bad := range []struct{ what, raw string }{
				{"unknown", "x_01ARZ3NDEKTSV4RRFFQ69G5FAV"},
				{"too long", strings.Repeat("x", 2000)},
				{"SQL", url.PathEscape("x' OR '1'='1")},
				{"traversal", url.PathEscape("../../etc/passwd")},
			} {
				add("param", p.name+" "+bad.what, strings.Replace(path, "/"+url.PathEscape(p.value), "/"+bad.raw, 1), formType, valid, fx.csrf, p.want)
			}
		}
	}
	return out
}

// multipartCases are the hostile multipart forms of a form that takes a file.
func (fx *hostileFixture) multipartCases(ep formEndpoint, path string, add func(kind, what, path, ctype string, body []byte, csrfCookie string, want answer)) {
	build := func(csrf bool, name string, data []byte) (string, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range ep.form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		if csrf {
			mw.WriteField("csrf", fx.csrf)
		}
		if name != "" {
			fw, _ := mw.CreateFormFile("attachment", name)
			fw.Write(data)
		}
		mw.Close()
		return mw.FormDataContentType(), buf.Bytes()
	}
	ct, body := build(true, "huge.png", append(append([]byte{}, pngFile...), make([]byte, 6<<20)...))
	add("upload", "a file over the limit", path, ct, body, fx.csrf, tooLarge)
	ct, body = build(false, "screen.png", pngFile)
	add("upload", "no form token", path, ct, body, fx.csrf, forbidden)
	ct, body = build(true, "screen.png", pngFile)
	add("upload", "a broken form", path, ct, bytes.ReplaceAll(body, []byte("--"), []byte("-")), fx.csrf, badInput)
	add("upload", "no boundary", path, "multipart/form-data", body, fx.csrf, badInput)
	ct, body = build(true, "setup.png", append([]byte("MZ\x90\x00\x03\x00"), bytes.Repeat([]byte{0}, 100)...))
	add("upload", "a Windows program named .png", path, ct, body, fx.csrf, answer{415, "unsupported_media_type"})
}

// pageCases are hostile paths, query strings and methods for the pages a
// browser fetches.
func (fx *hostileFixture) pageCases() []hostile {
	var out []hostile
	add := func(method, path string, cookies map[string]string, want answer, absent string) {
		out = append(out, hostile{name: fmt.Sprintf("page: %s %s", method, path), method: method, path: path, cookies: cookies,
			header: map[string]string{"Accept": "text/html"}, status: want.status, code: want.code, absent: absent})
	}
	staff := map[string]string{"okcare_staff": fx.staffCookie}
	customer := map[string]string{"okc_session": fx.customerCookie}
	chat := map[string]string{"okchat": fx.chatCookie}
	bad := []string{"x_01ARZ3NDEKTSV4RRFFQ69G5FAV", strings.Repeat("x", 2000), url.PathEscape("x' OR '1'='1"), url.PathEscape("../../etc/passwd")}
	for _, b := range bad {
		add("GET", "/help/"+b, nil, notFound, "")
		add("GET", "/support/t/"+b, nil, unauthorized, "")
		add("GET", fx.otherLink+"/files/"+b, nil, notFound, "")
		add("GET", "/support/requests/"+b, customer, notFound, "")
		add("GET", "/console/tickets/"+b, staff, notFound, "")
		add("GET", "/console/tickets/"+fx.ticket+"/attachments/"+b, staff, notFound, "")
		add("GET", "/support/chat/"+b, chat, notFound, "")
	}
	// Reflected markup and foreign redirect targets.
	script := "<script>alert(1)</script>"
	add("GET", "/help/search?lang=en&q="+url.QueryEscape(script), nil, answer{200, ""}, script)
	add("GET", "/help/search?lang=en&q="+url.QueryEscape(`"><img src=x onerror=alert(1)>`), nil, answer{200, ""}, `<img src=x`)
	add("GET", "/support/new?lang=en&diagnosis="+url.QueryEscape(script), nil, answer{200, ""}, script)
	add("GET", "/support/new?lang=en&diagnosis="+url.QueryEscape("../../etc/passwd"), nil, answer{200, ""}, "")
	add("GET", "/csat?lang=en&token="+url.QueryEscape(`"><script>alert(1)</script>`), nil, answer{200, ""}, script)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/console\\evil.example", "/\tevil.example"} {
		// The language switch may carry the query along, escaped; no field or link may point there.
		add("GET", "/console/login?next="+url.QueryEscape(next), nil, answer{200, ""}, `="`+next)
		add("GET", "/support/login?next="+url.QueryEscape(next), nil, answer{200, ""}, `="`+next)
	}
	add("GET", "/console?status=bogus", staff, badInput, "")
	add("GET", "/console/reports?days=abc", staff, badInput, "")
	add("GET", "/console/reports?days=8", staff, badInput, "")
	add("GET", "/status?lang="+url.QueryEscape(script), nil, answer{200, ""}, script)
	// Methods a page does not take.
	for _, m := range []struct{ method, path string }{
		{"GET", "/support/logout"}, {"GET", "/console/logout"}, {"GET", "/diagnose/" + fx.diagnosis + "/feedback"},
		{"GET", fx.otherLink + "/reply"}, {"GET", "/console/tickets/" + fx.ticket + "/reply"}, {"GET", "/console/presence"},
		{"DELETE", "/support/new"}, {"PUT", "/support/callback"}, {"PATCH", "/console/macros"}, {"DELETE", "/help"},
		{"PUT", "/support/chat/" + fx.chatID + "/messages"}, {"DELETE", "/console/tickets/" + fx.ticket},
	} {
		add(m.method, m.path, nil, answer{405, "method_not_allowed"}, "")
	}
	return out
}
