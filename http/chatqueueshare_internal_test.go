package http

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okcare/okcare"
)

// TestQueueShareSingleFlight: callers meanwhile share one read; a fresh
// read is reused; a failed one is neither handed out nor retried before
// a refresh has passed; the socket that started a read leaving does not
// fail it for the others.
func TestQueueShareSingleFlight(t *testing.T) {
	var q queueShare
	var reads atomic.Int64
	release := make(chan struct{})
	fail := false
	read := func(ctx context.Context) (okcare.ChatWaitingQueue, error) {
		reads.Add(1)
		<-release
		if err := ctx.Err(); err != nil {
			return okcare.ChatWaitingQueue{}, err
		}
		if fail {
			return okcare.ChatWaitingQueue{}, errors.New("store down")
		}
		return okcare.ChatWaitingQueue{Chats: []okcare.WaitingChat{{ID: "a", Queued: true}}}, nil
	}
	const age = time.Hour
	// The first caller leaves before the read ends; 20 others wait on it.
	starter, cancel := context.WithCancel(context.Background())
	startErr := make(chan error, 1)
	go func() { _, err := q.get(starter, age, 0, read); startErr <- err }()
	for q.seq() == 0 {
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	got := make([]*queueRead, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := q.get(context.Background(), age, 0, read)
			if err != nil {
				t.Error(err)
			}
			got[i] = r
		}()
	}
	cancel()
	if err := <-startErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller who left: %v", err)
	}
	close(release)
	wg.Wait()
	for i, r := range got {
		if r == nil || r.seq != 1 || r.places.Len() != 1 {
			t.Fatalf("caller %d got %+v", i, r)
		}
	}
	if r, _ := q.get(context.Background(), age, 0, read); r != got[0] || reads.Load() != 1 {
		t.Fatalf("a fresh read was not reused: %d reads", reads.Load())
	}
	// Stale: read again; it fails; nobody gets the old read, nor a retry.
	fail = true
	if r, err := q.get(context.Background(), 0, 0, read); r != nil || err != nil {
		t.Fatalf("after a failed read: %+v, %v", r, err)
	}
	if r, err := q.get(context.Background(), age, 0, read); r != nil || err != nil || reads.Load() != 2 {
		t.Fatalf("right after a failed read: %+v, %v, %d reads", r, err, reads.Load())
	}
	fail = false
	if r, _ := q.get(context.Background(), 0, 0, read); r == nil || r.seq != 3 || reads.Load() != 3 {
		t.Fatalf("a refresh later: %+v, %d reads", r, reads.Load())
	}
	// A socket that has just read its chat needs a read begun since,
	// however fresh the last one is.
	if r, _ := q.get(context.Background(), age, 0, read); r == nil || r.seq != 3 || reads.Load() != 3 {
		t.Fatalf("fresh: %+v, %d reads", r, reads.Load())
	}
	if r, _ := q.get(context.Background(), age, 3, read); r == nil || r.seq != 4 || reads.Load() != 4 {
		t.Fatalf("after read 3: %+v, %d reads", r, reads.Load())
	}
}
