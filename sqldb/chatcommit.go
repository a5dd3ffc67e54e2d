package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/okcare/okcare"
)

// maxChatBatch bounds how many chat messages share one commit.
const maxChatBatch = 256

// chatCommitter is groupCommitter's counterpart for chat messages: every
// socket's messages queue to a few writers, each of which stores whatever
// is waiting in one transaction, decided then written as a lone message
// is (see messagebatch.go), and commits once. Nobody is answered before
// the commit is durable. Like the ledger's, it never waits to fill a
// batch: an idle chat commits a lone message at once. Its writers keep
// their batches apart by the tickets they claim (see claims).
type chatCommitter struct {
	db     *DB
	queue  chan *chatJob
	stop   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
	claims *claims[*chatJob]
	// gate keeps submissions and close apart: once closed is set no job
	// enters the queue, so close can answer every job still in it.
	gate   sync.RWMutex
	closed bool
}

// chatJob is one caller's messages, kept together and in order in a
// batch: a socket's backlog is stored as it was sent.
type chatJob struct {
	ctx  context.Context
	ms   []*okcare.TicketMessage
	errs []error // refused before the batch (checks), then each result
	err  error   // the batch failed: nothing of the job was stored
	done chan struct{}
}

// tickets are the ids a job claims.
func (j *chatJob) tickets() []string {
	ids := make([]string, len(j.ms))
	for i, m := range j.ms {
		ids[i] = m.TicketID
	}
	return ids
}

// EnableChatCommit starts the batching writers for AddChatMessages
// (writers of them, at least one). Close stops them.
func (db *DB) EnableChatCommit(writers int) {
	if db.chat != nil {
		return
	}
	c := &chatCommitter{db: db, queue: make(chan *chatJob, 4*maxChatBatch), stop: make(chan struct{}),
		claims: newClaims((*chatJob).tickets, func(j *chatJob) int { return len(j.ms) }, maxChatBatch)}
	for w := 0; w < max(writers, 1); w++ {
		c.wg.Add(1)
		go c.run(w)
	}
	db.chat = c
}

// SetChatCommitWriters replaces the chat committer with one of writers
// writers (none: each call a transaction of its own), after the batches
// in progress (benchmarks compare them).
func (db *DB) SetChatCommitWriters(writers int) {
	if db.chat != nil {
		db.chat.close()
		db.chat = nil
	}
	if writers > 0 {
		db.EnableChatCommit(writers)
	}
}

// ChatCommitStats returns how many chat batches (transactions of
// AddChatMessages) have run, how many messages they held, and how many
// ran again with a savepoint per message after a failure.
func (db *DB) ChatCommitStats() (batches, messages, reruns int64) {
	s := &db.chatStats
	return s.batches.Load(), s.messages.Load(), s.reruns.Load()
}

// AddChatMessages stores messages, each as a lone AddTicketMessage or
// ReplyAsAgentOnce would, in as few durable commits as the load allows;
// see okcare.ChatService.
func (db *DB) AddChatMessages(ctx context.Context, ms []*okcare.TicketMessage) ([]error, error) {
	job := &chatJob{ctx: ctx, ms: ms, errs: make([]error, len(ms)), done: make(chan struct{})}
	for i, m := range ms {
		job.errs[i] = checkChatMessage(m)
	}
	if db.chat != nil {
		if err := db.chat.submit(job); err != nil {
			return nil, err
		}
	} else {
		db.chatBatch(ctx, nil, []*chatJob{job})
	}
	if job.err != nil {
		return nil, job.err
	}
	return job.errs, nil
}

// checkChatMessage is what refuses a chat message before any transaction.
func checkChatMessage(m *okcare.TicketMessage) error {
	if len(m.Attachments) > 0 {
		return okcare.Errorf(okcare.EINVALID, "Chat messages carry no attachments.")
	}
	if agentID, ok := strings.CutPrefix(m.Author, "agent:"); ok {
		if agentID == "" {
			return okcare.Errorf(okcare.EINVALID, "No such agent.")
		}
		return checkReply(m.Body, m.ClientID)
	}
	return checkNewMessage(m)
}

