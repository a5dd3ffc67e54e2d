package http

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/markdown"
	"github.com/okcare/okcare/search"
)

// maxArticleBody bounds an article save: 100 kB of Markdown plus JSON.
const maxArticleBody = 128 << 10

func (s *Server) searchIndex() (*search.Index, error) {
	if s.Search == nil {
		return nil, okcare.Errorf(okcare.EINTERNAL, "Search is not available.")
	}
	return s.Search, nil
}

func langParam(r *http.Request) (string, error) {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = okcare.LangZH
	}
	if !okcare.ValidLang(lang) {
		return "", okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	return lang, nil
}

func (s *Server) handleKBSearch(w http.ResponseWriter, r *http.Request) {
	lang, err := langParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	limit := 10
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 50 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "limit must be 1-50."))
			return
		}
	}
	idx, err := s.searchIndex()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	res, err := s.searchHelp(r, idx, r.URL.Query().Get("q"), lang, limit)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
}

// articleJSON is an article as readers get it: sanitised HTML beside the
// Markdown source.
type articleJSON struct {
	Slug      string        `json:"slug"`
	Lang      string        `json:"lang"`
	Version   int           `json:"version"`
	Title     string        `json:"title"`
	HTML      template.HTML `json:"html"`
	Markdown  string        `json:"markdown"`
	Published bool          `json:"published"`
	CreatedAt time.Time     `json:"created_at"`
	CreatedBy string        `json:"created_by,omitempty"`
}

func toArticleJSON(a *okcare.Article, withAuthor bool) articleJSON {
	out := articleJSON{Slug: a.Slug, Lang: a.Lang, Version: a.Version, Title: a.Title, HTML: markdown.Render(a.Body), Markdown: a.Body, Published: a.Published, CreatedAt: a.CreatedAt}
	if withAuthor {
		out.CreatedBy = a.CreatedBy
	}
	return out
}

func (s *Server) handleKBArticle(w http.ResponseWriter, r *http.Request) {
	lang, err := langParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := s.Store.PublishedArticle(r.Context(), r.PathValue("slug"), lang)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toArticleJSON(a, false))
}

func (s *Server) handleSaveArticle(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	if _, err := decodeJSON(w, r, &req, maxArticleBody); err != nil {
		s.Error(w, r, err)
		return
	}
	a := &okcare.Article{Slug: r.PathValue("slug"), Lang: r.PathValue("lang"), Title: req.Title, Body: req.Body, CreatedBy: "agent:" + agentFrom(r).ID}
	if err := s.Store.SaveArticleDraft(r.Context(), a); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toArticleJSON(a, true))
}

func (s *Server) handlePreviewArticle(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Body string `json:"body"`
	}
	if _, err := decodeJSON(w, r, &req, maxArticleBody); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"html": markdown.Render(req.Body)})
}

func (s *Server) handlePublishArticle(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Version int `json:"version"`
	}
	if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	idx, err := s.searchIndex()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := s.Store.PublishArticle(r.Context(), r.PathValue("slug"), r.PathValue("lang"), req.Version, "agent:"+agentFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// The index follows the edit at once; a failure here is repaired by
	// okcare kb reindex, and reported, not hidden.
	if err := idx.Put(a); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toArticleJSON(a, true))
}

func (s *Server) handleArticleHistory(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.ArticleHistory(r.Context(), r.PathValue("slug"), r.PathValue("lang"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]articleJSON, 0, len(list))
	for _, a := range list {
		out = append(out, toArticleJSON(a, true))
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
}
