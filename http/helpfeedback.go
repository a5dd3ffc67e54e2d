package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/search"
	"github.com/okcare/okcare/token"
)

// helpFeedbackText are the words of "Was this helpful?" and of a search
// that found nothing, merged into uiText.
var helpFeedbackText = map[string]map[string]string{
	"zh-CN": {
		"was_helpful": "这篇文章对您有帮助吗？", "vote_yes": "有帮助", "vote_no": "没有帮助",
		"vote_thanks": "感谢您的反馈！", "vote_sorry": "抱歉没能帮到您。您可以试试打不开诊断，或者联系客服：",
		"no_match": "没有找到能回答这个问题的文章。", "no_match_try": "换个说法再搜一次，或者：",
		"contact_us": "联系客服",
	},
	"en": {
		"was_helpful": "Was this helpful?", "vote_yes": "Yes", "vote_no": "No",
		"vote_thanks": "Thank you for your feedback!", "vote_sorry": "Sorry this did not help. Try the won't-open diagnosis, or contact support:",
		"no_match": "No article answers this well.", "no_match_try": "Try other words, or:",
		"contact_us": "Contact support",
	},
}

// helpFeedbackLabels are the console's words for the help-center report,
// merged into consoleText.
var helpFeedbackLabels = map[string]map[string]string{
	"zh-CN": {
		"hf_title": "帮助中心反馈", "hf_articles": "文章评价", "hf_article": "文章", "hf_helpful": "有帮助", "hf_unhelpful": "没有帮助",
		"hf_unhelpful_queries": "搜索后觉得没有帮助", "hf_zero_queries": "没有找到答案的搜索", "hf_query": "搜索词", "hf_count": "次数", "hf_last": "最近",
	},
	"en": {
		"hf_title": "Help-center feedback", "hf_articles": "Article votes", "hf_article": "Article", "hf_helpful": "Helpful", "hf_unhelpful": "Not helpful",
		"hf_unhelpful_queries": "Searches that led to an unhelpful article", "hf_zero_queries": "Searches with no good answer", "hf_query": "Search", "hf_count": "Times", "hf_last": "Last",
	},
}

func init() {
	for lang, m := range helpFeedbackText {
		for k, v := range m {
			uiText[lang][k] = v
		}
	}
	for lang, m := range helpFeedbackLabels {
		for k, v := range m {
			consoleText[lang][k] = v
		}
	}
}

// searchHelp runs a help-center search and counts it as a miss when
// nothing answers it, for the admins' report. Counting is advisory: a
// failure to count is logged, and a client over its feedback budget is
// not counted, so that nobody can fill the report by script.
func (s *Server) searchHelp(r *http.Request, idx *search.Index, q, lang string, limit int) ([]search.Result, error) {
	res, err := idx.Search(q, lang, limit)
	if err != nil || len(res) > 0 {
		return res, err
	}
	if s.FeedbackLimiter.Allow(s.clientIP(r), s.Now()) {
		if err := s.Store.RecordSearchMiss(r.Context(), lang, q); err != nil {
			s.Logger.Warn("record search miss", "error", err)
		}
	}
	return res, nil
}

// articleQuery is the search that led to an article (the q its result
// link carries), if it is one a search box could have sent.
func articleQuery(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" || utf8.RuneCountInString(q) > search.MaxQuery || !utf8.ValidString(q) {
		return ""
	}
	return q
}

// pageVote records "Was this helpful?" from the form under an article and
// sends the reader back to it, thanked (post, redirect, get: a reload does
// not vote again). A reader is told apart by their form token's hash, so a
// second vote on the same article replaces the first.
func (s *Server) pageVote(w http.ResponseWriter, r *http.Request) {
	lang, ok := s.parsePageForm(w, r)
	if !ok {
		return
	}
	var helpful bool
	switch r.PostFormValue("helpful") {
	case "yes":
		helpful = true
	case "no":
	default:
		s.pageError(w, r, lang, okcare.Errorf(okcare.EINVALID, "helpful must be yes or no."))
		return
	}
	if !s.FeedbackLimiter.Allow(s.clientIP(r), s.Now()) {
		s.pageError(w, r, lang, okcare.Errorf(okcare.ERATELIMITED, "Too many votes; try again later."))
		return
	}
	csrf, _ := r.Cookie("csrf") // present: parsePageForm checked it
	slug := r.PathValue("slug")
	articleLang := lang // the article's own, when it has none in the page's
	if l := r.PostFormValue("article_lang"); l != "" {
		articleLang = l
	}
	v := &okcare.ArticleVote{Slug: slug, Lang: articleLang, Helpful: helpful, Query: r.PostFormValue("q"), Voter: token.Hash(csrf.Value)}
	if err := s.Store.VoteArticle(r.Context(), v); err != nil {
		s.pageError(w, r, lang, err)
		return
	}
	back := url.Values{"lang": {lang}, "voted": {r.PostFormValue("helpful")}}
	if v.Query != "" {
		back.Set("q", v.Query)
	}
	http.Redirect(w, r, "/help/"+url.PathEscape(slug)+"?"+back.Encode()+"#feedback", http.StatusSeeOther)
}

// helpFeedback is the report over the last days days; the console page
// and the API share it.
func (s *Server) helpFeedback(ctx context.Context, days int) (*okcare.HelpFeedback, error) {
	return s.Store.HelpFeedback(ctx, s.Now().AddDate(0, 0, -days), 20)
}

// handleHelpFeedback answers GET /api/v1/admin/kb/feedback?days=N: votes
// per article, searches that led to an unhelpful article, and searches
// that found nothing.
func (s *Server) handleHelpFeedback(w http.ResponseWriter, r *http.Request) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 365 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "days must be 1-365."))
			return
		}
		days = n
	}
	rep, err := s.helpFeedback(r.Context(), days)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// feedbackWindow is how often one client may vote or be counted as a
// search miss before it is ignored.
const feedbackWindow = 10 * time.Minute
