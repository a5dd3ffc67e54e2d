// Package search is the help center's full-text index, on bleve. Chinese is
// analysed as Chinese (bleve's cjk analyzer: width folding and character
// bigrams, so 闪退 matches 闪退 and not every text with 退 in it); English
// with stemming (crashes finds crash). Queries get synonyms from both
// languages and fuzzy matching for English typos. The index lives in a
// directory and survives restarts; publishing an article updates it at once.
package search

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk" // registers "cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"  // registers "en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/okcare/okcare"
	"github.com/okcare/okcare/markdown"
	"github.com/okcare/okcare/textnorm"
)

// Index is the help-center search index.
type Index struct {
	// writeMu orders the writers (Put, Rebuild, Sync) among themselves, so
	// that a sync that read the store before a publish cannot write over
	// the publish's own update; mu guards the index for searches.
	writeMu sync.Mutex
	mu      sync.RWMutex
	idx     bleve.Index
	// versions are the article versions indexed, by doc id ("slug/lang");
	// nil until read back from the index (see knownVersions).
	versions map[string]int
}

// Result is one search hit.
type Result struct {
	Slug    string  `json:"slug"`
	Title   string  `json:"title"`
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
}

// doc is what is indexed per article and language.
type doc struct {
	Slug    string `json:"slug"`
	Lang    string `json:"lang"`
	Title   string `json:"title"`
	Text    string `json:"text"`
	TitleZH string `json:"title_zh,omitempty"`
	BodyZH  string `json:"body_zh,omitempty"`
	TitleEN string `json:"title_en,omitempty"`
	BodyEN  string `json:"body_en,omitempty"`
	// Version is the article version indexed: Sync compares it with the
	// store's published version.
	Version int `json:"version"`
}

func indexMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	d := bleve.NewDocumentMapping()
	keyword := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = true
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index, f.Store = false, true
		return f
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store = analyzer, false
		return f
	}
	d.AddFieldMappingsAt("slug", keyword())
	d.AddFieldMappingsAt("lang", keyword())
	d.AddFieldMappingsAt("title", stored())
	d.AddFieldMappingsAt("text", stored())
	d.AddFieldMappingsAt("title_zh", text("cjk"))
	d.AddFieldMappingsAt("body_zh", text("cjk"))
	d.AddFieldMappingsAt("title_en", text("en"))
	d.AddFieldMappingsAt("body_en", text("en"))
	version := bleve.NewNumericFieldMapping()
	version.Index, version.Store = false, true
	d.AddFieldMappingsAt("version", version)
	m.DefaultMapping = d
	return m
}

// Open opens the index at path, creating it if missing; "" keeps it in memory.
func Open(path string) (*Index, error) {
	if path == "" {
		idx, err := bleve.NewMemOnly(indexMapping())
		return &Index{idx: idx}, err
	}
	idx, err := bleve.Open(path)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		idx, err = bleve.New(path, indexMapping())
	}
	if err != nil {
		return nil, fmt.Errorf("search index %s: %w", path, err)
	}
	return &Index{idx: idx}, nil
}

// Close closes the index.
func (i *Index) Close() error { return i.idx.Close() }

