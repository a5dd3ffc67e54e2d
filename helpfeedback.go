package okcare

import (
	"context"
	"time"
)

// ArticleVote is a reader's answer to "Was this helpful?" under an
// article, with the search that led there, if any.
type ArticleVote struct {
	Slug    string `json:"slug"`
	Lang    string `json:"lang"`
	Helpful bool   `json:"helpful"`
	// Query is the help-center search the reader came from ("" if none).
	Query string `json:"query,omitempty"`
	// Voter tells one reader's votes from another's (a hash of their
	// browser's form token); a reader's new vote on an article replaces
	// their last one. Never shown.
	Voter     string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// HelpFeedback is what readers told the help center over a period: how
// each article was voted, which searches led to an unhelpful article, and
// which searches found nothing worth showing.
type HelpFeedback struct {
	Since    time.Time      `json:"since"`
	Articles []ArticleVotes `json:"articles"`
	// UnhelpfulQueries are searches after which the article read was
	// voted unhelpful, most often first.
	UnhelpfulQueries []QueryCount `json:"unhelpful_queries"`
	// ZeroResultQueries are searches that found no good answer, most
	// often first.
	ZeroResultQueries []QueryCount `json:"zero_result_queries"`
}

// ArticleVotes counts the votes on one article in one language.
type ArticleVotes struct {
	Slug      string `json:"slug"`
	Lang      string `json:"lang"`
	Helpful   int    `json:"helpful"`
	Unhelpful int    `json:"unhelpful"`
}

// QueryCount is a search (as typed, spaces and case folded) and how often
// it was made.
type QueryCount struct {
	Query string `json:"query"`
	Lang  string `json:"lang"`
	// Slug is the article voted unhelpful after it (unhelpful queries).
	Slug   string    `json:"slug,omitempty"`
	Count  int       `json:"count"`
	LastAt time.Time `json:"last_at"`
}

// HelpFeedbackService keeps readers' votes on articles and the searches
// that found nothing.
type HelpFeedbackService interface {
	// VoteArticle records a vote on a published article; a voter's new
	// vote on the same article and language replaces theirs. Returns
	// EINVALID, ENOTFOUND.
	VoteArticle(ctx context.Context, v *ArticleVote) error

	// RecordSearchMiss counts a search in lang that found no good answer.
	// Returns EINVALID.
	RecordSearchMiss(ctx context.Context, lang, query string) error

	// HelpFeedback reports votes and searches since a time, at most limit
	// rows in each list.
	HelpFeedback(ctx context.Context, since time.Time, limit int) (*HelpFeedback, error)
}
