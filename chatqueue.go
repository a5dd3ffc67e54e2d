package okcare

import (
	"context"
	"time"
)

// ChatQueue is where a live chat stands while its customer waits.
type ChatQueue struct {
	// Ahead counts the chats still waiting for a first answer that were
	// opened before this one in the same line: unassigned, or assigned to
	// the same agent. Zero once the chat is answered.
	Ahead int `json:"ahead"`
	// AgentsOnline counts the online agents who speak the chat's language.
	AgentsOnline int `json:"agents_online"`
	// Answered reports whether an agent has answered in the chat.
	Answered bool `json:"answered"`
	// Ended reports whether the chat is solved or closed.
	Ended bool `json:"ended"`
}

// ChatQueueService tells waiting chat customers the truth about the queue,
// shows agents which chats have unread messages, and records a chat's
// rating when it ends.
type ChatQueueService interface {
	// ChatQueue returns where a chat ticket stands. Returns ENOTFOUND.
	ChatQueue(ctx context.Context, ticketID string) (ChatQueue, error)

	// ChatWaitingQueue returns every live chat of the queue and the
	// online agents' languages at one moment, so that a node can tell
	// all its waiting customers where they stand from one read (see
	// package chatqueue) instead of one ChatQueue each.
	ChatWaitingQueue(ctx context.Context) (ChatWaitingQueue, error)

	// ChatAgentsOnline counts the online agents who speak lang.
	ChatAgentsOnline(ctx context.Context, lang string) (int, error)

	// ChatUnread maps each chat that is neither solved nor closed, and has
	// customer messages after the last public agent message, to how many.
	ChatUnread(ctx context.Context) (map[string]int, error)

	// RateChat records the customer's 1-5 rating and comment of an ended
	// chat, once. Returns EINVALID, ENOTFOUND, ECONFLICT (not ended, or
	// already rated).
	RateChat(ctx context.Context, ticketID string, rating int, comment string) error
}

// ChatWaitingQueue is the chat queue at one moment: what ChatQueue would
// answer for each of its chats follows from it alone.
type ChatWaitingQueue struct {
	// Chats are the chats neither solved nor closed opened after Since,
	// ordered by opening time, then id, as ChatQueue orders them.
	Chats []WaitingChat
	// Since is the abandoned-chat cut-off: chats opened at or before it
	// wait for nobody and are left out.
	Since time.Time
	// AgentLangs lists each online agent's languages.
	AgentLangs [][]string
}

// WaitingChat is one chat of a ChatWaitingQueue.
type WaitingChat struct {
	ID   string
	Lang string
	// AssigneeID is the agent whose line the chat waits in; empty for
	// the unassigned line.
	AssigneeID string
	// Queued reports whether the chat counts ahead of later ones in its
	// line: new or open, and not yet answered.
	Queued bool
	// Answered reports whether an agent has answered in the chat.
	Answered bool
}
