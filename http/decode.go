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
	return nil
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
