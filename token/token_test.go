package token_test

import (
	"bytes"
	"encoding/base32"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/token"
)

func TestNewIsRandomAndLongEnough(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok := token.New("okw_")
		if !strings.HasPrefix(tok, "okw_") || len(tok) != len("okw_")+26 { // 128 bits in base32
			t.Fatalf("token %q", tok)
		}
		if seen[tok] {
			t.Fatal("repeated token")
		}
		seen[tok] = true
	}
	if token.Hash("a") == token.Hash("b") || len(token.Hash("a")) != 64 {
		t.Fatal("Hash is not a SHA-256 hex digest")
	}
}

func TestIDsSortByTimeAndDiffer(t *testing.T) {
	a := token.ID("usr_")
	time.Sleep(2 * time.Millisecond)
	b := token.ID("usr_")
	if !(a < b) {
		t.Fatalf("later ID %q does not sort after %q", b, a)
	}
	same := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := token.ID("x_")
		if same[id] {
			t.Fatal("repeated ID within a millisecond")
		}
		same[id] = true
	}
}

func TestIDsIncreaseWithinAMillisecond(t *testing.T) {
	prev := token.ID("x_")
	for i := 0; i < 20000; i++ {
		id := token.ID("x_")
		if id <= prev {
			t.Fatalf("%s after %s", id, prev)
		}
		prev = id
	}
}

// TestNextIDCannotBeDerived: within a millisecond the next ID is the last
// one plus a random step, so an ID seen tells nothing of its neighbours
// (the old monotonic mode added one).
func TestNextIDCannotBeDerived(t *testing.T) {
	dec := base32.HexEncoding.WithPadding(base32.NoPadding)
	sameMillisecond := 0
	prev := token.ID("x_")
	for i := 0; i < 5000; i++ {
		id := token.ID("x_")
		a, _ := dec.DecodeString(prev[2:])
		b, _ := dec.DecodeString(id[2:])
		if bytes.Equal(a[:6], b[:6]) {
			sameMillisecond++
			gap := new(big.Int).Sub(new(big.Int).SetBytes(b[6:]), new(big.Int).SetBytes(a[6:]))
			if gap.Cmp(big.NewInt(1<<24)) < 0 {
				t.Fatalf("IDs %s and %s are only %v apart", prev, id, gap)
			}
		}
		prev = id
	}
	if sameMillisecond == 0 {
		t.Skip("no two IDs fell in one millisecond")
	}
}
