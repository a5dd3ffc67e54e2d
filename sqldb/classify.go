package sqldb

import (
	"context"
	"strings"
	"sync"
	"time"

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
		p, err := releasePolicyOnce(ctx, tx, platform)
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

// reclassified reads a ticket the model left unknown again with the
// customer's new message, in memory (the batch writes the category it
// reports changed): a first mail that only said "help" gets its cause
// when the customer explains. A category a person gave is never touched.
func reclassified(ctx context.Context, tx *Tx, t *okcare.Ticket, body string) (bool, error) {
	if t.CategorySource != okcare.CategoryByModel || t.Category != diagnose.Unknown {
		return false, nil
	}
	req := okcare.NewTicket{UserID: t.UserID, Lang: t.Lang, Subject: t.Subject, Intake: t.Intake}
	req.Intake.Description = strings.TrimSpace(t.Intake.Description + "\n" + body)
	code, confidence, err := classifyTicket(ctx, tx, &req)
	if err != nil || code == diagnose.Unknown {
		return false, err
	}
	t.Category, t.CategoryConfidence = code, &confidence
	return true, nil
}

// releaseRead is a release policy as a transaction read it: the policy,
// or that there is none (ENOTFOUND).
type releaseRead struct {
	policy *okcare.ReleasePolicy
	err    error
}

// releasePolicyOnce reads a platform's release policy, once per
// transaction where the transaction keeps what it read (tx.releases: a
// chat batch, which classifies many messages and writes no policy), and
// then from the node's copy of what a chat batch read in the last
// releaseCacheTTL (see releaseCache).
func releasePolicyOnce(ctx context.Context, tx *Tx, platform string) (*okcare.ReleasePolicy, error) {
	if tx.releases == nil {
		return releasePolicy(ctx, tx, platform)
	}
	if r, ok := tx.releases[platform]; ok {
		return r.policy, r.err
	}
	if r, ok := tx.db.releases.get(platform); ok {
		tx.releases[platform] = r
		return r.policy, r.err
	}
	gen := tx.db.releases.generation()
	p, err := releasePolicy(ctx, tx, platform)
	if err == nil || okcare.ErrorCode(err) == okcare.ENOTFOUND {
		tx.releases[platform] = releaseRead{p, err}
		tx.db.releases.put(platform, releaseRead{p, err}, gen)
	}
	return p, err
}

// releaseCacheTTL is how long a node's chat batches classify against a
// release policy they read before reading it again.
const releaseCacheTTL = 2 * time.Second

// releaseCache is the release policies chat batches read lately. A chat
// batch is often a message or two, and reading and decoding the policy
// cost it as much as the rest of the message's classification; the
// category a chat message suggests may follow a policy changed on another
// node up to releaseCacheTTL late (on this node SetReleasePolicy forgets
// its copy at once). The launch check and tickets read the policy fresh.
type releaseCache struct {
	mu  sync.Mutex
	m   map[string]cachedRelease
	gen uint64 // counts forgets: a read begun before one is not kept
}

type cachedRelease struct {
	releaseRead
	at time.Time
}

func (c *releaseCache) get(platform string) (releaseRead, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[platform]
	if !ok || time.Since(r.at) >= releaseCacheTTL {
		return releaseRead{}, false
	}
	return r.releaseRead, true
}

// generation is what a read about to begin passes to put.
func (c *releaseCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps r, read after generation gave gen, unless a policy was set
// since.
func (c *releaseCache) put(platform string, r releaseRead, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil {
		c.m = map[string]cachedRelease{}
	}
	c.m[platform] = cachedRelease{r, time.Now()}
}

// forget drops the copy of platform's policy; one read after it began is
// not kept either.
func (c *releaseCache) forget(platform string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, platform)
	c.gen++
}
