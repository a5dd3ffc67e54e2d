package main

import (
	"strings"
	"testing"

	"github.com/okcare/okcare/kb"
	"github.com/okcare/okcare/markdown"
)

// TestCorpus checks that the generated help center is what the search
// benchmark claims: pairs in both languages, distinct slugs, front matter
// the help center reads, and valid articles.
func TestCorpus(t *testing.T) {
	shipped, err := kb.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	arts := corpus(shipped, 200, 1)
	if len(arts) != 400 {
		t.Fatalf("got %d articles, want 400", len(arts))
	}
	seen := map[string]bool{}
	langs := map[string]int{}
	withTopics := 0
	for _, a := range arts {
		id := a.Slug + "/" + a.Lang
		if seen[id] {
			t.Fatalf("duplicate %s", id)
		}
		seen[id] = true
		langs[a.Lang]++
		if a.Title == "" || strings.TrimSpace(a.Body) == "" {
			t.Fatalf("%s: empty title or body", id)
		}
		if f, _ := markdown.FrontMatter(a.Body); f["topics"] != "" {
			withTopics++
		}
	}
	if langs["zh-CN"] != 200 || langs["en"] != 200 {
		t.Fatalf("languages %v", langs)
	}
	if withTopics < 100 || withTopics > 380 {
		t.Fatalf("%d of 400 with topics: want most, not all", withTopics)
	}
	t.Logf("%s\n%s\n---\n%s\n%s", arts[0].Title, arts[0].Body, arts[1].Title, arts[1].Body)
}
