package http_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// answer is the status and error code a hostile request must get.
type answer struct {
	status int
	code   string
}

var (
	badInput     = answer{400, "invalid_input"}
	badJSON      = answer{400, "invalid_json"}
	dirtyText    = answer{400, "invalid_utf8"}
	tooLarge     = answer{413, "body_too_large"}
	notFound     = answer{404, "not_found"}
	unauthorized = answer{401, "unauthorized"}
	forbidden    = answer{403, "forbidden"}
	badVersion   = answer{400, "invalid_version"}
	badAmount    = answer{400, "invalid_amount"}
	badAsset     = answer{400, "unknown_asset"}
	badLogin     = answer{401, "invalid_credentials"}
	badTOTP      = answer{401, "totp_invalid"}
)

// badValue is one hostile value for a field and what it must get.
type badValue struct {
	name  string
	value any
	want  answer
}

// field is a string field of a JSON body (a dotted path) and the
// hostile values of its kind; every string field is also sent as a number,
// as an object and 20,000 characters long.
type field struct {
	path string
	long answer // what 20,000 characters get
	bad  []badValue
}

// apiEndpoint is a JSON endpoint with a body that would pass, so that
// each case breaks exactly one thing.
type apiEndpoint struct {
	method, path string
	bearer       string
	header       map[string]string
	body         map[string]any // nil: the endpoint takes no body
	limit        int            // the body limit (64 KiB if 0)
	optionalBody bool           // an empty body is a request too
	fields       []field
	params       []pathParam
}

// pathParam is a path parameter: its value in path, and what a bad one
// (unknown, too long, wrong prefix, SQL, traversal) gets.
type pathParam struct {
	name, value string
	want        answer
}

func emails(want answer) []badValue {
	return []badValue{
		{"no at", "not-an-email", want},
		{"no domain", "alice@", want},
		{"no local part", "@example.com", want},
		{"space", "a b@example.com", want},
		{"CRLF header injection", "a@example.com\r\nBcc: victim@example.com", want},
		{"LF header injection", "a@example.com\nBcc: victim@example.com", want},
		{"angle brackets", "<a@example.com>", want},
		{"two addresses", "a@example.com,b@example.com", want},
		{"display name", "Alice <a@example.com>", want},
		{"quote", `"a"@example.com`, want},
	}
}

func phones(want answer) []badValue {
	return []badValue{
		{"letters", "call-me", want},
		{"too short", "12", want},
		{"too long", strings.Repeat("1", 40), want},
		{"CRLF", "+8613800000001\r\nX-Evil: 1", want},
		{"SQL", "13800000001' OR '1'='1", want},
		{"full-width digits", "１３８００００００００１", want},
	}
}

// enum is the bad values of a field with a fixed set of values; required
// ones may not be empty either.
func enum(want answer, upper string, required bool) []badValue {
	out := []badValue{
		{"unknown", "bogus", want},
		{"case", upper, want},
		{"SQL", "x' OR '1'='1", want},
		{"padded", " " + strings.ToLower(upper) + " ", want},
	}
	if required {
		out = append(out, badValue{"empty", "", want})
	}
	return out
}

func ids(want answer, wrongPrefix string) []badValue {
	return []badValue{
		{"unknown", "usr_01ARZ3NDEKTSV4RRFFQ69G5FAV", want},
		{"too long", strings.Repeat("a", 300), want},
		{"wrong prefix", wrongPrefix, want},
		{"SQL", "x' OR '1'='1", want},
		{"traversal", "../../etc/passwd", want},
	}
}

func amounts() []badValue {
	return []badValue{
		{"negative", "-1", badAmount},
		{"zero", "0", badAmount},
		{"zero with decimals", "0.00", badAmount},
		{"too many decimals", "1.234", badAmount},
		{"exponent", "1e3", badAmount},
		{"hex", "0x10", badAmount},
		{"leading space", " 1", badAmount},
		{"thousands separator", "1,000", badAmount},
		{"NaN", "NaN", badAmount},
		{"more digits than any asset", "1" + strings.Repeat("0", 100), badAmount},
		// 2^63 minor units is no overflow: amounts are exact; there is not that much money.
		{"past int64", "92233720368547758.08", answer{422, "insufficient_funds"}},
		{"empty", "", badAmount},
	}
}

