package http

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/okcare/okcare"
)

// codeMethodNotAllowed answers a known path asked with the wrong method.
const codeMethodNotAllowed = "method_not_allowed"

// codeStatus maps every error code to its HTTP status, in one place.
var codeStatus = map[string]int{
	okcare.EINVALID:             http.StatusBadRequest,
	okcare.EINVALIDJSON:         http.StatusBadRequest,
	okcare.EINVALIDUTF8:         http.StatusBadRequest,
	okcare.EUNKNOWNFIELD:        http.StatusBadRequest,
	okcare.EINVALIDVERSION:      http.StatusBadRequest,
	okcare.EINVALIDAMOUNT:       http.StatusBadRequest,
	okcare.EUNKNOWNASSET:        http.StatusBadRequest,
	okcare.EIDEMPOTENCYMISSING:  http.StatusBadRequest,
	okcare.EWEAKPASSWORD:        http.StatusBadRequest,
	okcare.EBODYTOOLARGE:        http.StatusRequestEntityTooLarge,
	okcare.EUNSUPPORTEDMEDIA:    http.StatusUnsupportedMediaType,
	okcare.EUNAUTHORIZED:        http.StatusUnauthorized,
	okcare.EINVALIDCREDENTIALS:  http.StatusUnauthorized,
	okcare.ETOTPREQUIRED:        http.StatusUnauthorized,
	okcare.ETOTPINVALID:         http.StatusUnauthorized,
	okcare.EFORBIDDEN:           http.StatusForbidden,
	okcare.EACCOUNTFROZEN:       http.StatusForbidden,
	okcare.ELOGINRESTRICTED:     http.StatusForbidden,
	okcare.EACCOUNTCLOSED:       http.StatusForbidden,
	okcare.ENOTFOUND:            http.StatusNotFound,
	okcare.ECONFLICT:            http.StatusConflict,
	okcare.EALREADYREGISTERED:   http.StatusConflict,
	okcare.EIDEMPOTENCYMISMATCH: http.StatusConflict,
	okcare.EINSUFFICIENTFUNDS:   http.StatusUnprocessableEntity,
	okcare.ERATELIMITED:         http.StatusTooManyRequests,
	okcare.EINTERNAL:            http.StatusInternalServerError,
	okcare.EUNAVAILABLE:         http.StatusServiceUnavailable,
	okcare.ESTORAGEFULL:         http.StatusInsufficientStorage,
	codeMethodNotAllowed:        http.StatusMethodNotAllowed,
}

// errorBody is the one JSON envelope of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Error writes err as the JSON error envelope. Only internal errors are
// logged, with their cause; the client sees a generic message for them.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := okcare.ErrorCode(err), okcare.ErrorMessage(err)
	status, ok := codeStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch code {
	case okcare.EINTERNAL:
		s.Logger.LogAttrs(r.Context(), slog.LevelError, "internal error", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	case okcare.EUNAVAILABLE, okcare.ESTORAGEFULL:
		// Not the request's fault, and not a bug: the operator needs the
		// cause (the database, the disk), the client a retry later.
		s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "cannot serve now", slog.String("code", code), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	var body errorBody
	body.Error.Code, body.Error.Message = code, msg
	writeJSON(w, status, body)
}

// RetryAfter is the Retry-After (seconds) of every 503 and 507 answer: a
// moment for the database to come back or the disk to be cleared.
const RetryAfter = "5"

// writeJSON writes v with the status. Encoding errors cannot be reported to
// a client whose headers are already sent, so they are ignored.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// errorCodeHeader carries an error's stable code on the pages that show
// it, as the JSON envelope does for API clients, so that monitoring (and
// the hostile-input tests) can tell one refusal from another.
const errorCodeHeader = "X-Error-Code"

// errorStatus is the HTTP status of err's code.
func errorStatus(err error) int {
	if status, ok := codeStatus[okcare.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// setErrorCode names err's code on a page about to be written.
func setErrorCode(w http.ResponseWriter, err error) {
	w.Header().Set(errorCodeHeader, okcare.ErrorCode(err))
}
