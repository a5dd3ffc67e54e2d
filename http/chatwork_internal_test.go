package http

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSocketWorkLosesNoKick: kicks made while the work is held are done on
// release; kicks from many goroutines are each done soon after, and the
// work never runs on two goroutines at once (a socket's last-sent seq is
// safe on one only).
func TestSocketWorkLosesNoKick(t *testing.T) {
	var kicked, done atomic.Int64
	var inside atomic.Int32
	var overlap atomic.Bool
	w := newSocketWork(func(workFlags) bool {
		if inside.Add(1) != 1 {
			overlap.Store(true)
		}
		if k := kicked.Load(); k > done.Load() {
			done.Store(k)
		}
		inside.Add(-1)
		return false
	})
	for i := 0; i < 10; i++ {
		kicked.Add(1)
		w.kick(workEvents)
	}
	if done.Load() != 0 {
		t.Fatal("held work ran before its release")
	}
	w.release()
	if done.Load() != kicked.Load() {
		t.Fatal("kicks made while held were not done on release")
	}
	var wg sync.WaitGroup
	until := time.Now().Add(time.Second)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(until) {
				k := kicked.Add(1)
				w.kick(workFlags(1 << (k % 3)))
				giveUp := time.Now().Add(2 * time.Second)
				for done.Load() < k {
					if time.Now().After(giveUp) {
						t.Errorf("kick %d never done (done up to %d)", k, done.Load())
						return
					}
					time.Sleep(time.Microsecond)
				}
			}
		}()
	}
	wg.Wait()
	if overlap.Load() {
		t.Fatal("the work ran on two goroutines at once")
	}
}

// TestSocketWorkEnds: once the work reports the socket ended, kicks do
// nothing.
func TestSocketWorkEnds(t *testing.T) {
	var runs atomic.Int32
	w := newSocketWork(func(workFlags) bool { runs.Add(1); return true })
	w.kick(workClose)
	w.release()
	w.kick(workEvents)
	time.Sleep(20 * time.Millisecond)
	if n := runs.Load(); n != 1 {
		t.Fatalf("the work ran %d times, want once (it ended)", n)
	}
}

// TestRepeatEveryStops: a repeating timer stopped while its call is under
// way is not armed again by that call.
func TestRepeatEveryStops(t *testing.T) {
	for trial := 0; trial < 300; trial++ {
		var calls atomic.Int64
		called := make(chan struct{}, 1)
		stop := repeatEvery(2*time.Millisecond, func() {
			calls.Add(1)
			select {
			case called <- struct{}{}:
			default:
			}
		})
		<-called
		stop()
		time.Sleep(500 * time.Microsecond) // a call under way finishes
		n := calls.Load()
		time.Sleep(5 * time.Millisecond)
		if late := calls.Load() - n; late > 0 {
			t.Fatalf("trial %d: %d call(s) after stop", trial, late)
		}
	}
}
