package http_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	okhttp "github.com/okcare/okcare/http"
)

// fill puts the fixture's ids into a route's path parameters.
func (fx *hostileFixture) fill(path string) string {
	byName := map[string]string{"id": fx.ticket, "attachment_id": fx.attachment, "macro_id": fx.macro, "user_id": fx.userID,
		"platform": "android", "slug": "app-crash", "lang": "en", "action": "freeze"}
	switch {
	case strings.Contains(path, "/diagnoses/"):
		byName["id"] = fx.diagnosis
	case strings.Contains(path, "/verifications/"):
		byName["id"] = fx.verification
	case strings.Contains(path, "/incidents/"):
		byName["id"] = fx.incident
	case strings.Contains(path, "/approvals/"):
		byName["id"] = "apr_01ARZ3NDEKTSV4RRFFQ69G5FAV"
	case strings.Contains(path, "/sessions/{id}"):
		byName["id"] = "ses_01ARZ3NDEKTSV4RRFFQ69G5FAV"
	case strings.Contains(path, "/actions/"):
		byName["action"] = "revoke_sessions"
	}
	for name, v := range byName {
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
	}
	return path
}

// routes are the API's registered routes.
func apiRoutes() []okhttp.Route {
	return okhttp.NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes()
}

// roleOf is the least role a staff route needs ("" for customer and
// public routes).
func roleOf(r okhttp.Route) string {
	admin := []string{"PUT /api/v1/admin/releases/{platform}", "POST /api/v1/admin/incidents", "PATCH /api/v1/admin/incidents/{id}",
		"POST /api/v1/admin/accounts/{user_id}/{action}", "GET /api/v1/admin/outbox", "PUT /api/v1/admin/kb/articles/{slug}/{lang}",
		"POST /api/v1/admin/kb/articles/{slug}/{lang}/publish"}
	supervisor := []string{"POST /api/v1/agent/tickets/{id}/assign", "POST /api/v1/agent/macros", "GET /api/v1/agent/team",
		"GET /api/v1/agent/reports", "POST /api/v1/agent/approvals/{id}/approve"}
	key := r.Method + " " + r.Path
	switch {
	case slices.Contains(admin, key):
		return "admin"
	case slices.Contains(supervisor, key):
		return "supervisor"
	case r.Path == "/api/v1/agent/sessions" && r.Method == "POST":
		return ""
	case strings.HasPrefix(r.Path, "/api/v1/agent/") || strings.HasPrefix(r.Path, "/api/v1/admin/"):
		return "agent"
	}
	return ""
}

// customerRoute says whether a route needs a customer's bearer token.
func customerRoute(r okhttp.Route) bool {
	return strings.HasPrefix(r.Path, "/api/v1/me") || r.Path == "/api/v1/transfers" || r.Path == "/api/v1/payments"
}

// authCases send every authenticated route no credentials, bad ones and
// the wrong kind, and the staff routes an agent whose role is too low.
func (fx *hostileFixture) authCases() []hostile {
	var out []hostile
	for _, r := range apiRoutes() {
		role, customer := roleOf(r), customerRoute(r)
		if role == "" && !customer {
			continue
		}
		base := hostile{method: r.Method, path: fx.fill(r.Path), ctype: "application/json", body: []byte(`{}`)}
		add := func(what, bearer string, header map[string]string, want answer) {
			c := base
			c.name = fmt.Sprintf("auth: %s %s: %s", r.Method, r.Path, what)
			c.bearer, c.header, c.status, c.code = bearer, header, want.status, want.code
			out = append(out, c)
		}
		add("no credentials", "", nil, unauthorized)
		add("an unknown token", "okt_"+strings.Repeat("A", 40), nil, unauthorized)
		add("a token of 4,000 characters", strings.Repeat("x", 4000), nil, unauthorized)
		add("basic authentication", "", map[string]string{"Authorization": "Basic YWxpY2U6cGFzc3dvcmQ="}, unauthorized)
		if customer {
			add("a staff token", fx.admin, nil, unauthorized)
			continue
		}
		add("a customer's token", fx.user, nil, unauthorized)
		if role != "agent" {
			add("an agent's token", fx.agent, nil, forbidden)
		}
	}
	return out
}

