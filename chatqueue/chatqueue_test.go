package chatqueue_test

import (
	"testing"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/chatqueue"
)

func TestPlaces(t *testing.T) {
	since := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	after, before := since.Add(time.Hour), since.Add(-time.Hour)
	snap := okcare.ChatWaitingQueue{
		Since: since,
		Chats: []okcare.WaitingChat{
			{ID: "a", Lang: "zh-CN", Queued: true},
			{ID: "b", Lang: "en", Queued: true},
			{ID: "c", Lang: "zh-CN", Answered: true}, // answered: counted ahead of nobody
			{ID: "d", Lang: "zh-CN", AssigneeID: "ag1", Queued: true},
			{ID: "e", Lang: "zh-CN"}, // pending, unanswered: not counted, but told its place
			{ID: "f", Lang: "en", Queued: true},
			{ID: "g", Lang: "zh-CN", AssigneeID: "ag1", Queued: true},
			{ID: "h", Lang: "zh-CN", AssigneeID: "ag2", Queued: true},
		},
		// The second agent's languages repeat: an agent counts once.
		AgentLangs: [][]string{{"zh-CN", "en"}, {"zh-CN", "zh-CN"}, {"en"}},
	}
	p := chatqueue.New(snap)
	for _, tc := range []struct {
		name, id, lang string
		opened         time.Time
		existed        bool
		want           okcare.ChatQueue
		ok             bool
	}{
		{"first in line", "a", "zh-CN", after, true, okcare.ChatQueue{Ahead: 0, AgentsOnline: 2}, true},
		{"second, other language", "b", "en", after, true, okcare.ChatQueue{Ahead: 1, AgentsOnline: 2}, true},
		{"answered", "c", "zh-CN", after, true, okcare.ChatQueue{AgentsOnline: 2, Answered: true}, true},
		{"first in an agent's line", "d", "zh-CN", after, true, okcare.ChatQueue{Ahead: 0, AgentsOnline: 2}, true},
		{"pending behind two", "e", "zh-CN", after, true, okcare.ChatQueue{Ahead: 2, AgentsOnline: 2}, true},
		{"behind two, not the answered or pending", "f", "en", after, true, okcare.ChatQueue{Ahead: 2, AgentsOnline: 2}, true},
		{"second in an agent's line", "g", "zh-CN", after, true, okcare.ChatQueue{Ahead: 1, AgentsOnline: 2}, true},
		{"alone in another agent's line", "h", "zh-CN", after, true, okcare.ChatQueue{Ahead: 0, AgentsOnline: 2}, true},
		{"missing, existed: ended", "x", "en", after, true, okcare.ChatQueue{AgentsOnline: 2, Ended: true}, true},
		{"missing, newer than the snapshot", "x", "en", after, false, okcare.ChatQueue{}, false},
		{"missing, abandoned", "x", "en", before, true, okcare.ChatQueue{}, false},
		{"missing, opened at the cut-off", "x", "en", since, true, okcare.ChatQueue{}, false},
		{"even a missing chat's language may have nobody", "x", "fr", after, true, okcare.ChatQueue{Ended: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := p.Of(tc.id, tc.lang, tc.opened, tc.existed)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Of(%s) = %+v, %v; want %+v, %v", tc.id, got, ok, tc.want, tc.ok)
			}
		})
	}
	if p.Len() != 8 {
		t.Fatalf("Len %d", p.Len())
	}
}

func TestEmpty(t *testing.T) {
	p := chatqueue.New(okcare.ChatWaitingQueue{})
	if q, ok := p.Of("a", "en", time.Now(), true); !ok || q != (okcare.ChatQueue{Ended: true}) {
		t.Fatalf("%+v %v", q, ok)
	}
}
