// Package search is the help center's search, on bleve. Chinese is
// analysed as Chinese (bleve's cjk analyzer: width folding and character
// bigrams, so 闪退 matches 闪退 and not every text with 退 in it); English
// with stemming (crashes finds crash). Queries get synonyms from both
// languages and fuzzy matching for English typos. The index lives in a
// directory and survives restarts; publishing an article updates it at once.
//
// Words find candidates; what the question asks ranks them (rank.go): the
// platform it names (iPhone, 苹果, 华为) and the concepts it is about
// (concepts.go) against each article's front matter (`platform:`,
// `topics:`). A query is searched in the languages it is written in as
// well as the page's, and an article is shown in the page's language when
// it has one. Results far below the best, or near zero, are not answers.
package search

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk" // registers "cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"  // registers "en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
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
	cat      catalog // what ranking and results need of each article, in memory (under mu)
	// recreated is why Open dropped an unreadable index and made a new,
	// empty one (nil if it did not).
	recreated error
	// KeepCommonTerms searches the body fields with every term, common
	// or not (see terms.go): for measuring what leaving them out costs.
	KeepCommonTerms bool
}

// Result is one search hit.
type Result struct {
	Slug string `json:"slug"`
	// Lang is the language of the title and snippet: the page's, unless
	// the article exists only in the other language.
	Lang    string  `json:"lang"`
	Title   string  `json:"title"`
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
}

// format is the version of what a document holds; an index built by an
// older okcare has older documents and is rebuilt (Stale).
const format = 2