// Settle waits, up to max, until the index has finished merging segments in
// the background (no merge work for a second), so that a benchmark measures
// the steady state rather than the aftermath of a rebuild.
func (i *Index) Settle(max time.Duration) {
	deadline := time.Now().Add(max)
	last, quietSince := "", time.Now()
	for time.Now().Before(deadline) {
		stats, _ := i.idx.StatsMap()["index"].(map[string]interface{})
		now := fmt.Sprint(stats["TotFileMergePlanTasksDone"], stats["TotPersistedItems"], stats["TotFileMergeLoopEnd"])
		if now != last {
			last, quietSince = now, time.Now()
		} else if time.Since(quietSince) > time.Second {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Count returns how many article versions are indexed.
func (i *Index) Count() (uint64, error) { return i.idx.DocCount() }

func toDoc(a *okcare.Article) doc {
	text := strings.Join(strings.Fields(markdown.Text(a.Body)), " ")
	d := doc{Slug: a.Slug, Lang: a.Lang, Title: a.Title, Text: text, Version: a.Version}
	if a.Lang == okcare.LangZH {
		d.TitleZH, d.BodyZH = a.Title, text
	} else {
		d.TitleEN, d.BodyEN = a.Title, text
	}
	return d
}

// docID is an article's id in the index.
func docID(slug, lang string) string { return slug + "/" + lang }

// Put indexes (or replaces) the published version of an article.
func (i *Index) Put(a *okcare.Article) error {
	i.writeMu.Lock()
	defer i.writeMu.Unlock()
	i.mu.Lock()
	defer i.mu.Unlock()
	if err := i.idx.Index(docID(a.Slug, a.Lang), toDoc(a)); err != nil {
		return err
	}
	if i.versions != nil {
		i.versions[docID(a.Slug, a.Lang)] = a.Version
	}
	return nil
}

// Rebuild replaces the whole index content with articles, calling progress
// after each batch.
func (i *Index) Rebuild(articles []*okcare.Article, progress func(done, total int)) error {
	i.writeMu.Lock()
	defer i.writeMu.Unlock()
	i.mu.Lock()
	defer i.mu.Unlock()
	i.versions = nil // read back on the next Sync
	ids, err := i.allIDs()
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	const batchSize = 200
	for start := 0; start < len(articles); start += batchSize {
		b := i.idx.NewBatch()
		for _, a := range articles[start:min(start+batchSize, len(articles))] {
			id := docID(a.Slug, a.Lang)
			keep[id] = true
			if err := b.Index(id, toDoc(a)); err != nil {
				return err
			}
		}
		if err := i.idx.Batch(b); err != nil {
			return err
		}
		if progress != nil {
			progress(min(start+batchSize, len(articles)), len(articles))
		}
	}
	b := i.idx.NewBatch()
	for _, id := range ids {
		if !keep[id] {
			b.Delete(id)
		}
	}
	return i.idx.Batch(b)
}

func (i *Index) allIDs() ([]string, error) {
	n, err := i.idx.DocCount()
	if err != nil || n == 0 {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n), 0, false)
	res, err := i.idx.Search(req)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, nil
}

// MaxQuery is the longest query accepted, in characters.
const MaxQuery = 200

// Search returns the best matches for q in lang, at most limit.
func (i *Index) Search(q, lang string, limit int) ([]Result, error) {
	q = strings.TrimSpace(q)
	if q == "" || utf8.RuneCountInString(q) > MaxQuery || !utf8.ValidString(q) {
		return nil, okcare.Errorf(okcare.EINVALID, "q must be 1-%d characters.", MaxQuery)
	}
	if !okcare.ValidLang(lang) {
		return nil, okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	expanded := expand(textnorm.Fold(q), lang)
	suffix := "en"
	if lang == okcare.LangZH {
		suffix = "zh"
	}
	build := func(fuzzyWords string) query.Query {
		var should []query.Query
		addMatch := func(field, text string, boost float64, fuzzy bool) {
			m := bleve.NewMatchQuery(text)
			m.SetField(field)
			m.SetBoost(boost)
			if fuzzy {
				// One edit, first letter kept: looser matching of short
				// words would match half the dictionary.
				m.SetFuzziness(1)
				m.SetPrefix(1)
			}
			should = append(should, m)
		}
		addMatch("title_"+suffix, expanded, 3, false)
		addMatch("body_"+suffix, expanded, 1, false)
		if fuzzyWords != "" {
			addMatch("title_en", fuzzyWords, 1, true) // typos: "pasword"
			addMatch("body_en", fuzzyWords, 0.3, true)
		}
		// The fields are per language (an English article has no
		// title_zh), so the field choice is the language filter: no
		// conjunction with a lang term, which cost half of each search.
		return bleve.NewDisjunctionQuery(should...)
	}
	// Only a word the index does not know can be a typo, and only then is
	// fuzzy matching (which walks the term dictionary) worth its cost. The
	// check is a dictionary lookup, so it comes first and one search runs.
	fuzzy := ""
	if lang == okcare.LangEN {
		if fixed, unknown := i.correctTypos(q); fixed != q || unknown != "" {
			expanded, fuzzy = expand(textnorm.Fold(fixed), lang), unknown
		}
	}
	res, err := i.run(build(fuzzy), limit)
	for k := range res {
		res[k].Snippet = snippet(res[k].Snippet, q)
	}
	return res, err
}

// correctTypos looks at each word of five letters or more that no English
// article contains. A word that one swap of neighbouring letters makes known
// ("upadte" -> "update") is replaced; the others are returned for fuzzy
// matching at one edit.
func (i *Index) correctTypos(q string) (fixed, unknown string) {
	words := strings.Fields(q)
	var rest []string
	for k, w := range words {
		if utf8.RuneCountInString(w) < 5 || i.knownWord(w) {
			continue
		}
		r := []rune(w)
		swapped := ""
		for j := 0; j+1 < len(r) && swapped == ""; j++ {
			r[j], r[j+1] = r[j+1], r[j]
			if i.knownWord(string(r)) {
				swapped = string(r)
			}
			r[j], r[j+1] = r[j+1], r[j]
		}
		if swapped != "" {
			words[k] = swapped
		} else {
			rest = append(rest, w)
		}
	}
	return strings.Join(words, " "), strings.Join(rest, " ")
}

// knownWord reports whether some English article contains the word: the
// word is analysed as the English fields are (so "suspended" looks for
// "suspend") and each term is looked up in the fields' term dictionaries,
// which costs a dictionary seek, not a search.
func (i *Index) knownWord(w string) bool {
	analyzer := i.idx.Mapping().AnalyzerNamed("en")
	if analyzer == nil {
		return true // cannot tell: treat it as known, so no fuzzy search runs
	}
	tokens := analyzer.Analyze([]byte(w))
	if len(tokens) == 0 {
		return true
	}
	i.mu.RLock()
	defer i.mu.RUnlock()
	for _, tok := range tokens {
		term := string(tok.Term)
		found := false
		for _, field := range []string{"body_en", "title_en"} {
			dict, err := i.idx.FieldDictRange(field, tok.Term, tok.Term)
			if err != nil {
				return true
			}
			entry, err := dict.Next()
			dict.Close()
			if err != nil {
				return true
			}
			if entry != nil && entry.Term == term {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (i *Index) run(q query.Query, limit int) ([]Result, error) {
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	req.Fields = []string{"slug", "title", "text"}
	i.mu.RLock()
	res, err := i.idx.Search(req)
	i.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(res.Hits))
	for _, h := range res.Hits {
		slug, _ := h.Fields["slug"].(string)
		title, _ := h.Fields["title"].(string)
		text, _ := h.Fields["text"].(string) // the full text; Search cuts the snippet
		out = append(out, Result{Slug: slug, Title: title, Snippet: text, Score: h.Score})
	}
	return out, nil
}

// longWords returns the words of q with at least n letters.
func longWords(q string, n int) string {
	var out []string
	for _, w := range strings.Fields(q) {
		if utf8.RuneCountInString(w) >= n {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// snippet returns about 120 characters of text around the first query word
// found in it, or its start.
func snippet(text, q string) string {
	runes := []rune(text)
	at := 0
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if idx := strings.Index(strings.ToLower(text), w); idx >= 0 {
			at = utf8.RuneCountInString(text[:idx])
			break
		}
	}
	start := max(0, at-30)
	end := min(len(runes), start+120)
	s := string(runes[start:end])
	if start > 0 {
		s = "…" + s
	}
	if end < len(runes) {
		s += "…"
	}
	return s
}

// RemoveAll deletes an index directory (for okcare kb reindex --fresh).
func RemoveAll(path string) error { return os.RemoveAll(path) }
