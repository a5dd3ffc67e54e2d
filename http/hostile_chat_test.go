package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/okcare/okcare"
	okhttp "github.com/okcare/okcare/http"
	"github.com/okcare/okcare/storetest"
)

// A chat socket answers every frame that is not one strict JSON text
// message with the problem's code, stores nothing for it, and closes on a
// frame over its limit, on both stores.
func TestHostileChatSocket(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ts := newTestServerOn(t, store)
			ts.srv.ChatLimiter = okhttp.NewRateLimiter(1_000_000, time.Minute)
			chat, tok, err := ts.db.OpenChat(context.Background(), okcare.NewTicket{ContactEmail: "ws@example.com", Lang: "en", Intake: okcare.Intake{Description: "Hello?"}})
			if err != nil {
				t.Fatal(err)
			}
			url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/support/chat/" + chat.ID + "/ws"
			header := http.Header{"Cookie": {"okchat=" + tok}, "Origin": {ts.URL}}
			count := storetest.RowCounter(t, ts.db)
			sentinel := `{"body":"` + strings.Repeat("s", 20000) + `"}` // too long: answered invalid_input
			cases := []struct {
				name  string
				typ   websocket.MessageType
				frame string
				code  string // "" when the frame is simply nothing to do
			}{
				{"not JSON", websocket.MessageText, "{not json", "invalid_json"},
				{"a number for the body", websocket.MessageText, `{"body":123}`, "invalid_json"},
				{"an unknown field", websocket.MessageText, `{"body":"hi","html":"<b>"}`, "unknown_field"},
				{"a duplicate key", websocket.MessageText, `{"body":"hi","body":"bye"}`, "invalid_json"},
				{"null", websocket.MessageText, `null`, "invalid_json"},
				{"an array", websocket.MessageText, `["hi"]`, "invalid_json"},
				{"a trailing value", websocket.MessageText, `{"body":"hi"} {"body":"again"}`, "invalid_json"},
				{"an escaped NUL", websocket.MessageText, `{"body":"a\u0000b"}`, "invalid_utf8"},
				{"invalid UTF-8", websocket.MessageText, "{\"body\":\"\xff\xfe\"}", "invalid_utf8"},
				{"nesting 5,000 deep", websocket.MessageText, `{"body":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, "invalid_json"},
				{"a binary frame", websocket.MessageBinary, `{"body":"hi"}`, "unsupported_media_type"},
				{"a body of 20,000 characters", websocket.MessageText, `{"body":"` + strings.Repeat("长", 20000) + `"}`, "invalid_input"},
				{"a blank body", websocket.MessageText, `{"body":"   "}`, ""},
				{"typing with a body", websocket.MessageText, `{"typing":true,"body":"not stored"}`, ""},
			}
			for _, c := range cases {
				before := count()
				want := []string{c.code, "invalid_input"}
				if c.code == "" {
					want = want[1:]
				}
				codes := chatFrame(t, url, header, c.typ, c.frame, sentinel, len(want))
				if strings.Join(codes, ",") != strings.Join(want, ",") {
					t.Errorf("%s: answered %v, want %v", c.name, codes, want)
				}
				if changed := storetest.RowChanges(before, count()); changed != "" {
					t.Errorf("%s: changed rows: %s", c.name, changed)
				}
			}
			// Over the frame limit: the socket is closed, nothing stored.
			before := count()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: header})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.CloseNow()
			conn.Write(ctx, websocket.MessageText, []byte(`{"body":"`+strings.Repeat("x", 70<<10)+`"}`))
			for {
				if _, _, err = conn.Read(ctx); err != nil {
					break
				}
			}
			if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
				t.Errorf("a frame over 64 KiB: %v, want close 1009", err)
			}
			if changed := storetest.RowChanges(before, count()); changed != "" {
				t.Errorf("a frame over 64 KiB: changed rows: %s", changed)
			}
			t.Logf("%s: %d hostile chat frames", store, len(cases)+1)
		})
	}
}

// chatFrame sends frame, then sentinel, on a fresh socket and returns the
// codes of the problems answered, reading until want of them came (or
// three seconds passed). The sentinel is sent last, so when its answer
// comes everything before it has been dealt with.
func chatFrame(t *testing.T, url string, header http.Header, typ websocket.MessageType, frame, sentinel string, want int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: header})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	conn.Write(ctx, typ, []byte(frame))
	conn.Write(ctx, websocket.MessageText, []byte(sentinel))
	var codes []string
	for len(codes) < want {
		_, raw, err := conn.Read(ctx)
		if err != nil {
			break
		}
		var problem struct{ Error, Code string }
		if json.Unmarshal(raw, &problem) == nil && problem.Error != "" {
			codes = append(codes, problem.Code)
		}
	}
	return codes
}
