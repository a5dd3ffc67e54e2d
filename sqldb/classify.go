package sqldb

import (
	"context"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
)

// classifyTicket gives a ticket that arrived without a category (mail,
// chat, a callback, a form without a diagnosis) the cause the diagnosis
// model reads in its text, judged against the release policies and the
// customer's account as they stand in tx.
func classifyTicket(ctx context.Context, tx *Tx, req *okcare.NewTicket) (string, float64, error) {
	f := diagnose.Facts{Policies: map[string]*okcare.ReleasePolicy{}, Now: tx.now}
	for _, platform := range []string{okcare.PlatformAndroid, okcare.PlatformIOS} {
		p, err := releasePolicy(ctx, tx, platform)
		if err != nil && okcare.ErrorCode(err) != okcare.ENOTFOUND {
			return "", 0, err
		}
		if p != nil {
			f.Policies[platform] = p
		}
	}
	if req.UserID != "" {
		u, err := findUserByID(ctx, tx, req.UserID)
		if err != nil && okcare.ErrorCode(err) != okcare.ENOTFOUND {
			return "", 0, err
		}
		f.User = u
	}
	in := req.Intake
	code, confidence := diagnose.Classify(diagnose.TicketText{Lang: req.Lang, Subject: req.Subject, Description: in.Description,
		Platform: in.Platform, AppVersion: in.AppVersion, OSVersion: in.OSVersion}, f)
	return code, confidence, nil
}