func assets() []badValue {
	return []badValue{
		{"unknown", "XXX", badAsset},
		{"lower case", "cny", badAsset},
		{"empty", "", badAsset},
		{"trailing space", "CNY ", badAsset},
		{"SQL", "CNY' OR '1'='1", badAsset},
		{"full-width", "ＣＮＹ", badAsset},
	}
}

func versions() []badValue {
	return []badValue{
		{"words", "latest", badVersion},
		{"CRLF", "5.3.0\r\nX-Evil: 1", badVersion},
		{"huge", "99999999999999999999999.0.0", badVersion},
		{"empty part", "5..3", badVersion},
	}
}

func text(long answer) field { return field{long: long} }

// at names a field's path.
func (f field) at(path string) field { f.path = path; return f }

func (f field) with(bad ...[]badValue) field {
	for _, b := range bad {
		f.bad = append(f.bad, b...)
	}
	return f
}

// apiEndpoints lists the JSON API's endpoints that take a body or a path
// parameter, each with a request that would pass.
func (fx *hostileFixture) apiEndpoints() []apiEndpoint {
	ticket := pathParam{"id", fx.ticket, notFound}
	device := map[string]any{"id": "hostile-device", "platform": "android", "os_version": "14", "app_version": "5.3.0"}
	idem := map[string]string{"Idempotency-Key": "hostile-{case}"} // a key of each case's own
	due := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	return []apiEndpoint{
		{method: "POST", path: "/api/v1/users", body: map[string]any{"email": "new-user@example.com", "password": "purple-harbour-lamp-93", "lang": "en"}, fields: []field{
			text(badInput).at("email").with(emails(badInput)),
			text(badInput).at("phone").with(phones(badInput)),
			text(answer{400, "weak_password"}).at("password"),
			text(badInput).at("lang").with(enum(badInput, "EN", false)),
		}},
		{method: "POST", path: "/api/v1/sessions", body: map[string]any{"login": "nobody-here@example.com", "password": "x-password-1", "device": device}, fields: []field{
			text(badInput).at("login"),
			text(badInput).at("password"),
			text(badInput).at("device.id"),
			text(badInput).at("device.platform").with(enum(badInput, "ANDROID", true)),
			text(badInput).at("device.model"),
		}},
		{method: "POST", path: "/api/v1/me/password", bearer: fx.user, body: map[string]any{"current_password": "wrong-password-1", "new_password": "purple-harbour-lamp-93"}, fields: []field{
			text(badInput).at("current_password"),
			text(answer{400, "weak_password"}).at("new_password"),
			text(badInput).at("totp_code"),
		}},
		{method: "POST", path: "/api/v1/me/totp", bearer: fx.user, body: map[string]any{"password": "wrong-password-1"}, fields: []field{text(badInput).at("password")}},
		{method: "POST", path: "/api/v1/me/totp/confirm", bearer: fx.user, body: map[string]any{"code": "123456"}, fields: []field{text(answer{409, "conflict"}).at("code")}},                                                                               // no enrolment begun
		{method: "POST", path: "/api/v1/me/totp/disable", bearer: fx.user, body: map[string]any{"password": "wrong-password-1", "code": "123456"}, fields: []field{text(answer{409, "conflict"}).at("password"), text(answer{409, "conflict"}).at("code")}}, // two-factor is off
		{method: "POST", path: "/api/v1/transfers", bearer: fx.user, header: idem, body: map[string]any{"to": fx.recipient, "asset": "CNY", "amount": "1.00", "memo": "lunch"}, fields: []field{
			text(notFound).at("to").with(ids(notFound, fx.merchant)),
			text(badAsset).at("asset").with(assets()),
			text(badAmount).at("amount").with(amounts()),
			text(badInput).at("memo"),
		}},
		{method: "POST", path: "/api/v1/payments", bearer: fx.user, header: idem, body: map[string]any{"merchant_id": fx.merchant, "asset": "CNY", "amount": "1.00"}, fields: []field{
			text(notFound).at("merchant_id").with(ids(notFound, fx.userID)),
			text(badAsset).at("asset").with(assets()),
			text(badAmount).at("amount").with(amounts()),
		}},
		{method: "POST", path: "/api/v1/diagnose", limit: 16 << 10, body: map[string]any{"lang": "en", "symptom": "crash", "description": "It crashes.", "app": map[string]any{"platform": "android", "version": "5.1.2"}}, fields: []field{
			text(badInput).at("lang").with(enum(badInput, "EN", true)),
			text(badInput).at("symptom").with(enum(badInput, "CRASH", false)),
			text(badInput).at("description"),
			text(badInput).at("app.platform").with(enum(badInput, "IOS", true)),
			text(badVersion).at("app.version").with(versions()),
		}},
		{method: "POST", path: "/api/v1/diagnoses/{id}/feedback", body: map[string]any{"outcome": "solved"}, params: []pathParam{{"id", fx.diagnosis, notFound}}, fields: []field{
			text(badInput).at("outcome").with(enum(badInput, "SOLVED", true)),
		}},
		{method: "POST", path: "/api/v1/tickets", body: map[string]any{"lang": "en", "contact_email": "hostile@example.com", "subject": "Cannot open", "intake": map[string]any{"description": "The app will not open."}}, fields: []field{
			text(badInput).at("contact_email").with(emails(badInput)),
			text(badInput).at("contact_phone").with(phones(badInput)),
			text(badInput).at("lang").with(enum(badInput, "EN", true)),
			text(badInput).at("subject").with([]badValue{{"CRLF header injection", "Hi\r\nBcc: victim@example.com", badInput}, {"markup", "<script>alert(1)</script>", badInput}}),
			text(badInput).at("intake.description"),
			text(badInput).at("intake.diagnosis_id").with(ids(badInput, fx.ticket)),
			text(badInput).at("intake.app_version"),
		}},
		{method: "POST", path: "/api/v1/callbacks", body: map[string]any{"phone": "+8613800000009", "window": "asap", "lang": "en", "description": "Please call."}, fields: []field{
			text(badInput).at("phone").with(phones(badInput)),
			text(badInput).at("window").with(enum(badInput, "ASAP", false)),
			text(badInput).at("lang").with(enum(badInput, "EN", true)),
			text(badInput).at("description"),
		}},
		{method: "POST", path: "/api/v1/me/tickets/{id}/messages", bearer: fx.user, body: map[string]any{"body": "Any news?"}, params: []pathParam{ticket}, fields: []field{
			text(badInput).at("body").with([]badValue{{"blank", "  \n ", badInput}}),
		}},
		{method: "POST", path: "/api/v1/password-resets", body: map[string]any{"token": "rst_nothing", "new_password": "purple-harbour-lamp-93"}, fields: []field{
			text(unauthorized).at("token"), // no such token, like any other
			text(unauthorized).at("new_password"),
		}},
		{method: "POST", path: "/api/v1/csat", body: map[string]any{"token": "nothing", "rating": 5}, fields: []field{
			text(unauthorized).at("token"),
			text(badInput).at("comment"),
		}},
		{method: "POST", path: "/api/v1/agent/sessions", body: map[string]any{"email": "nobody-staff@okcare.example", "password": "x-password-1", "totp_code": "123456"}, fields: []field{
			text(badLogin).at("email").with(emails(badLogin)),
			text(badLogin).at("password"),
			text(badLogin).at("totp_code"),
		}},
		{method: "PUT", path: "/api/v1/agent/me/presence", bearer: fx.admin, body: map[string]any{"presence": "away"}, fields: []field{
			text(badInput).at("presence").with(enum(badInput, "AWAY", true)),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/assign", bearer: fx.admin, body: map[string]any{"agent_id": fx.agentID}, params: []pathParam{ticket}, fields: []field{
			text(notFound).at("agent_id").with(ids(notFound, fx.userID)),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/followups", bearer: fx.admin, body: map[string]any{"body": "How is it now?", "due_at": due}, params: []pathParam{ticket}, fields: []field{
			text(badInput).at("body"),
			text(badJSON).at("due_at").with([]badValue{{"not a time", "tomorrow", badJSON}, {"year 10000", "10000-01-01T00:00:00Z", badJSON}}),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/priority", bearer: fx.admin, body: map[string]any{"priority": "urgent"}, params: []pathParam{ticket}, fields: []field{
			text(badInput).at("priority").with(enum(badInput, "HIGH", true)),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/incident", bearer: fx.admin, body: map[string]any{"incident_id": fx.incident}, params: []pathParam{ticket}, fields: []field{
			text(notFound).at("incident_id").with(ids(notFound, fx.ticket)),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/tags", bearer: fx.admin, body: map[string]any{"tags": []string{"vip"}}, params: []pathParam{ticket}},
		{method: "POST", path: "/api/v1/agent/macros", bearer: fx.admin, body: map[string]any{"name": "Hostile", "lang": "en", "body": "Hello."}, fields: []field{
			text(badInput).at("name").with([]badValue{{"blank", "   ", badInput}}),
			text(badInput).at("lang").with(enum(badInput, "EN", true)),
			text(badInput).at("body"),
			text(badInput).at("set_status").with([]badValue{{"unknown", "bogus", badInput}, {"closed", "closed", badInput}}),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/calls", bearer: fx.admin, body: map[string]any{"outcome": "reached", "notes": "ok"}, params: []pathParam{ticket}, fields: []field{
			text(badInput).at("outcome").with(enum(badInput, "REACHED", true)),
			text(badInput).at("notes"),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/status", bearer: fx.admin, body: map[string]any{"status": "pending"}, params: []pathParam{ticket}, fields: []field{
			text(badInput).at("status").with(enum(badInput, "SOLVED", true)),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/messages", bearer: fx.admin, body: map[string]any{"body": "Thanks.", "public": false}, params: []pathParam{ticket}, fields: []field{
			text(badInput).at("body").with([]badValue{{"blank", " ", badInput}}),
		}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/verifications", bearer: fx.admin, optionalBody: true, body: map[string]any{"login": "bob@demo.okwallet.example"}, params: []pathParam{{"id", fx.otherTicket, notFound}}, fields: []field{
			text(badInput).at("login").with(emails(badInput)),
		}},
		{method: "POST", path: "/api/v1/agent/verifications/{id}/confirm", bearer: fx.admin, body: map[string]any{"code": "000000"}, params: []pathParam{{"id", fx.verification, notFound}}},
		{method: "PUT", path: "/api/v1/admin/releases/{platform}", bearer: fx.admin, body: map[string]any{"min_version": "5.0.0", "latest_version": "5.3.0", "min_os_version": "10", "update_url": "https://example.com/app"},
			params: []pathParam{{"platform", "android", badInput}}, fields: []field{
				text(badVersion).at("min_version").with(versions()),
				text(badVersion).at("latest_version").with(versions()),
				text(badVersion).at("min_os_version").with(versions()),
				text(badInput).at("update_url").with([]badValue{{"javascript", "javascript:alert(1)", badInput}, {"not a URL", "::", badInput}, {"CRLF", "https://example.com/\r\nX: 1", badInput}}),
			}},
		{method: "POST", path: "/api/v1/admin/incidents", bearer: fx.admin, body: map[string]any{"title": "Outage", "message": "We are on it.", "severity": "major", "status": "investigating"}, fields: []field{
			text(badInput).at("title").with([]badValue{{"blank", " ", badInput}}),
			text(badInput).at("message"),
			text(badInput).at("severity").with(enum(badInput, "MAJOR", true)),
			text(badInput).at("status").with(enum(badInput, "RESOLVED", false)),
		}},
		{method: "PATCH", path: "/api/v1/admin/incidents/{id}", bearer: fx.admin, body: map[string]any{"status": "bogus"}, params: []pathParam{{"id", fx.incident, notFound}}, fields: []field{
			text(badInput).at("status").with(enum(badInput, "RESOLVED", true)),
			text(badInput).at("severity").with(enum(badInput, "MINOR", true)),
		}},
		{method: "POST", path: "/api/v1/admin/accounts/{user_id}/{action}", bearer: fx.admin, body: map[string]any{"reason": ""}, params: []pathParam{{"user_id", fx.userID, notFound}, {"action", "freeze", notFound}}, fields: []field{
			text(badInput).at("reason"),
		}},
		{method: "PUT", path: "/api/v1/admin/kb/articles/{slug}/{lang}", bearer: fx.admin, limit: 128 << 10, body: map[string]any{"title": "Hostile", "body": "Text."},
			params: []pathParam{{"slug", "hostile-article", badInput}, {"lang", "en", badInput}}, fields: []field{
				text(badInput).at("title").with([]badValue{{"blank", "", badInput}}),
			}},
		{method: "POST", path: "/api/v1/admin/kb/articles/{slug}/{lang}/publish", bearer: fx.admin, body: map[string]any{"version": 999}, params: []pathParam{{"slug", "app-crash", notFound}, {"lang", "en", notFound}}},
		{method: "POST", path: "/api/v1/admin/kb/preview", bearer: fx.admin, limit: 128 << 10, body: map[string]any{"body": "# Hi"}},
		// No body: only the path can be wrong.
		{method: "DELETE", path: "/api/v1/me/sessions/{id}", bearer: fx.user, params: []pathParam{{"id", "ses_01ARZ3NDEKTSV4RRFFQ69G5FAV", notFound}}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/macros/{macro_id}", bearer: fx.admin, params: []pathParam{ticket, {"macro_id", fx.macro, notFound}}},
		{method: "POST", path: "/api/v1/agent/tickets/{id}/actions/{action}", bearer: fx.admin, params: []pathParam{{"id", fx.otherTicket, notFound}, {"action", "revoke_sessions", badInput}}},
		{method: "POST", path: "/api/v1/agent/approvals/{id}/approve", bearer: fx.admin, params: []pathParam{{"id", "apr_01ARZ3NDEKTSV4RRFFQ69G5FAV", notFound}}},
		{method: "POST", path: "/api/v1/me/tickets/{id}/attachments", bearer: fx.user, params: []pathParam{ticket}},
		{method: "GET", path: "/api/v1/me/tickets/{id}", bearer: fx.user, params: []pathParam{ticket}},
		{method: "GET", path: "/api/v1/me/tickets/{id}/transcript", bearer: fx.user, params: []pathParam{ticket}},
		{method: "GET", path: "/api/v1/me/tickets/{id}/attachments/{attachment_id}", bearer: fx.user, params: []pathParam{ticket, {"attachment_id", fx.attachment, notFound}}},
		{method: "GET", path: "/api/v1/kb/articles/{slug}", params: []pathParam{{"slug", "app-crash", notFound}}},
		{method: "GET", path: "/api/v1/agent/tickets/{id}", bearer: fx.admin, params: []pathParam{ticket}},
		{method: "GET", path: "/api/v1/agent/tickets/{id}/attachments/{attachment_id}", bearer: fx.admin, params: []pathParam{ticket, {"attachment_id", fx.attachment, notFound}}},
		{method: "GET", path: "/api/v1/agent/tickets/{id}/context", bearer: fx.admin, params: []pathParam{ticket}},
		{method: "GET", path: "/api/v1/admin/releases/{platform}", bearer: fx.admin, params: []pathParam{{"platform", "android", notFound}}},
		{method: "GET", path: "/api/v1/admin/accounts/{user_id}", bearer: fx.admin, params: []pathParam{{"user_id", fx.userID, notFound}}},
		{method: "GET", path: "/api/v1/admin/kb/articles/{slug}/{lang}/history", bearer: fx.admin, params: []pathParam{{"slug", "app-crash", notFound}, {"lang", "en", notFound}}},
	}
}

// apiCases crosses the API's endpoints with the hostile inputs that apply.
func (fx *hostileFixture) apiCases() []hostile {
	var out []hostile
	for _, ep := range fx.apiEndpoints() {
		path := ep.path
		for _, p := range ep.params {
			path = strings.Replace(path, "{"+p.name+"}", url.PathEscape(p.value), 1)
		}
		base := hostile{method: ep.method, path: path, bearer: ep.bearer, header: ep.header, ctype: "application/json"}
		add := func(kind, what string, body []byte, want answer, ctype ...string) {
			c := base
			c.name = fmt.Sprintf("%s: %s %s: %s", kind, ep.method, ep.path, what)
			c.body, c.status, c.code = body, want.status, want.code
			if len(ctype) > 0 {
				c.ctype = ctype[0]
			}
			out = append(out, c)
		}
		if ep.body != nil {
			bodyCases(ep, add)
		}
		for _, p := range ep.params {
			out = append(out, paramCases(ep, base, p)...)
		}
	}
	return out
}

// bodyCases are the cases about the body of one endpoint: its encoding,
// its size, its shape and each of its fields.
func bodyCases(ep apiEndpoint, add func(kind, what string, body []byte, want answer, ctype ...string)) {
	limit := ep.limit
	if limit == 0 {
		limit = 64 << 10
	}
	valid := mustMarshal(ep.body)
	first := firstKey(ep.body)
	add("utf8", "invalid UTF-8 in "+first, rawAt(ep.body, first, "\"a\xff\xfeb\""), dirtyText)
	add("utf8", "an overlong encoding in "+first, rawAt(ep.body, first, "\"\xc0\xaf\""), dirtyText)
	add("utf8", "a lone surrogate's bytes in "+first, rawAt(ep.body, first, "\"\xed\xa0\x80\""), dirtyText)
	add("nul", "an escaped NUL in "+first, rawAt(ep.body, first, `"a\u0000b"`), dirtyText)
	add("nul", "a raw NUL in "+first, rawAt(ep.body, first, "\"a\x00b\""), dirtyText)
	unsupported := answer{415, "unsupported_media_type"}
	add("type", "sent as text/plain", valid, unsupported, "text/plain")
	add("type", "sent as a form", valid, unsupported, "application/x-www-form-urlencoded")
	add("type", "sent as multipart", valid, unsupported, "multipart/form-data; boundary=x")
	add("type", "a malformed media type", valid, unsupported, "application/json; charset")
	add("size", "a body over the limit", rawAt(ep.body, first, `"`+strings.Repeat("a", limit)+`"`), tooLarge)
	add("json", "an unknown field", bytes.Replace(valid, []byte("{"), []byte(`{"is_admin":true,`), 1), answer{400, "unknown_field"})
	add("json", "a duplicate key", bytes.Replace(valid, []byte("{"), []byte(fmt.Sprintf(`{"%s":%s,`, lastPart(first), mustMarshal(getPath(ep.body, first)))), 1), badJSON)
	add("json", "arrays nested 20,000 deep", []byte(strings.Repeat("[", min(20000, limit/2-1))+strings.Repeat("]", min(20000, limit/2-1))), badJSON)
	deep := (limit - len(valid) - 64) / 6
	add("json", "objects nested deep", rawAt(ep.body, first, strings.Repeat(`{"a":`, deep)+"1"+strings.Repeat("}", deep)), badJSON)
	add("json", "a second value after the body", append(append([]byte{}, valid...), []byte(` {}`)...), badJSON)
	add("json", "a truncated body", valid[:len(valid)-1], badJSON)
	add("json", "an array for the object", append(append([]byte("["), valid...), ']'), badJSON)
	add("json", "null for the object", []byte("null"), badJSON)
	if !ep.optionalBody {
		add("json", "an empty body", nil, badJSON)
	}
	add("json", "single quotes", bytes.ReplaceAll(valid, []byte(`"`), []byte(`'`)), badJSON)
	add("json", "a comment", append([]byte("/* hi */"), valid...), badJSON)
	for _, f := range ep.fields {
		add("type", f.path+" as a number", mustMarshal(setPath(ep.body, f.path, 12345)), badJSON)
		add("type", f.path+" as an object", mustMarshal(setPath(ep.body, f.path, map[string]any{"$ne": ""})), badJSON)
		add("type", f.path+" as an array", mustMarshal(setPath(ep.body, f.path, []string{"a", "b"})), badJSON)
		if 20000+len(valid) < limit {
			add("long", f.path+" of 20,000 characters", mustMarshal(setPath(ep.body, f.path, strings.Repeat("长", 20000))), f.long)
		}
		for _, b := range f.bad {
			add("value", f.path+": "+b.name, mustMarshal(setPath(ep.body, f.path, b.value)), b.want)
		}
	}
}

// paramCases are the bad values of one path parameter.
func paramCases(ep apiEndpoint, base hostile, p pathParam) []hostile {
	var out []hostile
	body := []byte(nil)
	if ep.body != nil {
		body = mustMarshal(ep.body)
	}
	for _, bad := range []struct {
		what, raw string // raw is already escaped for the path
		want      answer
	}{
		{"unknown", "tkt_01ARZ3NDEKTSV4RRFFQ69G5FAV", p.want},
		{"too long", strings.Repeat("x", 2000), p.want},
		{"SQL", url.PathEscape("x' OR '1'='1"), p.want},
		{"traversal", url.PathEscape("../../etc/passwd"), p.want},
		{"other kind's id", "usr_" + strings.Repeat("0", 26), p.want},
		{"NUL", "a%00b", dirtyText},
		{"invalid UTF-8", "a%ff%fe", dirtyText},
	} {
		c := base
		c.name = fmt.Sprintf("param: %s %s: %s %s", ep.method, ep.path, p.name, bad.what)
		c.path = strings.Replace(base.path, "/"+url.PathEscape(p.value), "/"+bad.raw, 1)
		c.body, c.status, c.code = body, bad.want.status, bad.want.code
		if c.path == base.path {
			panic("parameter value not in path: " + c.name)
		}
		out = append(out, c)
	}
	return out
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// copyBody is a deep copy of a JSON body.
func copyBody(body map[string]any) map[string]any {
	var out map[string]any
	json.Unmarshal(mustMarshal(body), &out)
	return out
}

// setPath is a copy of body with the value at a dotted path set.
func setPath(body map[string]any, path string, v any) map[string]any {
	out := copyBody(body)
	m := out
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
	return out
}

func getPath(body map[string]any, path string) any {
	var v any = body
	for _, p := range strings.Split(path, ".") {
		v = v.(map[string]any)[p]
	}
	return v
}

func lastPart(path string) string { return path[strings.LastIndex(path, ".")+1:] }

// rawAt is body as JSON with the value at path replaced by raw text.
func rawAt(body map[string]any, path, raw string) []byte {
	const mark = "\u0001hostile\u0001"
	b := mustMarshal(setPath(body, path, mark))
	return bytes.Replace(b, []byte(`"\u0001hostile\u0001"`), []byte(raw), 1)
}

// firstKey is the top-level field that comes first in the body's JSON
// (keys sorted), preferring a string field.
func firstKey(body map[string]any) string {
	var strs, all []string
	for k, v := range body {
		all = append(all, k)
		if _, ok := v.(string); ok {
			strs = append(strs, k)
		}
	}
	if len(strs) == 0 {
		strs = all
	}
	slices.Sort(strs)
	return strs[0]
}
