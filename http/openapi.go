package http

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every API route; TestOpenAPIMatchesRoutes keeps
// it in step with the router.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3 document.
func OpenAPI() []byte { return openAPIDocument }

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDocument)
}
