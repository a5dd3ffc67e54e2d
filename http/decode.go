package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
)

// maxBody is the default limit on a JSON request body.
const maxBody = 64 << 10

// readBody reads at most limit bytes of the request body.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, okcare.Errorf(okcare.EBODYTOOLARGE, "The request body is larger than %d bytes.", limit)
	} else if err != nil {
		return nil, okcare.Errorf(okcare.EINVALID, "The request body could not be read.")
	}
	return body, nil
}

// decodeJSON decodes a JSON request body into dst strictly: the media type
// must be JSON, the body at most limit bytes of valid UTF-8 holding exactly
// one JSON value with no unknown fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, okcare.Errorf(okcare.EUNSUPPORTEDMEDIA, "Send the body as application/json.")
		}
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		return nil, err
	}
	return body, unmarshalStrict(body, dst)
}

// unmarshalStrict is the body check of decodeJSON, separate for fuzzing.
func unmarshalStrict(body []byte, dst any) error {
	if !utf8.Valid(body) {
		return okcare.Errorf(okcare.EINVALIDUTF8, "The request body is not valid UTF-8.")
	}
	if hasNUL(body) {
		return okcare.Errorf(okcare.EINVALIDUTF8, "The request body contains a NUL character.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return okcare.Errorf(okcare.EUNKNOWNFIELD, "Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		case errors.As(err, &typeErr):
			return okcare.Errorf(okcare.EINVALIDJSON, "Field %q has the wrong type.", typeErr.Field)
		case errors.Is(err, io.EOF):
			return okcare.Errorf(okcare.EINVALIDJSON, "The request body is empty.")
		}
		return okcare.Errorf(okcare.EINVALIDJSON, "The request body is not valid JSON.")
	}
	if dec.More() {
		return okcare.Errorf(okcare.EINVALIDJSON, "The request body has data after the JSON value.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return okcare.Errorf(okcare.EINVALIDJSON, "The request body has data after the JSON value.")
	}
	// null decodes into a struct as nothing at all, and a repeated key as
	// its last value, where another parser (a proxy's, a log's) may read
	// the first: both are refused.
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return okcare.Errorf(okcare.EINVALIDJSON, "The request body must be a JSON object.")
	}
	if key, ok := duplicateKey(body); ok {
		return okcare.Errorf(okcare.EINVALIDJSON, "Field %q appears twice.", key)
	}
	return nil
}

// duplicateKey finds a key repeated within one object of a valid JSON
// text. It walks the tokens with a stack of its own, so nesting as deep
// as the decoder allows costs no recursion.
func duplicateKey(body []byte) (string, bool) {
	type level struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []level
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false // the end (the decoder has checked the syntax)
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			if top > 0 && stack[top-1].object {
				stack[top-1].wantKey = true
			}
			continue
		}
		if top >= 0 && stack[top].object && stack[top].wantKey {
			key, _ := tok.(string)
			if stack[top].keys == nil {
				stack[top].keys = map[string]bool{}
			}
			if stack[top].keys[key] {
				return key, true
			}
			stack[top].keys[key], stack[top].wantKey = true, false
			continue
		}
		if d, ok := tok.(json.Delim); ok { // a value that opens an object or array
			stack = append(stack, level{object: d == '{', wantKey: true})
			continue
		}
		if top >= 0 && stack[top].object {
			stack[top].wantKey = true
		}
	}
}

// hasNUL reports whether a JSON text holds a NUL, raw or escaped as \u0000
// in a string (which neither store can keep). The careful walk runs only
// when the escape's bytes appear at all.
func hasNUL(body []byte) bool {
	if bytes.IndexByte(body, 0) >= 0 {
		return true
	}
	if !bytes.Contains(body, []byte(`\u0000`)) { // JSON escapes spell the u in lower case
		return false
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false // not JSON: the decoder says so
	}
	return containsNUL(v)
}

func containsNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, 0)
	case []any:
		for _, e := range v {
			if containsNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.ContainsRune(k, 0) || containsNUL(e) {
				return true
			}
		}
	}
	return false
}
