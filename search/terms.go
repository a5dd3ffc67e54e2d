package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/okcare/okcare"
)

// A search costs a walk of every posting list its terms have, so a term
// that most articles of a language contain ("客服", "问题", a brand's
// bigram) costs the most and tells the least: its idf is near the floor.
// In the body fields such a term is left out when the query has rarer
// terms to go on. Titles keep every term: their lists are short and a
// title's words are what an article is about.
const (
	// commonShare is the share of a language's articles above which a
	// body term is common.
	commonShare = 0.25
	// commonFrom is the help-center size from which common terms are
	// left out: in a small one every list is short anyway.
	commonFrom = 1000
)

// fieldLang is the language of each word field.
var fieldLang = map[string]string{"title_zh": okcare.LangZH, "body_zh": okcare.LangZH, "title_en": okcare.LangEN, "body_en": okcare.LangEN}

// terms analyses text as field is analysed and returns the field's terms,
// each once (a term repeated by a synonym or concept word is walked once).
func (i *Index) terms(field, text string) []string {
	analyzer := i.idx.Mapping().AnalyzerNamed(i.idx.Mapping().AnalyzerNameForPath(field))
	if analyzer == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, tok := range analyzer.Analyze([]byte(text)) {
		if t := string(tok.Term); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// withoutCommon drops the terms more than commonShare of the field's
// language's articles contain, unless none would be left.
func (i *Index) withoutCommon(r index.IndexReader, field string, terms []string, articles int) []string {
	if r == nil || articles < commonFrom || len(terms) < 2 {
		return terms
	}
	limit := uint64(commonShare * float64(articles))
	var kept []string
	for _, t := range terms {
		tfr, err := r.TermFieldReader(context.Background(), []byte(t), field, false, false, false)
		if err != nil {
			return terms
		}
		n := tfr.Count()
		tfr.Close()
		if n <= limit {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return terms
	}
	return kept
}

// termClause is a match of any of terms in field, scored as a match query
// of those terms is.
func termClause(field string, terms []string, boost float64) query.Query {
	tqs := make([]query.Query, len(terms))
	for k, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(field)
		tq.SetBoost(boost)
		tqs[k] = tq
	}
	d := bleve.NewDisjunctionQuery(tqs...)
	d.SetMin(1)
	d.SetBoost(boost)
	return d
}