// doc is what is indexed per article and language.
type doc struct {
	Slug     string `json:"slug"`
	Lang     string `json:"lang"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Platform string `json:"platform,omitempty"`
	Topics   string `json:"topics,omitempty"`
	Format   int    `json:"format"`
	TitleZH  string `json:"title_zh,omitempty"`
	BodyZH   string `json:"body_zh,omitempty"`
	TitleEN  string `json:"title_en,omitempty"`
	BodyEN   string `json:"body_en,omitempty"`
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
	d.AddFieldMappingsAt("platform", stored())
	d.AddFieldMappingsAt("topics", stored())
	num := bleve.NewNumericFieldMapping()
	num.Index, num.Store = false, true
	d.AddFieldMappingsAt("format", num)
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
		return &Index{idx: idx, cat: newCatalog()}, err
	}
	idx, err := bleve.Open(path)
	var broken error
	if err != nil && !errors.Is(err, bleve.ErrorIndexPathDoesNotExist) && !transient(err) {
		// The index is derived from the store's published articles: one a
		// crash left unreadable (a kill during its first write leaves a
		// half-written mapping) is dropped and built again, never a reason
		// for the node not to start.
		broken = err
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("search index %s: unreadable (%v) and not removable: %w", path, broken, err)
		}
		idx, err = nil, bleve.ErrorIndexPathDoesNotExist
	}
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		idx, err = bleve.New(path, indexMapping())
	}
	if err != nil {
		return nil, fmt.Errorf("search index %s: %w", path, err)
	}
	i := &Index{idx: idx, cat: newCatalog(), recreated: broken}
	if err := i.loadCatalog(); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search index %s: %w", path, err)
	}
	return i, nil
}

// transient reports whether an error opening the index says nothing about
// its files (out of descriptors, permissions): a reason to fail, not to
// drop a good index.
func transient(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.EACCES, syscall.EPERM, syscall.EAGAIN, syscall.ENOSPC, syscall.EIO} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Recreated is why Open found the index unreadable and started an empty
// one in its place (nil if it did not): the caller fills it from the store.
func (i *Index) Recreated() error { return i.recreated }

// Stale reports whether the index holds documents of an older format
// (built by an older okcare): rebuild it.
func (i *Index) Stale() bool {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.cat.stale
}

// loadCatalog reads every document's stored fields into the catalog.
func (i *Index) loadCatalog() error {
	n, err := i.idx.DocCount()
	if err != nil || n == 0 {
		return err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n), 0, false)
	req.Fields = []string{"slug", "lang", "title", "text", "platform", "topics", "format"}
	res, err := i.idx.Search(req)
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		str := func(k string) string { v, _ := h.Fields[k].(string); return v }
		f, _ := h.Fields["format"].(float64)
		if int(f) != format {
			i.cat.stale = true
		}
		i.cat.put(h.ID, &entry{slug: str("slug"), lang: str("lang"), title: str("title"), text: str("text"), platform: str("platform"), topics: markdown.List(str("topics"))})
	}
	i.cat.recount()
	return nil
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

// toDoc is what the index keeps of an article. The front matter gives
// the platform and topics: values search does not know are dropped.
func toDoc(a *okcare.Article) doc {
	fields, body := markdown.FrontMatter(a.Body)
	text := strings.Join(strings.Fields(markdown.Text(body)), " ")
	d := doc{Slug: a.Slug, Lang: a.Lang, Title: a.Title, Text: text, Format: format, Version: a.Version}
	if p := strings.ToLower(strings.TrimSpace(fields["platform"])); platforms[p] != nil {
		d.Platform = p
	}
	var topics []string
	for _, t := range markdown.List(strings.ToLower(fields["topics"])) {
		if known[t] {
			topics = append(topics, t)
		}
	}
	if _, set := fields["topics"]; !set {
		// An article that does not say what it is about is about what its
		// title says: a new article ranks by meaning before anyone tags it.
		topics = titleTopics(a.Title)
	}
	d.Topics = strings.Join(topics, ",")
	if a.Lang == okcare.LangZH {
		d.TitleZH, d.BodyZH = a.Title, text
	} else {
		d.TitleEN, d.BodyEN = a.Title, text
	}
	return d
}

func (d doc) entry() *entry {
	return &entry{slug: d.Slug, lang: d.Lang, title: d.Title, text: d.Text, platform: d.Platform, topics: markdown.List(d.Topics)}
}

// docID is an article's id in the index.
func docID(slug, lang string) string { return slug + "/" + lang }

// Put indexes (or replaces) the published version of an article.
func (i *Index) Put(a *okcare.Article) error {
	i.writeMu.Lock()
	defer i.writeMu.Unlock()
	i.mu.Lock()
	defer i.mu.Unlock()
	d := toDoc(a)
	if err := i.idx.Index(docID(a.Slug, a.Lang), d); err != nil {
		return err
	}
	if i.versions != nil {
		i.versions[docID(a.Slug, a.Lang)] = a.Version
	}
	i.cat.put(docID(a.Slug, a.Lang), d.entry())
	i.cat.recount()
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
	cat := newCatalog()
	const batchSize = 200
	for start := 0; start < len(articles); start += batchSize {
		b := i.idx.NewBatch()
		for _, a := range articles[start:min(start+batchSize, len(articles))] {
			id := docID(a.Slug, a.Lang)
			keep[id] = true
			d := toDoc(a)
			if err := b.Index(id, d); err != nil {
				return err
			}
			cat.put(id, d.entry())
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
	if err := i.idx.Batch(b); err != nil {
		return err
	}
	cat.recount()
	i.cat = cat
	return nil
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

// Search returns the best answers to q on a page in lang, at most limit;
// none when nothing answers it well.
func (i *Index) Search(q, lang string, limit int) ([]Result, error) {
	q = strings.TrimSpace(q)
	if q == "" || utf8.RuneCountInString(q) > MaxQuery || !utf8.ValidString(q) {
		return nil, okcare.Errorf(okcare.EINVALID, "q must be 1-%d characters.", MaxQuery)
	}
	if !okcare.ValidLang(lang) {
		return nil, okcare.Errorf(okcare.EINVALID, "lang must be zh-CN or en.")
	}
	// Traditional Chinese first (Taiwan words such as 伺服器 are matched in
	// traditional characters), then width, case and this domain's words.
	folded := textnorm.Fold(textnorm.Simplified(q))
	ask := understand(folded)
	words := withoutBrand(folded)
	// The page's language, and the query's: a Chinese query on the English
	// page finds the Chinese articles, an English one on the Chinese page
	// the English ones. Latin words inside a Chinese query ("一直loading")
	// are names the Chinese articles use too (iOS, Wi-Fi) or concepts, and
	// do not cost a second language's search.
	searchZH := lang == okcare.LangZH || ask.han
	searchEN := lang == okcare.LangEN || (ask.latin && !ask.han)
	var should []query.Query
	i.mu.RLock()
	perLang := map[string]int{okcare.LangZH: i.cat.langs[okcare.LangZH], okcare.LangEN: i.cat.langs[okcare.LangEN]}
	i.mu.RUnlock()
	var reader index.IndexReader
	if !i.KeepCommonTerms && max(perLang[okcare.LangZH], perLang[okcare.LangEN]) >= commonFrom {
		if adv, err := i.idx.Advanced(); err == nil {
			if reader, err = adv.Reader(); err == nil {
				defer reader.Close()
			}
		}
	}
	addMatch := func(field, text string, boost float64, fuzzy bool) {
		if strings.TrimSpace(text) == "" {
			return
		}
		if !fuzzy {
			terms := i.terms(field, text)
			if strings.HasPrefix(field, "body_") {
				terms = i.withoutCommon(reader, field, terms, perLang[fieldLang[field]])
			}
			if len(terms) > 0 {
				should = append(should, termClause(field, terms, boost))
			}
			return
		}
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
	if searchEN {
		// Only a word the index does not know can be a typo, and only then
		// is fuzzy matching (which walks the term dictionary) worth its
		// cost. The check is a dictionary lookup, so one search runs.
		latin := latinWords(words)
		fixed, unknown := i.correctTypos(latin)
		if fixed != latin {
			for c := range understand(fixed).concepts {
				ask.concepts[c] = true
			}
		}
		en := expand(fixed, okcare.LangEN)
		addMatch("title_en", unique(en+" "+conceptWords(ask.concepts, okcare.LangEN)), 3, false)
		addMatch("body_en", en, 1, false)
		addMatch("title_en", unknown, 1, true) // typos: "pasword"
		addMatch("body_en", unknown, 0.3, true)
	}
	if searchZH {
		zh := expand(withoutQuestionWords(words), okcare.LangZH)
		addMatch("title_zh", unique(zh+" "+conceptWords(ask.concepts, okcare.LangZH)), 3, false)
		addMatch("body_zh", zh, 1, false)
	}
	// The fields are per language (an English article has no title_zh),
	// so the field choice is the language filter: no conjunction with a
	// lang term, which cost half of each search.
	hits, err := i.run(bleve.NewDisjunctionQuery(should...), max(4*limit, 40))
	if err != nil {
		return nil, err
	}
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.cat.rank(hits, ask, lang, q, limit), nil
}

// brand is the product's name, which every article says: it tells
// articles apart no better than "the".
var brand = regexp.MustCompile(`\bok\s*(wallet|钱包)|ok钱包|okwallet`)

// withoutBrand drops the product's name from a folded query, unless that
// is all it says.
func withoutBrand(folded string) string {
	if rest := strings.TrimSpace(brand.ReplaceAllString(folded, " ")); rest != "" {
		return rest
	}
	return folded
}

// questionWords are how Chinese questions are put, not what they are
// about; their character pairs (怎么, 什么) are in half the articles.
var questionWords = strings.NewReplacer("为什么", " ", "怎么办", " ", "怎么样", " ", "怎么", " ", "什么", " ", "如何", " ", "是不是", " ", "能不能", " ",
	"可不可以", " ", "可以", " ", "我的", " ", "你们", " ", "请问", " ", "哪里", " ", "一下", " ", "吗", " ", "呢", " ", "吧", " ", "啊", " ", "了", " ", "的", " ")

// withoutQuestionWords drops question words from a folded Chinese query,
// unless that is all it says.
func withoutQuestionWords(folded string) string {
	if rest := strings.TrimSpace(questionWords.Replace(folded)); rest != "" {
		return rest
	}
	return folded
}

// unique drops repeated words: each costs another posting-list walk.
func unique(s string) string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.Fields(s) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// latinWords keeps the Latin words of a query: Chinese characters cannot
// match an English article.
func latinWords(folded string) string {
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Han, r) }), " ")
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

// hit is a document the words found, with its score.
type hit struct {
	id    string
	score float64
}

func (i *Index) run(q query.Query, limit int) ([]hit, error) {
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	i.mu.RLock()
	res, err := i.idx.Search(req)
	i.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	out := make([]hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, hit{h.ID, h.Score})
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
	at := 0 // byte offset of the first query word found
	if lower := strings.ToLower(text); len(lower) == len(text) {
		for _, w := range strings.Fields(strings.ToLower(q)) {
			if idx := strings.Index(lower, w); idx >= 0 {
				at = idx
				break
			}
		}
	}
	start := at
	for n := 0; n < 30 && start > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		start -= size
	}
	end := start
	for n := 0; n < 120 && end < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	s := text[start:end]
	if start > 0 {
		s = "…" + s
	}
	if end < len(text) {
		s += "…"
	}
	return s
}

// RemoveAll deletes an index directory (for okcare kb reindex --fresh).
func RemoveAll(path string) error { return os.RemoveAll(path) }
