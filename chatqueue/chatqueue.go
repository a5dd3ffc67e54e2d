// Package chatqueue works out where every chat of a queue snapshot
// (okcare.ChatWaitingQueue) stands, as the store's ChatQueue would answer
// for each: one pass over the snapshot, then a map look-up per customer,
// so a node that tells thousands of waiting customers their place reads
// the queue once, not once per customer.
package chatqueue

import (
	"time"

	"github.com/okcare/okcare"
)

// Places is where each chat of one snapshot stands.
type Places struct {
	since  time.Time
	places map[string]okcare.ChatQueue
	online map[string]int // online agents by language
}

// New works out the places of every chat in q. A chat's Ahead counts the
// queued chats before it in its line (same assignee, or both unassigned);
// Answered and pending chats are not counted ahead of anyone, but an
// unanswered pending chat still learns how many wait before it, as
// ChatQueue tells it.
func New(q okcare.ChatWaitingQueue) *Places {
	p := &Places{since: q.Since, places: make(map[string]okcare.ChatQueue, len(q.Chats)), online: map[string]int{}}
	for _, langs := range q.AgentLangs {
		seen := map[string]bool{}
		for _, l := range langs {
			if !seen[l] {
				seen[l] = true
				p.online[l]++
			}
		}
	}
	queued := map[string]int{} // by assignee: queued chats so far
	for _, c := range q.Chats {
		at := okcare.ChatQueue{AgentsOnline: p.online[c.Lang], Answered: c.Answered}
		if !c.Answered {
			at.Ahead = queued[c.AssigneeID]
		}
		if c.Queued {
			queued[c.AssigneeID]++
		}
		p.places[c.ID] = at
	}
	return p
}

// Of returns where chat id (in lang, opened at opened) stands. A chat
// missing from the snapshot was solved or closed when it was read,
// provided it existed by then (the caller knows: it had read the chat
// before the snapshot was read) and was opened after the cut-off; ok is
// false when the snapshot cannot tell (a chat newer than the snapshot, or
// an abandoned one), and the caller asks the store. An ended chat's
// Answered is not told (the status line says it ended either way).
func (p *Places) Of(id, lang string, opened time.Time, existed bool) (q okcare.ChatQueue, ok bool) {
	if q, ok := p.places[id]; ok {
		return q, true
	}
	if existed && opened.After(p.since) {
		return okcare.ChatQueue{AgentsOnline: p.online[lang], Ended: true}, true
	}
	return okcare.ChatQueue{}, false
}

// Len is how many chats the snapshot holds.
func (p *Places) Len() int { return len(p.places) }
