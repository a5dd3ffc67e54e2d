package http

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/ledger"
)

// balanceJSON shows an amount both as decimal text and as minor units, both
// strings so that no client parses money into a float.
type balanceJSON struct {
	Asset    string `json:"asset"`
	Decimals int    `json:"decimals"`
	Amount   string `json:"amount"`
	Minor    string `json:"minor"`
}

func (s *Server) handleBalances(w http.ResponseWriter, r *http.Request) {
	bals, err := s.Store.Balances(r.Context(), userFrom(r).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := []balanceJSON{}
	for _, b := range bals {
		out = append(out, toBalanceJSON(b))
	}
	writeJSON(w, http.StatusOK, map[string]any{"balances": out})
}

func toBalanceJSON(b *okcare.Balance) balanceJSON {
	return balanceJSON{b.Asset, b.Decimals, ledger.FormatAmount(b.Minor, b.Decimals), b.Minor.String()}
}

type transactionJSON struct {
	EntryID    string              `json:"entry_id"`
	MovementID string              `json:"movement_id"`
	Kind       okcare.MovementKind `json:"kind"`
	Asset      string              `json:"asset"`
	Amount     string              `json:"amount"`
	Minor      string              `json:"minor"`
	Memo       string              `json:"memo,omitempty"`
	CreatedAt  time.Time           `json:"created_at"`
	// Counterparty is the other side (masked contact or merchant name).
	Counterparty string `json:"counterparty,omitempty"`
	ChainTx      string `json:"chain_tx,omitempty"`
}

func toTransactionJSON(t *okcare.Transaction) transactionJSON {
	return transactionJSON{t.EntryID, t.MovementID, t.Kind, t.Asset, ledger.FormatAmount(t.Minor, t.Decimals), t.Minor.String(), t.Memo, t.CreatedAt, t.Counterparty, t.ChainTx}
}

func (s *Server) handleTransactions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, before := 50, int64(0)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "limit must be 1-200."))
			return
		}
		limit = n
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "cursor is not valid."))
			return
		}
		before = n
	}
	txs, next, err := s.Store.Transactions(r.Context(), userFrom(r).ID, before, limit)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := []transactionJSON{}
	for _, t := range txs {
		out = append(out, toTransactionJSON(t))
	}
	resp := map[string]any{"transactions": out, "next_cursor": nil}
	if next != 0 {
		resp["next_cursor"] = strconv.FormatInt(next, 10)
	}
	writeJSON(w, http.StatusOK, resp)
}

// moveRequest is the body of POST /transfers and POST /payments.
type moveRequest struct {
	To         string `json:"to,omitempty"`
	MerchantID string `json:"merchant_id,omitempty"`
	Asset      string `json:"asset"`
	Amount     string `json:"amount"`
	Memo       string `json:"memo,omitempty"`
}

type movementJSON struct {
	ID           string              `json:"id"`
	Kind         okcare.MovementKind `json:"kind"`
	FromUserID   string              `json:"from_user_id,omitempty"`
	ToUserID     string              `json:"to_user_id,omitempty"`
	ToMerchantID string              `json:"to_merchant_id,omitempty"`
	Asset        string              `json:"asset"`
	Amount       string              `json:"amount"`
	Minor        string              `json:"minor"`
	Memo         string              `json:"memo,omitempty"`
	EntryID      string              `json:"entry_id"`
	Status       string              `json:"status"`
	CreatedAt    time.Time           `json:"created_at"`
}

func (s *Server) handleMove(kind okcare.MovementKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req moveRequest
		if _, err := decodeJSON(w, r, &req, maxBody); err != nil {
			s.Error(w, r, err)
			return
		}
		if kind == okcare.KindTransfer && req.MerchantID != "" || kind == okcare.KindPayment && req.To != "" {
			s.Error(w, r, okcare.Errorf(okcare.EINVALID, "Transfers take to; payments take merchant_id."))
			return
		}
		// The hash covers the decoded request, so the same request sent with
		// different spacing or field order still counts as the same.
		canonical, _ := json.Marshal(req)
		sum := sha256.Sum256(append([]byte(string(kind)+"\n"), canonical...))
		m, err := s.Store.Move(r.Context(), okcare.MovementRequest{
			Kind: kind, FromUserID: userFrom(r).ID, ToUser: req.To, ToMerchant: req.MerchantID,
			Asset: req.Asset, Amount: req.Amount, Memo: req.Memo,
			IdempotencyKey: r.Header.Get("Idempotency-Key"), RequestHash: hex.EncodeToString(sum[:]),
		})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		// A replay answers exactly as the first time, marked by a header.
		if m.Replayed {
			w.Header().Set("Idempotent-Replayed", "true")
		}
		writeJSON(w, http.StatusCreated, movementJSON{m.ID, m.Kind, m.FromUserID, m.ToUserID, m.ToMerchantID, m.Asset,
			ledger.FormatAmount(m.Minor, m.Decimals), m.Minor.String(), m.Memo, m.EntryID, "completed", m.CreatedAt})
	}
}
