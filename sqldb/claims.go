package sqldb

import "sync"

// claims keeps the batches that run at the same time apart. Each writer
// claims the keys its batch touches (for money the users it moves money
// between: senders, and recipients named by id; for chat messages their
// tickets); a job touching a key that another writer's batch claimed
// waits, held, for a later batch. Without this, concurrent batches over a
// small set of rows would mostly wait for each other's row locks (safely:
// they lock in one order), one after the other; with it, they run side by
// side on what does not overlap. Claims only save waiting: the row locks
// alone keep the data right, also for what claims cannot see (a recipient
// named by email, a merchant).
type claims[J any] struct {
	mu sync.Mutex
	// keys are what a job claims; size is what it counts towards limit,
	// the most a batch holds.
	keys   func(J) []string
	size   func(J) int
	limit  int
	owner  map[string]int // key -> the writer whose batch claimed it
	held   []J            // taken from the queue, waiting for a claim to end
	wake   chan struct{}  // closed, and replaced, when claims end
	closed bool
}

func newClaims[J any](keys func(J) []string, size func(J) int, limit int) *claims[J] {
	return &claims[J]{keys: keys, size: size, limit: limit, owner: map[string]int{}, wake: make(chan struct{})}
}

// users are the ids a movement claims.
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
func (c *claims[J]) take(w int, queue <-chan J) ([]J, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var batch []J
	n := 0
	free := func(j J) bool {
		for _, k := range c.keys(j) {
			if o, ok := c.owner[k]; ok && o != w {
				return false
			}
		}
		return true
	}
	add := func(j J) {
		for _, k := range c.keys(j) {
			c.owner[k] = w
		}
		batch, n = append(batch, j), n+c.size(j)
	}
	kept := c.held[:0]
	for _, j := range c.held {
		if n < c.limit && free(j) {
			add(j)
		} else {
			kept = append(kept, j)
		}
	}
	clear(c.held[len(kept):])
	c.held = kept
	for n < c.limit {
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
func (c *claims[J]) hold(j J) {
	c.mu.Lock()
	c.held = append(c.held, j)
	c.mu.Unlock()
}

// release ends writer w's claims on the batch's keys.
func (c *claims[J]) release(w int, batch []J) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, j := range batch {
		for _, k := range c.keys(j) {
			if c.owner[k] == w {
				delete(c.owner, k)
			}
		}
	}
	close(c.wake)
	c.wake = make(chan struct{})
}

// drain returns the held jobs, for a closing committer to answer.
func (c *claims[J]) drain() []J {
	c.mu.Lock()
	defer c.mu.Unlock()
	held := c.held
	c.held = nil
	return held
}
