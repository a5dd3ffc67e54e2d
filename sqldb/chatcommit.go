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
// socket's messages queue to one writer, which stores whatever is waiting
// in one transaction (each message in its own savepoint, by the same
// code a lone message runs) and commits once. Nobody is answered before
// the commit is durable. Like the ledger's, it never waits to fill a
// batch: an idle chat commits a lone message at once.
type chatCommitter struct {
	db    *DB
	queue chan *chatJob
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
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

// EnableChatCommit starts the batching writer for AddChatMessages. Close
// stops it.
func (db *DB) EnableChatCommit() {
	if db.chat != nil {
		return
	}
	c := &chatCommitter{db: db, queue: make(chan *chatJob, 4*maxChatBatch), stop: make(chan struct{})}
	c.wg.Add(1)
	go c.run()
	db.chat = c
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

func (c *chatCommitter) run() {
	defer c.wg.Done()
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		var first *chatJob
		select {
		case first = <-c.queue:
		case <-c.stop:
			return
		}
		batch, n := []*chatJob{first}, len(first.ms)
	fill:
		for n < maxChatBatch {
			select {
			case j := <-c.queue:
				batch, n = append(batch, j), n+len(j.ms)
			default:
				break fill
			}
		}
		if conn == nil {
			var err error
			if conn, err = c.db.dedicatedConn(context.Background()); err != nil {
				for _, j := range batch {
					j.err = err
					close(j.done)
				}
				continue
			}
		}
		if err := c.db.chatBatch(context.Background(), conn, batch); errors.Is(err, driver.ErrBadConn) {
			conn.Close()
			conn = nil
		}
	}
}

// close stops the writer after the batch in progress and answers the jobs
// still queued (nothing was stored for them); closing twice is harmless.
func (c *chatCommitter) close() {
	c.gate.Lock()
	c.closed = true
	c.gate.Unlock()
	c.once.Do(func() { close(c.stop) })
	c.wg.Wait()
	for {
		select {
		case j := <-c.queue:
			j.err = errStoreClosed
			close(j.done)
			continue
		default:
		}
		return
	}
}

// chatBatch stores the jobs' messages in one transaction (on conn, else
// the pool) and answers every job. It runs the batch first without a
// savepoint per message, which costs PostgreSQL two round trips each:
// the lone paths refuse a message (closed ticket, someone else's id)
// before writing anything, so a refusal needs no undoing. A message that
// fails after writing (a database error) fails that run; the batch then
// runs again with a savepoint per message, where such a failure undoes
// that message alone. A deadlock victim runs again as it was.
func (db *DB) chatBatch(ctx context.Context, conn *sql.Conn, jobs []*chatJob) error {
	var stored [][]*okcare.TicketMessage
	var errs [][]error
	savepoints := false
	run := func(tx *Tx) (err error) {
		stored, errs, err = chatBatchTx(ctx, tx, jobs, savepoints)
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
		} else {
			for k, m := range stored[i] {
				if j.errs[k] = errs[i][k]; m != nil && j.errs[k] == nil {
					*j.ms[k] = *m
				}
			}
		}
		close(j.done)
	}
	return err
}

// errMessageFailed is how chatBatchTx without savepoints gives up on a
// run because one message failed in a way that may have written part of
// it.
var errMessageFailed = errors.New("a chat message failed inside its batch")

// refusal reports whether err is a lone path's refusal of a message
// (returned before it writes anything) rather than a database failure.
func refusal(err error) bool {
	var e *okcare.Error
	return errors.As(err, &e) && e.Code != okcare.EINTERNAL
}

// chatBatchTx stores each message of the jobs in order, on copies (so
// that a batch run again starts from what was sent), and returns the
// stored copies and each one's refusal. With savepoints each message runs
// in its own, and any failure of one is undone alone; without, a failure
// other than a refusal ends the run with errMessageFailed. Where rows are
// locked (PostgreSQL) it first locks every ticket of the batch in id
// order, so that two nodes' batches cannot deadlock on each other.
func chatBatchTx(ctx context.Context, tx *Tx, jobs []*chatJob, savepoints bool) ([][]*okcare.TicketMessage, [][]error, error) {
	tx.releases = map[string]releaseRead{} // every message classified against one read
	defer func() { tx.releases = nil }()
	if tx.db.dialect.ForUpdate != "" {
		if err := lockTickets(ctx, tx, jobs); err != nil {
			return nil, nil, err
		}
	}
	stored, errs := make([][]*okcare.TicketMessage, len(jobs)), make([][]error, len(jobs))
	for i, j := range jobs {
		stored[i], errs[i] = make([]*okcare.TicketMessage, len(j.ms)), make([]error, len(j.ms))
		for k, in := range j.ms {
			if errs[i][k] = j.errs[k]; errs[i][k] != nil {
				continue // refused before the batch
			}
			if err := j.ctx.Err(); err != nil {
				errs[i][k] = err // given up before it ran: nothing done
				continue
			}
			if !savepoints {
				m, err := addChatMessageTx(ctx, tx, in)
				if err != nil && !refusal(err) {
					if tx.db.retryable(err) {
						return nil, nil, err
					}
					return nil, nil, fmt.Errorf("%w: %w", errMessageFailed, err)
				}
				stored[i][k], errs[i][k] = m, err
				continue
			}
			if _, err := tx.exec(ctx, `SAVEPOINT chat_message`); err != nil {
				return nil, nil, err
			}
			m, err := addChatMessageTx(ctx, tx, in)
			if err != nil {
				if tx.db.retryable(err) {
					return nil, nil, err // a deadlock victim: the whole batch again
				}
				if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT chat_message`); err != nil {
					return nil, nil, err
				}
			}
			if _, err := tx.exec(ctx, `RELEASE SAVEPOINT chat_message`); err != nil {
				return nil, nil, err
			}
			stored[i][k], errs[i][k] = m, err
		}
	}
	return stored, errs, nil
}

// addChatMessageTx stores a copy of in as its lone method would.
func addChatMessageTx(ctx context.Context, tx *Tx, in *okcare.TicketMessage) (*okcare.TicketMessage, error) {
	var m *okcare.TicketMessage
	var err error
	if agentID, ok := strings.CutPrefix(in.Author, "agent:"); ok {
		m, err = replyOnceTx(ctx, tx, in.TicketID, agentID, in.ClientID, in.Body, in.Public)
	} else {
		c := *in
		m, err = &c, addMessageTx(ctx, tx, &c)
	}
	if err == nil && tx.db.chatFault != nil {
		err = tx.db.chatFault(m) // a test's failure after the writes
	}
	if err != nil {
		return nil, err
	}
	return m, nil
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