func (c *chatCommitter) submit(job *chatJob) error {
	c.gate.RLock()
	if c.closed {
		c.gate.RUnlock()
		return errStoreClosed
	}
	select {
	case c.queue <- job: // the writers run until close holds the gate
	case <-job.ctx.Done():
		c.gate.RUnlock()
		return job.ctx.Err()
	}
	c.gate.RUnlock()
	// Once queued, the job is answered after its batch commits or fails,
	// even if its context ends meanwhile: a message is never reported
	// lost that was stored.
	<-job.done
	return nil
}

func (c *chatCommitter) run(w int) {
	defer c.wg.Done()
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		batch, wake := c.claims.take(w, c.queue)
		if len(batch) == 0 {
			// Nothing runnable: wait for a message, or for another
			// batch to end its claims on held ones.
			select {
			case j := <-c.queue:
				c.claims.hold(j)
			case <-wake:
			case <-c.stop:
				return
			}
			continue
		}
		if conn == nil {
			var err error
			if conn, err = c.db.dedicatedConn(context.Background()); err != nil {
				c.claims.release(w, batch)
				c.answer(batch, err)
				continue
			}
		}
		if err := c.db.chatBatch(context.Background(), conn, batch); errors.Is(err, driver.ErrBadConn) {
			conn.Close()
			conn = nil
		}
		// Claims end before the answers, so that a message answered and
		// resent at once finds its ticket free.
		c.claims.release(w, batch)
		for _, j := range batch {
			close(j.done)
		}
	}
}

// answer fails jobs with err: nothing of them was stored.
func (c *chatCommitter) answer(jobs []*chatJob, err error) {
	for _, j := range jobs {
		j.err = err
		close(j.done)
	}
}

// close stops the writers after the batches in progress and answers the
// jobs still waiting (nothing was stored for them); closing twice is
// harmless.
func (c *chatCommitter) close() {
	c.gate.Lock()
	c.closed = true
	c.gate.Unlock()
	c.once.Do(func() { close(c.stop) })
	c.wg.Wait()
	waiting := c.claims.drain()
	for {
		select {
		case j := <-c.queue:
			waiting = append(waiting, j)
			continue
		default:
		}
		break
	}
	c.answer(waiting, errStoreClosed)
}

// chatBatch stores the jobs' messages in one transaction (on conn, else
// the pool) and leaves each job's results in it. It decides and writes
// the whole batch at once (see storeMessages). If that fails other than
// as a deadlock victim (a message PostgreSQL refuses to store, a refusal
// known only after writing), the batch runs again with a savepoint per
// message, where such a failure undoes that message alone. A deadlock
// victim runs again as it was.
func (db *DB) chatBatch(ctx context.Context, conn *sql.Conn, jobs []*chatJob) error {
	db.chatStats.batches.Add(1)
	for _, j := range jobs {
		db.chatStats.messages.Add(int64(len(j.ms)))
	}
	var ins [][]*messageIn
	savepoints := false
	run := func(tx *Tx) (err error) {
		ins, err = chatBatchTx(ctx, tx, jobs, savepoints)
		return err
	}
	var err error
	for attempt := 0; attempt < moveAttempts; attempt++ {
		if conn != nil {
			err = db.inConnTx(ctx, conn, run)
		} else {
			err = db.inTx(ctx, run)
		}
		if errors.Is(err, errMessageFailed) && !savepoints {
			db.chatStats.reruns.Add(1)
			savepoints, attempt = true, attempt-1
			continue
		}
		if !db.retryable(err) {
			break
		}
	}
	for i, j := range jobs {
		if err != nil {
			j.err = err // nothing of the batch was stored
			continue
		}
		for k, in := range ins[i] {
			if j.errs[k] = in.err; in.err == nil {
				*j.ms[k] = *in.m
			}
		}
	}
	return err
}

// errMessageFailed is how chatBatchTx without savepoints gives up on a
// run because a message failed in a way that may have written part of
// the batch.
var errMessageFailed = errors.New("a chat message failed inside its batch")

// refusal reports whether err is a refusal of a message (an answer to
// it, returned before anything is written) rather than a database
// failure.
func refusal(err error) bool {
	var e *okcare.Error
	return errors.As(err, &e) && e.Code != okcare.EINTERNAL
}

