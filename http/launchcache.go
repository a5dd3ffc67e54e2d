package http

import (
	"context"
	"sync"
	"time"

	"github.com/okcare/okcare"
)

// launchCacheTTL bounds how stale the release policy and incident list in a
// bootstrap answer can be on a node that did not make the change; the node
// that makes a change drops its copy at once.
const launchCacheTTL = time.Second

// launchCache keeps what every bootstrap needs and few requests change: the
// release policy per platform and the active incidents. Without it each app
// launch would cost several queries.
type launchCache struct {
	mu        sync.Mutex
	policies  map[string]cachedPolicy
	incidents []*okcare.Incident
	incAt     time.Time
}

type cachedPolicy struct {
	p  *okcare.ReleasePolicy // nil: none configured
	at time.Time
}

func (c *launchCache) policy(ctx context.Context, s Store, platform string, now time.Time) (*okcare.ReleasePolicy, error) {
	c.mu.Lock()
	if e, ok := c.policies[platform]; ok && now.Sub(e.at) < launchCacheTTL {
		c.mu.Unlock()
		return e.p, nil
	}
	c.mu.Unlock()
	p, err := s.ReleasePolicy(ctx, platform)
	if okcare.ErrorCode(err) == okcare.ENOTFOUND {
		p, err = nil, nil
	} else if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.policies == nil {
		c.policies = map[string]cachedPolicy{}
	}
	c.policies[platform] = cachedPolicy{p, now}
	return p, nil
}

func (c *launchCache) activeIncidents(ctx context.Context, s Store, now time.Time) ([]*okcare.Incident, error) {
	c.mu.Lock()
	if c.incidents != nil && now.Sub(c.incAt) < launchCacheTTL {
		defer c.mu.Unlock()
		return c.incidents, nil
	}
	c.mu.Unlock()
	list, err := s.Incidents(ctx, true)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.incidents, c.incAt = nonNil(list), now
	return c.incidents, nil
}

// invalidate drops everything; admin writes call it.
func (c *launchCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policies, c.incidents = nil, nil
}
