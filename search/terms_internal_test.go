package search

import (
	"fmt"
	"slices"
	"testing"

	"github.com/okcare/okcare"
)

// TestWithoutCommon: in a large help center a body term most articles of
// the language contain is left out when rarer terms remain, kept when it
// is all the query has, and repeated terms are walked once.
func TestWithoutCommon(t *testing.T) {
	idx, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var arts []*okcare.Article
	for k := 0; k < commonFrom; k++ {
		body := "联系客服处理"
		if k%100 == 0 {
			body += "，人脸识别"
		}
		arts = append(arts, &okcare.Article{Slug: fmt.Sprintf("a-%d", k), Lang: okcare.LangZH, Title: "说明", Body: body, Version: 1})
	}
	if err := idx.Rebuild(arts, nil); err != nil {
		t.Fatal(err)
	}
	adv, _ := idx.idx.Advanced()
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	terms := idx.terms("body_zh", "客服 人脸识别 客服")
	if want := []string{"客服", "人脸", "脸识", "识别"}; !slices.Equal(terms, want) {
		t.Fatalf("terms = %v, want %v", terms, want)
	}
	if got, want := idx.withoutCommon(r, "body_zh", terms, commonFrom), []string{"人脸", "脸识", "识别"}; !slices.Equal(got, want) {
		t.Errorf("withoutCommon = %v, want %v", got, want)
	}
	if got := idx.withoutCommon(r, "body_zh", []string{"客服", "处理"}, commonFrom); !slices.Equal(got, []string{"客服", "处理"}) {
		t.Errorf("all common: got %v, want both kept", got)
	}
	if got := idx.withoutCommon(r, "body_zh", terms, commonFrom-1); !slices.Equal(got, terms) {
		t.Errorf("small help center: got %v, want every term", got)
	}
	res, err := idx.Search("客服人脸识别", okcare.LangZH, 10)
	if err != nil || len(res) == 0 || res[0].Slug != "a-0" {
		t.Fatalf("Search = %v, %v; want a-0 (one of the articles with the rare words) first", res, err)
	}
}
