package sqldb

import (
	"context"

	"github.com/okcare/okcare"
)

// enqueueStateAlert tells the user about a change of their account's
// state; a freeze they asked for themselves is told as such.
func enqueueStateAlert(ctx context.Context, tx *Tx, u *okcare.User, event, reason string) error {
	if event == okcare.EventAccountFrozen && reason == okcare.ReasonCustomerRequest {
		return enqueueAlert(ctx, tx, u, event, "alert_account_frozen_self", nil)
	}
	return enqueueSecurityAlert(ctx, tx, u, event)
}
