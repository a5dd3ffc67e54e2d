package sqldb

import "sync"

// claims keeps the batches that run at the same time apart. Each writer
// claims the users its batch moves money between (senders, and
// recipients named by id); a movement touching a user that another
// writer's batch claimed waits, held, for a later batch. Without this,
// concurrent batches over a small set of accounts would mostly wait for
// each other's row locks (safely: they lock in one order), one after the
// other; with it, they run side by side on what does not overlap. Claims
// only save waiting: the row locks alone keep the ledger right, also for
// what claims cannot see (a recipient named by email, a merchant).
type claims struct {
	mu     sync.Mutex
	owner  map[string]int // user id -> the writer whose batch claimed it
	held   []*moveJob     // taken from the queue, waiting for a claim to end
	wake   chan struct{}  // closed, and replaced, when claims end
	closed bool
}

func newClaims() *claims {
	return &claims{owner: map[string]int{}, wake: make(chan struct{})}
}

// users are the ids a job claims.
func (j *moveJob) users() []string {
	if isUserID(j.req.ToUser) {
		return []string{j.req.FromUserID, j.req.ToUser}
	}
	return []string{j.req.FromUserID}
}

// take moves into a batch for writer w the held jobs that no other
// writer's batch touches, in order, then those of queued, and holds the
// rest. It returns the batch (maybe empty) and a channel closed when
// claims next end.
func (c *claims) take(w int, queue <-chan *moveJob) ([]*moveJob, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var batch []*moveJob
	free := func(j *moveJob) bool {
		for _, u := range j.users() {
			if o, ok := c.owner[u]; ok && o != w {
				return false
			}
		}
		return true
	}
	add := func(j *moveJob) {
		for _, u := range j.users() {
			c.owner[u] = w
		}
		batch = append(batch, j)
	}
	kept := c.held[:0]
	for _, j := range c.held {
		if len(batch) < maxBatch && free(j) {
			add(j)
		} else {
			kept = append(kept, j)
		}
	}
	clear(c.held[len(kept):])
	c.held = kept
	for len(batch) < maxBatch {
		select {
		case j := <-queue:
			if free(j) {
				add(j)
			} else {
				c.held = append(c.held, j)
			}
			continue
		default:
		}
		break
	}
	return batch, c.wake
}

// hold keeps a job that arrived while its writer had nothing to run.
func (c *claims) hold(j *moveJob) {
	c.mu.Lock()
	c.held = append(c.held, j)
	c.mu.Unlock()
}

// release ends writer w's claims on the batch's users.
func (c *claims) release(w int, batch []*moveJob) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, j := range batch {
		for _, u := range j.users() {
			if c.owner[u] == w {
				delete(c.owner, u)
			}
		}
	}
	close(c.wake)
	c.wake = make(chan struct{})
}

// drain returns the held jobs, for a closing committer to answer.
func (c *claims) drain() []*moveJob {
	c.mu.Lock()
	defer c.mu.Unlock()
	held := c.held
	c.held = nil
	return held
}
