package ledger_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/okcare/okcare/ledger"
)

func TestParseAmount(t *testing.T) {
	for _, tt := range []struct {
		in       string
		decimals int
		want     string // minor units, "" for error
	}{
		{"12.5", 2, "1250"},
		{"12.50", 2, "1250"},
		{"12", 2, "1200"},
		{"0.01", 2, "1"},
		{"0.001", 2, ""},
		{"0", 2, ""},
		{"0.00", 2, ""},
		{"-1", 2, ""},
		{"+1", 2, ""},
		{"1e3", 2, ""},
		{"1.", 2, ""},
		{".5", 2, ""},
		{" 1", 2, ""},
		{"1,5", 2, ""},
		{"", 2, ""},
		{"5", 0, "5"},
		{"5.1", 0, ""},
		{"1.000000000000000001", 18, "1000000000000000001"},
		{"123456789.123456789123456789", 18, "123456789123456789123456789"},
		{"1", 19, ""},
		{"1" + string(make([]byte, 0)) + "00000000000000000000000000000000000000000", 2, ""},
	} {
		got, err := ledger.ParseAmount(tt.in, tt.decimals)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseAmount(%q, %d) = %v, want error", tt.in, tt.decimals, got)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseAmount(%q, %d) = %v, %v; want %s", tt.in, tt.decimals, got, err, tt.want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	for _, tt := range []struct {
		minor    int64
		decimals int
		want     string
	}{
		{1250, 2, "12.50"},
		{1, 2, "0.01"},
		{0, 2, "0.00"},
		{-5, 2, "-0.05"},
		{7, 0, "7"},
		{1, 8, "0.00000001"},
		{100000000, 8, "1.00000000"},
	} {
		if got := ledger.FormatAmount(big.NewInt(tt.minor), tt.decimals); got != tt.want {
			t.Errorf("FormatAmount(%d, %d) = %q, want %q", tt.minor, tt.decimals, got, tt.want)
		}
	}
}

func FuzzAmountRoundTrip(f *testing.F) {
	for _, s := range []string{"1", "12.50", "0.000000000000000001", "99999999999999999999.99"} {
		f.Add(s, 2)
		f.Add(s, 18)
	}
	f.Fuzz(func(t *testing.T, s string, decimals int) {
		n, err := ledger.ParseAmount(s, decimals)
		if err != nil {
			return
		}
		if n.Sign() <= 0 {
			t.Fatalf("ParseAmount(%q) = %v, not positive", s, n)
		}
		back, err := ledger.ParseAmount(ledger.FormatAmount(n, decimals), decimals)
		if err != nil || back.Cmp(n) != 0 {
			t.Fatalf("round trip of %q with %d decimals: %v, %v", s, decimals, back, err)
		}
	})
}

func TestApply(t *testing.T) {
	accounts := func() map[string]*ledger.Account {
		return map[string]*ledger.Account{
			"alice":    {ID: "alice", Asset: "CNY", Balance: big.NewInt(1000)},
			"bob":      {ID: "bob", Asset: "CNY", Balance: big.NewInt(0)},
			"treasury": {ID: "treasury", Asset: "CNY", Balance: big.NewInt(0), AllowNegative: true},
			"btc":      {ID: "btc", Asset: "BTC", Balance: big.NewInt(5)},
		}
	}
	for _, tt := range []struct {
		name     string
		postings []ledger.Posting
		wantErr  error
		want     map[string]int64
	}{
		{"move", ledger.Move("alice", "bob", "CNY", big.NewInt(400)), nil, map[string]int64{"alice": 600, "bob": 400}},
		{"whole balance", ledger.Move("alice", "bob", "CNY", big.NewInt(1000)), nil, map[string]int64{"alice": 0, "bob": 1000}},
		{"overdraft", ledger.Move("alice", "bob", "CNY", big.NewInt(1001)), ledger.ErrInsufficientFunds, nil},
		{"system may go negative", ledger.Move("treasury", "bob", "CNY", big.NewInt(50)), nil, map[string]int64{"treasury": -50, "bob": 50}},
		{"unbalanced", []ledger.Posting{
			{AccountID: "alice", Asset: "CNY", Amount: big.NewInt(-10)},
			{AccountID: "bob", Asset: "CNY", Amount: big.NewInt(9)},
		}, ledger.ErrUnbalanced, nil},
		{"asset mismatch", ledger.Move("alice", "btc", "CNY", big.NewInt(1)), ledger.ErrAssetMismatch, nil},
		{"one posting", ledger.Move("alice", "bob", "CNY", big.NewInt(1))[:1], ledger.ErrEmptyEntry, nil},
		{"zero", ledger.Move("alice", "bob", "CNY", big.NewInt(0)), ledger.ErrZeroPosting, nil},
		{"unknown account", ledger.Move("alice", "mallory", "CNY", big.NewInt(1)), ledger.ErrUnknownAccount, nil},
		{"same account twice nets out", []ledger.Posting{
			{AccountID: "alice", Asset: "CNY", Amount: big.NewInt(-700)},
			{AccountID: "alice", Asset: "CNY", Amount: big.NewInt(-400)},
			{AccountID: "bob", Asset: "CNY", Amount: big.NewInt(1100)},
		}, ledger.ErrInsufficientFunds, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			accs := accounts()
			got, err := ledger.Apply(accs, tt.postings)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if accs["alice"].Balance.Int64() != 1000 {
				t.Fatal("Apply changed its input")
			}
			for id, want := range tt.want {
				if got[id].Int64() != want {
					t.Errorf("%s = %v, want %d", id, got[id], want)
				}
			}
		})
	}
}
