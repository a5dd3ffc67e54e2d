-- The node's shared read of the chat queue (ChatWaitingQueue, every 5 s
-- while customers wait) reads the live chats of the last day through
-- this index, not the ticket history; its condition is the query's own,
-- word for word, so both planners use it.
CREATE INDEX tickets_live_chats ON tickets(created_at, id)
	WHERE channel = 'chat' AND status NOT IN ('solved', 'closed');
