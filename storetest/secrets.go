package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/sqldb"
)

// Secrets a customer pastes: valid BIP-39 phrases (English, simplified and
// traditional Chinese), a private key, a one-time code.
const (
	secretPhraseEN = "draft oyster rack north fresh grape junior boat exhibit shrug egg cactus"
	secretPhraseZH = "污街妨煮区谊渗弃现枪载核"
	secretPhraseTW = "彼 常 但 計 惜 編 哭 籌 綸 乃 傳 持"
	secretKey      = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	secretCode     = "482913"
)

// secretFragments are pieces of the secrets above that no stored text may
// hold.
var secretFragments = []string{"oyster rack", "shrug egg", "污街妨", "渗弃现", "彼 常 但", "綸 乃", secretKey[:20], secretCode}

// testSecretsNeverStored: whatever a customer sends through any path, the
// store keeps the marker, never the secret; the ticket is flagged for the
// security team and the customer warned in their language.
func testSecretsNeverStored(t *testing.T, db *sqldb.DB, clock *Clock) {
	// A web ticket: subject, description and a text file.
	tk, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "mei@example.com", Channel: okcare.ChannelWeb, Lang: "zh-CN",
		Subject: "私钥 " + secretKey + " 导入失败", Intake: okcare.Intake{Description: "客服让我提供助记词：" + secretPhraseEN + "，我发了"},
		Attachments: []*okcare.Attachment{{Filename: "notes.txt", Data: []byte("我的助记词\n" + secretPhraseZH + "\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	if w := tk.SecretWarning; w == nil || !slices.Equal(w.Kinds, []string{"mnemonic", "private_key"}) || !strings.Contains(w.Text, "助记词") || !strings.Contains(w.Text, "绝不会") {
		t.Fatalf("secret warning %+v", tk.SecretWarning)
	}
	got, _ := db.FindTicket(ctx, tk.ID)
	if got.Subject != "私钥 [私钥已隐藏] 导入失败" || got.Intake.Description != "客服让我提供助记词：[助记词已隐藏]，我发了" {
		t.Fatalf("stored subject %q, intake %q", got.Subject, got.Intake.Description)
	}
	if !got.SecretExposed() || got.Priority != okcare.PriorityUrgent || got.FirstResponseDue == nil {
		t.Fatalf("ticket tags %v, priority %s: want secret_exposed, urgent", got.Tags, got.Priority)
	}
	files, _ := db.Attachments(ctx, tk.ID)
	file, err := db.Attachment(ctx, tk.ID, files[0].ID)
	if err != nil || string(file.Data) != "我的助记词\n[助记词已隐藏]\n" || file.Size != int64(len(file.Data)) || file.SHA256 != sha256Hex(file.Data) {
		t.Fatalf("stored file %q (%d bytes, %s), %v", file.Data, file.Size, file.SHA256, err)
	}
	msgs, _ := db.TicketMessages(ctx, tk.ID, true)
	if !hasNote(msgs, sqldb.NoteSecretMasked, "kinds", "mnemonic,private_key") {
		t.Fatalf("no staff note naming what was hidden: %+v", msgs)
	}
	if !slices.ContainsFunc(msgs, func(m *okcare.TicketMessage) bool {
		return m.Public && m.Author == "system" && m.Body == tk.SecretWarning.Text
	}) {
		t.Fatal("no public warning in the conversation")
	}
	_, ack := lastBody(t, db, sqldb.EventTicketAck)
	if !strings.Contains(ack, tk.SecretWarning.Text) {
		t.Fatalf("the acknowledgement does not carry the warning:\n%s", ack)
	}

	// A chat: the customer pastes a traditional-Chinese phrase, spaced.
	chat, _, err := db.OpenChat(ctx, okcare.NewTicket{ContactEmail: "lin@example.com", Lang: "zh-CN", Intake: okcare.Intake{Description: "在嗎"}})
	if err != nil || chat.SecretWarning != nil || chat.SecretExposed() {
		t.Fatalf("a clean chat: %+v %v", chat, err)
	}
	m := &okcare.TicketMessage{TicketID: chat.ID, Author: "contact", Public: true, Body: "我的助記詞是：" + secretPhraseTW}
	if err := db.AddTicketMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if m.Body != "我的助記詞是：[助记词已隐藏]" || m.SecretWarning == nil || m.SecretWarning.Message == nil || m.SecretWarning.Message.ID == "" {
		t.Fatalf("chat message %q, warning %+v", m.Body, m.SecretWarning)
	}
	if got, _ := db.FindTicket(ctx, chat.ID); !got.SecretExposed() || got.Priority != okcare.PriorityUrgent {
		t.Fatalf("chat tags %v priority %s", got.Tags, got.Priority)
	}

	// A mail ticket in English: the reply with a code is masked and the
	// warning mailed.
	mail, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "sam@example.com", Channel: okcare.ChannelMail, Lang: "en", Subject: "login", Intake: okcare.Intake{Description: "cannot log in"}})
	if err != nil || mail.SecretWarning != nil {
		t.Fatalf("a clean mail ticket: %+v %v", mail, err)
	}
	reply := &okcare.TicketMessage{TicketID: mail.ID, Author: "contact", Public: true, Body: "The verification code is " + secretCode + ", please hurry"}
	if err := db.AddTicketMessage(ctx, reply); err != nil {
		t.Fatal(err)
	}
	if reply.Body != "The verification code is [code hidden], please hurry" || reply.SecretWarning == nil || !strings.Contains(reply.SecretWarning.Text, "never ask") {
		t.Fatalf("mail reply %q, warning %+v", reply.Body, reply.SecretWarning)
	}
	if _, body := lastBody(t, db, "secret_warning"); !strings.Contains(body, "verification code") {
		t.Fatalf("warning mail %q", body)
	}

	// Staff texts and what the store writes from them are masked too: a
	// reply quoting the code (and the mail it becomes), call notes.
	if _, err := db.ReplyAsAgent(ctx, mail.ID, "agt_1", "Please never send the code "+secretCode+" to anyone: code "+secretCode+" is useless now.", true); err != nil {
		t.Fatal(err)
	}
	if err := db.LogCall(ctx, mail.ID, "agt_1", okcare.CallReached, "customer read out private key "+secretKey); err != nil {
		t.Fatal(err)
	}

	// A diagnosis and a survey comment.
	d := &okcare.Diagnosis{Lang: "en", TopCause: "unknown", Request: []byte(`{"description":"seed: ` + secretPhraseEN + `","lang":"en"}`), Result: []byte(`{"causes":[]}`)}
	if err := db.SaveDiagnosis(ctx, d); err != nil {
		t.Fatal(err)
	}
	if stored, _ := db.FindDiagnosis(ctx, d.ID); !strings.Contains(string(stored.Request), "[recovery phrase hidden]") {
		t.Fatalf("stored diagnosis %s", stored.Request)
	}
	if _, err := db.SetTicketStatus(ctx, mail.ID, "agent:agt_1", okcare.TicketSolved); err != nil {
		t.Fatal(err)
	}
	if err := db.RateTicket(ctx, mail.ID, 1, "you asked for my 验证码 "+secretCode); err != nil {
		t.Fatal(err)
	}

	// A retried API request is a replay; the stored fingerprint is not the
	// caller's hash of the text with the secret in it.
	retry := okcare.NewTicket{ContactEmail: "mei@example.com", Channel: okcare.ChannelAPI, Lang: "zh-CN", IdempotencyKey: "k-1", RequestHash: "hash-over-" + secretCode,
		Intake: okcare.Intake{Description: "验证码 " + secretCode}}
	once, err := db.CreateTicket(ctx, retry)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := db.CreateTicket(ctx, retry); err != nil || again.ID != once.ID {
		t.Fatalf("retry: %v %v", again, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets WHERE request_hash = ?`, retry.RequestHash); n != 0 {
		t.Fatal("the caller's hash over the secret is stored")
	}

	// Clean text is left as it is and flags nothing.
	clean, err := db.CreateTicket(ctx, okcare.NewTicket{ContactEmail: "mei@example.com", Channel: okcare.ChannelAPI, Lang: "zh-CN",
		Intake: okcare.Intake{Description: "交易哈希 0x" + strings.Repeat("ab12", 16) + " 还没到账，验证码收不到"}})
	if err != nil || clean.SecretWarning != nil || clean.SecretExposed() || clean.Priority != okcare.PriorityNormal {
		t.Fatalf("clean ticket %+v %v", clean, err)
	}

	// The security team's queue holds the flagged tickets, and only them.
	queue, err := db.Queue(ctx, okcare.QueueFilter{Statuses: []string{okcare.TicketNew, okcare.TicketOpen, okcare.TicketPending, okcare.TicketSolved}, Tag: okcare.TagSecretExposed, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range queue {
		ids = append(ids, q.ID)
	}
	if slices.Sort(ids); !slices.Equal(ids, sorted(tk.ID, chat.ID, mail.ID, once.ID)) {
		t.Fatalf("security queue %v, want %v", ids, sorted(tk.ID, chat.ID, mail.ID, once.ID))
	}
	_, err = db.Queue(ctx, okcare.QueueFilter{Tag: "x%", Limit: 5})
	wantCode(t, err, okcare.EINVALID)

	// Nothing of any secret is anywhere in the database.
	for _, frag := range secretFragments {
		if where := findText(t, db, frag); where != nil {
			t.Errorf("%q stored in %v", frag, where)
		}
	}
	if where := findText(t, db, "[助记词已隐藏]"); len(where) == 0 {
		t.Error("the marker search finds nothing: the search itself is broken")
	}
	// The outbox is sealed at rest: read each message as the sender does.
	rows, err := db.SQL().Query(`SELECT id FROM notifications`)
	if err != nil {
		t.Fatal(err)
	}
	var outbox []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		outbox = append(outbox, id)
	}
	rows.Close()
	if len(outbox) < 4 {
		t.Fatalf("only %d outgoing messages", len(outbox))
	}
	for _, id := range outbox {
		n, err := db.Notification(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, frag := range secretFragments {
			if strings.Contains(n.Subject+n.Body, frag) {
				t.Errorf("%q in outgoing %s %q", frag, n.Event, n.Subject)
			}
		}
	}
}

// hasNote reports whether msgs has a note of key with arg = value.
func hasNote(msgs []*okcare.TicketMessage, key, arg, value string) bool {
	return slices.ContainsFunc(msgs, func(m *okcare.TicketMessage) bool {
		return !m.Public && m.Note != nil && m.Note.Key == key && m.Note.Args[arg] == value
	})
}

// findText searches every text, JSON and binary column of every table for
// s and returns the table.column places that hold it.
func findText(t *testing.T, db *sqldb.DB, s string) []string {
	t.Helper()
	type column struct{ table, name, kind string }
	var cols []column
	var q string
	if db.Dialect().Name == "postgres" {
		q = `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()
			AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea') ORDER BY table_name, column_name`
	} else {
		q = `SELECT m.name, p.name, LOWER(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND (p.type = '' OR LOWER(p.type) IN ('text', 'blob', 'json') OR LOWER(p.type) LIKE '%char%') ORDER BY 1, 2`
	}
	rows, err := db.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.table, &c.name, &c.kind); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 50 {
		t.Fatalf("only %d text columns found", len(cols))
	}
	var where []string
	for _, c := range cols {
		var cond string
		var arg any = s
		switch {
		case db.Dialect().Name != "postgres":
			cond = `instr(CAST("` + c.name + `" AS BLOB), CAST(? AS BLOB)) > 0`
		case c.kind == "bytea":
			cond, arg = `position($1::bytea in "`+c.name+`") > 0`, []byte(s)
		default:
			cond = `strpos("` + c.name + `"::text, $1) > 0`
		}
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM "`+c.table+`" WHERE `+cond, arg).Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", c.table, c.name, err)
		}
		if n > 0 {
			where = append(where, c.table+"."+c.name)
		}
	}
	return where
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}