// chatBatchTx stores the messages of the jobs in order, on copies (so
// that a batch run again starts from what was sent), and returns them,
// each with its refusal. Without savepoints the batch is decided and
// written as one (storeMessages), and any failure ends the run with
// errMessageFailed (or as it was, for a deadlock victim); with savepoints
// each message is a batch of its own in its own savepoint, and any
// failure of one is undone alone. Where rows are locked (PostgreSQL) it
// then first locks every ticket of the batch in id order, so that
// batches cannot deadlock on each other.
func chatBatchTx(ctx context.Context, tx *Tx, jobs []*chatJob, savepoints bool) ([][]*messageIn, error) {
	tx.releases = map[string]releaseRead{} // every message classified against one read
	defer func() { tx.releases = nil }()
	ins := make([][]*messageIn, len(jobs))
	var all []*messageIn
	for i, j := range jobs {
		ins[i] = make([]*messageIn, len(j.ms))
		for k, m := range j.ms {
			in := chatMessageIn(m)
			if in.err = j.errs[k]; in.err == nil {
				in.err = j.ctx.Err() // given up before it ran: nothing done
			}
			ins[i][k] = in
			all = append(all, in)
		}
	}
	if !savepoints {
		err := storeMessages(ctx, tx, all)
		if err == nil {
			err = chatFault(tx, all)
		}
		if err != nil && !tx.db.retryable(err) {
			return nil, fmt.Errorf("%w: %w", errMessageFailed, err)
		}
		return ins, err
	}
	if tx.db.dialect.ForUpdate != "" {
		if err := lockTickets(ctx, tx, jobs); err != nil {
			return nil, err
		}
	}
	for _, in := range all {
		if in.err != nil {
			continue
		}
		if _, err := tx.exec(ctx, `SAVEPOINT chat_message`); err != nil {
			return nil, err
		}
		err := storeMessages(ctx, tx, []*messageIn{in})
		if err == nil {
			err = chatFault(tx, []*messageIn{in})
		}
		if err != nil {
			if tx.db.retryable(err) {
				return nil, err // a deadlock victim: the whole batch again
			}
			if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT chat_message`); err != nil {
				return nil, err
			}
			in.err = err
		}
		if _, err := tx.exec(ctx, `RELEASE SAVEPOINT chat_message`); err != nil {
			return nil, err
		}
	}
	return ins, nil
}

// chatMessageIn is a copy of m to store as its lone method would: a
// staff reply as ReplyAsAgentOnce, anything else as AddTicketMessage.
func chatMessageIn(m *okcare.TicketMessage) *messageIn {
	if agentID, ok := strings.CutPrefix(m.Author, "agent:"); ok {
		return &messageIn{m: newReply(m.TicketID, agentID, m.ClientID, m.Body, m.Public), reply: true}
	}
	c := *m
	return &messageIn{m: &c}
}

// chatFault runs a test's failure after the writes (SetChatFault).
func chatFault(tx *Tx, ins []*messageIn) error {
	if tx.db.chatFault == nil {
		return nil
	}
	for _, in := range ins {
		if in.err == nil && !in.m.Replayed {
			if err := tx.db.chatFault(in.m); err != nil {
				return err
			}
		}
	}
	return nil
}

// lockTickets locks the rows of every ticket the jobs write to, in id
// order.
func lockTickets(ctx context.Context, tx *Tx, jobs []*chatJob) error {
	var ids []string
	for _, j := range jobs {
		for k, m := range j.ms {
			if j.errs[k] == nil {
				ids = append(ids, m.TicketID)
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) < 2 {
		return nil // the message's own lock is the batch's only one
	}
	// The list is padded to a power of two (repeating the last id), so
	// that few statement texts are ever prepared.
	args := make([]any, 1<<bits.Len(uint(len(ids)-1)))
	for i := range args {
		args[i] = ids[min(i, len(ids)-1)]
	}
	rows, err := tx.query(ctx, `SELECT id FROM tickets WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`) ORDER BY id`+tx.db.dialect.ForUpdate, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}