// methodCases send each API path the methods it does not take.
func (fx *hostileFixture) methodCases() []hostile {
	methods := map[string][]string{}
	for _, r := range apiRoutes() {
		methods[r.Path] = append(methods[r.Path], r.Method)
	}
	var out []hostile
	for _, path := range slices.Sorted(func(yield func(string) bool) {
		for p := range methods {
			if !yield(p) {
				return
			}
		}
	}) {
		n := 0
		for _, m := range []string{"DELETE", "PATCH", "PUT", "POST", "GET"} {
			if slices.Contains(methods[path], m) || (m == "GET" && slices.Contains(methods[path], "HEAD")) || n == 2 {
				continue
			}
			n++
			out = append(out, hostile{name: fmt.Sprintf("method: %s %s", m, path), method: m, path: fx.fill(path), bearer: fx.admin,
				ctype: "application/json", body: []byte(`{}`), status: 405, code: "method_not_allowed"})
		}
	}
	return out
}

// queryCases are hostile query strings for the endpoints that read one.
func (fx *hostileFixture) queryCases() []hostile {
	var out []hostile
	add := func(bearer, path string, want answer) {
		out = append(out, hostile{name: "query: GET " + path, method: "GET", path: path, bearer: bearer, status: want.status, code: want.code})
	}
	boot := "/app/v1/bootstrap?app_version=5.3.0&os_version=14&platform="
	for _, p := range []string{"windows", "", "ANDROID", url.QueryEscape("android' OR '1'='1")} {
		add("", boot+p, badInput)
	}
	for _, v := range []string{"latest", "99999999999999999999999.0.0", "5..3", url.QueryEscape("5.3.0\r\n"), strings.Repeat("9", 2000)} {
		add("", "/app/v1/bootstrap?platform=android&os_version=14&app_version="+v, badVersion)
		add("", "/app/v1/bootstrap?platform=android&app_version=5.3.0&os_version="+v, badVersion)
	}
	for _, v := range []string{"0", "201", "-1", "abc", "1e3", "99999999999999999999", "1.5"} {
		add(fx.user, "/api/v1/me/transactions?limit="+v, badInput)
		add(fx.user, "/api/v1/me/transactions?cursor="+v+"x", badInput)
	}
	add(fx.user, "/api/v1/me/transactions?cursor=0", badInput)
	add(fx.user, "/api/v1/me/transactions?cursor=-9223372036854775808", badInput)
	for _, l := range []string{"xx", "ZH-CN", url.QueryEscape("en' --"), "en-US"} { // none means zh-CN
		add("", "/api/v1/kb/search?q=crash&lang="+l, badInput)
		add("", "/api/v1/kb/articles/app-crash?lang="+l, badInput)
	}
	for _, v := range []string{"0", "51", "abc", "-1", "99999999999999999999"} {
		add("", "/api/v1/kb/search?lang=en&q=crash&limit="+v, badInput)
	}
	for _, v := range []string{"abc", "0", "-5", "100000", "99999999999999999999"} {
		add(fx.admin, "/api/v1/agent/tickets?limit="+v, badInput)
	}
	for _, v := range []string{"bogus", "open,bogus", url.QueryEscape("open' OR '1'='1")} {
		add(fx.admin, "/api/v1/agent/tickets?status="+v, badInput)
	}
	for _, v := range []string{"xx", url.QueryEscape("en' OR '1'='1")} {
		add(fx.admin, "/api/v1/agent/tickets?lang="+v, badInput)
	}
	for _, v := range []string{"0", "367", "abc", "-1", "1e2"} {
		add(fx.admin, "/api/v1/agent/reports?days="+v, badInput)
	}
	for _, v := range []string{"0", "3651", "abc", "-1", "99999999999999999999"} {
		add(fx.admin, "/api/v1/admin/reports/deflection?days="+v, badInput)
	}
	// Harmless, but they must neither fail nor echo markup.
	for _, q := range []string{url.QueryEscape("<script>alert(1)</script>"), url.QueryEscape(`" OR 1=1 --`), url.QueryEscape("*:* AND _id:*"), url.QueryEscape("+-&&||!(){}[]^\"~*?:\\/")} {
		add("", "/api/v1/kb/search?lang=en&q="+q, answer{200, ""})
	}
	add("", "/api/v1/kb/search?lang=en&q="+strings.Repeat("%E9%97%AA", 201), badInput)
	return out
}

