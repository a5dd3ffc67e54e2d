package http_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

var pngFile = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 200)...)

// uploadFile posts one file as multipart/form-data.
func uploadFile(t *testing.T, ts *testServer, path, token, field, name string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestAttachmentsAPI(t *testing.T) {
	ts := newTestServer(t)
	alice, bob := ts.login(t, "alice@demo.okwallet.example"), ts.login(t, "bob@demo.okwallet.example")
	status, tk, _ := ts.call(t, "POST", "/api/v1/tickets", alice, map[string]any{"lang": "en", "intake": map[string]any{"description": "crashes"}})
	if status != 201 {
		t.Fatalf("create: %d", status)
	}
	base := "/api/v1/me/tickets/" + tk["id"].(string) + "/attachments"

	status, body := uploadFile(t, ts, base, alice, "file", "crash.png", pngFile)
	if status != 201 || !strings.Contains(body, `"content_type":"image/png"`) {
		t.Fatalf("upload: %d %s", status, body)
	}
	for _, tt := range []struct {
		field, name string
		data        []byte
		want        int
	}{
		{"file", "x.html", []byte("<!doctype html><script>alert(1)</script>"), 415},
		{"file", "big.png", append(pngFile, make([]byte, 5<<20)...), 413},
		{"other", "crash.png", pngFile, 400},
		{"file", "empty.png", nil, 400},
	} {
		if status, body := uploadFile(t, ts, base, alice, tt.field, tt.name, tt.data); status != tt.want || !strings.Contains(body, `"code"`) {
			t.Errorf("%s in %q: %d %s, want %d", tt.name, tt.field, status, body, tt.want)
		}
	}
	if status, _, _ := ts.call(t, "POST", base, alice, map[string]string{"file": "x"}); status != 415 {
		t.Fatalf("JSON instead of multipart: %d", status)
	}
	if status, _ := uploadFile(t, ts, base, bob, "file", "crash.png", pngFile); status != 404 {
		t.Fatalf("another user's ticket: %d", status)
	}
	if n := countRows(t, ts, "attachments"); n != 1 {
		t.Fatalf("%d attachments stored, want 1", n)
	}

	_, mine, _ := ts.call(t, "GET", "/api/v1/me/tickets/"+tk["id"].(string), alice, nil)
	files := mine["attachments"].([]any)
	id := files[0].(map[string]any)["id"].(string)
	download := func(path, token string) *http.Response {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := download(base+"/"+id, alice)
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(data, pngFile) || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := download(base+"/"+id, bob); resp.StatusCode != 404 {
		t.Fatalf("bob downloaded alice's file: %d", resp.StatusCode)
	}
	agent := ts.agentLogin(t)
	if resp := download("/api/v1/agent/tickets/"+tk["id"].(string)+"/attachments/"+id, agent); resp.StatusCode != 200 {
		t.Fatalf("agent download: %d", resp.StatusCode)
	}
}

// TestTicketFormAttachment: the web form takes one file with the ticket;
// a refused file leaves no ticket.
func TestTicketFormAttachment(t *testing.T) {
	ts := newTestServer(t)
	c := newConsoleClient(t, ts)
	c.get("/support/new?lang=en")
	post := func(name string, data []byte) (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"csrf": c.csrf, "lang": "en", "contact_email": "kim@example.com", "description": "crashes on launch, screenshot attached"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("attachment", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", ts.URL+"/support/new", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	if status, body := post("page.html", []byte("<html><script>alert(1)</script></html>")); status != 415 || !strings.Contains(body, "form-error") {
		t.Fatalf("HTML file: %d", status)
	}
	if status, _ := post("huge.png", append(pngFile, make([]byte, 6<<20)...)); status != 413 {
		t.Fatalf("oversized file: %d", status)
	}
	if countRows(t, ts, "tickets") != 0 {
		t.Fatal("a refused file left a ticket")
	}
	if status, body := post("crash.png", pngFile); status != 201 || !strings.Contains(body, "ticket-number") {
		t.Fatalf("with a screenshot: %d", status)
	}
	if countRows(t, ts, "attachments") != 1 {
		t.Fatal("the screenshot was not kept")
	}
}
