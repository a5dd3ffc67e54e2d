-- A live chat does not go pending at every answer (sqldb/chatturn.go):
-- the agent's answer the customer has not replied to yet is kept here,
-- and the chat waits on the customer from that answer once it has been
-- quiet for a while. The minute's scan for such chats reads this partial
-- index (its condition is the query's own, word for word): one entry for
-- each chat awaiting its customer, written once a turn, instead of the
-- ticket moving in the status and due-time indexes at every message.
ALTER TABLE tickets ADD COLUMN chat_awaiting_since BIGINT;
CREATE INDEX tickets_chat_awaiting ON tickets(chat_awaiting_since) WHERE chat_awaiting_since IS NOT NULL;