// uploadCases are hostile attachments sent to the API's upload.
func (fx *hostileFixture) uploadCases() []hostile {
	path := "/api/v1/me/tickets/" + fx.ticket + "/attachments"
	var out []hostile
	add := func(what string, ctype string, body []byte, want answer) {
		out = append(out, hostile{name: "upload: " + what, method: "POST", path: path, bearer: fx.user, ctype: ctype, body: body, status: want.status, code: want.code})
	}
	file := func(field, name string, data []byte) (string, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(data)
		mw.Close()
		return mw.FormDataContentType(), buf.Bytes()
	}
	ct, body := file("file", "huge.png", append(append([]byte{}, pngFile...), make([]byte, 5<<20)...))
	add("a file over 5 MiB", ct, body, tooLarge)
	ct, body = file("file", "big.png", append(append([]byte{}, pngFile...), make([]byte, 5<<20-len(pngFile)+1)...))
	add("a file one byte over 5 MiB", ct, body, tooLarge)
	ct, body = file("other", "screen.png", pngFile)
	add("no file field", ct, body, badInput)
	add("JSON instead of a form", "application/json", []byte(`{"file":"iVBORw0KGgo="}`), answer{415, "unsupported_media_type"})
	add("no boundary", "multipart/form-data", body, badInput)
	add("a broken form", ct, bytes.ReplaceAll(body, []byte("--"), []byte("-")), badInput)
	add("a cut-short form", ct, body[:len(body)/2], badInput)
	ct, body = file("file", "setup.png", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 200)...))
	refused := answer{415, "unsupported_media_type"} // by its content, whatever its name
	add("a Windows program named .png", ct, body, refused)
	ct, body = file("file", "page.png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"))
	add("HTML named .png", ct, body, refused)
	ct, body = file("file", "image.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
	add("an SVG with a script", ct, body, refused)
	ct, body = file("file", "empty.png", nil)
	add("an empty file", ct, body, badInput)
	ct, body = file("file", "a\x00b.png", pngFile)
	add("a NUL in the file name", ct, body, badInput) // no valid part header
	return out
}

// File names from a path traversal, another system's paths or bytes that
// are not text are kept only as a clean base name, on both stores: the
// upload itself is fine, so it is accepted.
func TestHostileFileNames(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ts := newTestServerOn(t, store)
			user := ts.login(t, "alice@demo.okwallet.example")
			status, body, _ := ts.call(t, "POST", "/api/v1/tickets", user, map[string]any{"lang": "en", "intake": map[string]any{"description": "Files."}})
			if status != 201 {
				t.Fatalf("ticket: %d %v", status, body)
			}
			path := "/api/v1/me/tickets/" + body["id"].(string) + "/attachments"
			for _, name := range []string{"../../etc/passwd.png", `..\..\windows\win.ini.png`, "/var/www/html/shell.png", "a\xff\xfe.png",
				"%2e%2e%2fescape.png", "shot\r\nContent-Type: text/html.png", "...png", strings.Repeat("长", 300) + ".png"} {
				status, raw := uploadFile(t, ts, path, user, "file", name, pngFile)
				var file map[string]any
				json.Unmarshal([]byte(raw), &file)
				clean, _ := file["filename"].(string)
				if status != 201 || clean == "" || strings.ContainsAny(clean, "/\\\r\n%") || strings.Contains(clean, "..") || !utf8.ValidString(clean) || !strings.HasSuffix(clean, ".png") {
					t.Errorf("%q: %d, kept as %q", name, status, clean)
				}
			}
		})
	}
}
