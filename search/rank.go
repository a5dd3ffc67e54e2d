package search

import (
	"math"
	"sort"
)

// entry is what ranking and results need of one article in one language.
type entry struct {
	slug, lang, title, text string
	platform                string
	topics                  []string // the first is the article's main subject
}

// catalog holds every indexed article in memory, with how many articles
// (slugs) are about each concept.
type catalog struct {
	docs  map[string]*entry // by slug/lang
	slugs map[string]*entry // by slug: one language's entry, for its metadata
	df    map[string]int    // concept -> articles about it
	n     int               // articles (slugs)
	// main lists, per concept, the articles whose main subject it is:
	// candidates even when the words find nothing.
	main  map[string][]string
	langs map[string]int // articles per language
	stale bool
}

func newCatalog() catalog {
	return catalog{docs: map[string]*entry{}, slugs: map[string]*entry{}, df: map[string]int{}, main: map[string][]string{}}
}

func (c *catalog) put(id string, e *entry) { c.docs[id] = e }

// recount recomputes the per-article figures after a change.
func (c *catalog) recount() {
	c.slugs, c.df, c.main, c.langs = map[string]*entry{}, map[string]int{}, map[string][]string{}, map[string]int{}
	for _, e := range c.docs {
		c.langs[e.lang]++
		if prev, ok := c.slugs[e.slug]; !ok || (e.lang < prev.lang) {
			c.slugs[e.slug] = e // the same in both languages; pick one stably
		}
	}
	for slug, e := range c.slugs {
		for k, t := range e.topics {
			c.df[t]++
			if k == 0 {
				c.main[t] = append(c.main[t], slug)
			}
		}
	}
	for _, list := range c.main {
		sort.Strings(list)
	}
	c.n = len(c.slugs)
}

// known are the concept names articles may list as topics.
var known = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range lexicon {
		m[c.id] = true
	}
	return m
}()

// Ranking weights, chosen on the tune part of the independent set.
const (
	// wordsWeight and conceptWeight mix the word score (relative to the
	// best) with how much of the question's concepts an article is about.
	wordsWeight   = 0.5
	conceptWeight = 1.0
	// secondaryTopic is what a topic after the first counts for.
	secondaryTopic = 0.5
	// samePlatform rewards an article for the platform the question names
	// (an article for the other platform is no answer to it at all).
	samePlatform = 0.3
	// relativeFloor drops results scoring under this share of the best;
	// wordFloor drops results whose words score under it and that are
	// about none of the question's concepts: near-zero matches (one
	// shared character pair) are not answers.
	relativeFloor = 0.3
	wordFloor     = 0.1
	// floorArticles is how many articles the word floor needs: word scores
	// (tf-idf, scaled by how many of the query's clauses matched) are
	// comparable across queries only over a corpus of some size; a help
	// center of a handful of articles gets the relative floor alone.
	floorArticles = 20
	// mainCandidates bounds the articles a concept adds as candidates.
	mainCandidates = 8
)

// candidate is one article being ranked.
type candidate struct {
	slug         string
	words, score float64
	concept      float64
}

// idf weighs a concept by how few articles are about it: "contact
// support" is the subject of many pages, "describe your problem" of one.
func (c *catalog) idf(concept string) float64 {
	return math.Log(1 + float64(c.n)/float64(c.df[concept]))
}

// coverage is the share of the question's concepts (by weight) that an
// article is about: its main subject counts whole, other topics less.
func (c *catalog) coverage(e *entry, ask question, total float64) float64 {
	if total == 0 || e == nil {
		return 0
	}
	sum := 0.0
	for k, t := range e.topics {
		if ask.concepts[t] {
			w := c.idf(t)
			if k > 0 {
				w *= secondaryTopic
			}
			sum += w
		}
	}
	return sum / total
}

// rank turns the word hits into answers for a page in lang.
func (c *catalog) rank(hits []hit, ask question, lang, q string, limit int) []Result {
	bySlug := map[string]*candidate{}
	var order []*candidate
	add := func(slug string, words float64) {
		if cd, ok := bySlug[slug]; ok {
			cd.words = max(cd.words, words)
			return
		}
		cd := &candidate{slug: slug, words: words}
		bySlug[slug] = cd
		order = append(order, cd)
	}
	for _, h := range hits {
		if e := c.docs[h.id]; e != nil {
			add(e.slug, h.score)
		}
	}
	total := 0.0
	for concept := range ask.concepts {
		if c.df[concept] > 0 {
			total += c.idf(concept)
			for _, slug := range c.main[concept][:min(len(c.main[concept]), mainCandidates)] {
				add(slug, 0)
			}
		}
	}
	best := 0.0
	for _, cd := range order {
		best = max(best, cd.words)
	}
	for _, cd := range order {
		e := c.slugs[cd.slug]
		if best > 0 {
			cd.score = wordsWeight * cd.words / best
		}
		cd.concept = c.coverage(e, ask, total)
		cd.score += conceptWeight * cd.concept
		if ask.platform != "" && e != nil && e.platform != "" {
			if e.platform == ask.platform {
				cd.score += samePlatform
			} else {
				cd.score = 0
			}
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		if order[a].score != order[b].score {
			return order[a].score > order[b].score
		}
		return order[a].slug < order[b].slug
	})
	out := make([]Result, 0, limit)
	for _, cd := range order {
		if len(out) == limit || cd.score <= 0 || cd.score < relativeFloor*order[0].score {
			break
		}
		if cd.concept == 0 && cd.words < wordFloor && c.n >= floorArticles {
			continue
		}
		e := c.docs[cd.slug+"/"+lang]
		if e == nil {
			e = c.slugs[cd.slug]
		}
		out = append(out, Result{Slug: cd.slug, Lang: e.lang, Title: e.title, Snippet: snippet(e.text, q), Score: math.Round(cd.score*1000) / 1000})
	}
	return out
}
