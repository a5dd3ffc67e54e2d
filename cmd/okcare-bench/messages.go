package main

import (
	"context"
	"fmt"
	"time"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/postgres"
	"github.com/okcare/okcare/sqldb"
)

// benchMessages measures chat messages stored per second at the store,
// with one sender per chat (a socket's storeLoop, each waiting for its
// commit before the next), customer messages and agent replies in turn:
// each message its own transaction (AddTicketMessage, ReplyAsAgentOnce:
// the write path before the group committer), then AddChatMessages, one
// message a call, through the group committer. On a store without the
// committer running (PostgreSQL), AddChatMessages is measured without it
// (a transaction per call) and with it. The baseline is the same store's
// bare durable commit rate (one single-row INSERT per transaction),
// measured in the same run.
func benchMessages(ctx context.Context, kind, dsn string, duration time.Duration, concurrency int) error {
	db, cleanup, err := openStore(ctx, kind, dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	tickets := make([]string, concurrency)
	for i := range tickets {
		t, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: fmt.Sprintf("c%04d@bench.okwallet.example", i), Lang: "zh-CN",
			Intake: okcare.Intake{Description: "转账一直显示处理中，已经两个小时了"}})
		if err != nil {
			return err
		}
		tickets[i] = t.ID
	}
	if _, err := db.SQL().Exec(`CREATE TABLE bench_commits (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)`); err != nil {
		return err
	}
	fmt.Printf("%s store, %d chats, one sender each, %s per run\n", kind, concurrency, duration)
	insert := db.Rebind("INSERT INTO bench_commits (id, at) VALUES (?, ?)")
	base := drive("baseline commit", duration, concurrency, func(w, seq int) error {
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.Exec(insert, int64(w)<<32|int64(seq), time.Now().UnixMicro()); err != nil {
			return err
		}
		return tx.Commit()
	})
	fmt.Println(" ", base)
	message := func(run string, w, seq int) *okcare.TicketMessage {
		m := &okcare.TicketMessage{TicketID: tickets[w], Author: "contact", Public: true, ClientID: fmt.Sprintf("%s-%d-%d", run, w, seq),
			Body: fmt.Sprintf("第 %d 条：我的转账还没到账，订单号 %d", seq, w)}
		if seq%2 == 1 {
			m.Author, m.Body = "agent:agt_bench", fmt.Sprintf("好的，正在为您查询（%d）", seq)
		}
		return m
	}
	lone := drive("message, own commit", duration, concurrency, func(w, seq int) error {
		m := message("lone", w, seq)
		if m.Author == "contact" {
			return db.AddTicketMessage(ctx, m)
		}
		_, err := db.ReplyAsAgentOnce(ctx, m.TicketID, "agt_bench", m.ClientID, m.Body, true)
		return err
	})
	fmt.Println(" ", lone)
	chat := func(run string) func(w, seq int) error {
		return func(w, seq int) error {
			errs, err := db.AddChatMessages(ctx, []*okcare.TicketMessage{message(run, w, seq)})
			if err == nil {
				err = errs[0]
			}
			return err
		}
	}
	if kind == "postgres" {
		db.SetChatCommitWriters(0)
		own := drive("AddChatMessages, own commit", duration, concurrency, chat("call"))
		fmt.Println(" ", own)
		db.SetChatCommitWriters(postgres.ChatWriters)
	}
	grouped := drive("AddChatMessages, group commit", duration, concurrency, chat("group"))
	fmt.Println(" ", grouped)
	fmt.Printf("messages/s: own commit %.0f, group commit %.0f; ratio to bare commits: %.2f and %.2f; group/own %.2f\n",
		lone.perSecond(), grouped.perSecond(), lone.perSecond()/base.perSecond(), grouped.perSecond()/base.perSecond(), grouped.perSecond()/lone.perSecond())
	return checkConversations(ctx, db, tickets)
}

// checkConversations fails if a conversation has a gap or a twin in its
// seqs, or a message older than the one before it.
func checkConversations(ctx context.Context, db *sqldb.DB, tickets []string) error {
	for _, id := range tickets {
		msgs, err := db.TicketMessages(ctx, id, true)
		if err != nil {
			return err
		}
		for i, m := range msgs {
			if m.Seq != int64(i+1) || (i > 0 && m.CreatedAt.Before(msgs[i-1].CreatedAt)) {
				return fmt.Errorf("ticket %s: message %d has seq %d at %v", id, i, m.Seq, m.CreatedAt)
			}
		}
	}
	return nil
}
