package sqldb

import "github.com/okcare/okcare"

// SetChatFault makes every chat message for which fail returns an error
// fail with it after its writes, as a database error there would.
func SetChatFault(db *DB, fail func(*okcare.TicketMessage) error) { db.chatFault = fail }
