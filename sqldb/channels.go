package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/official"
	"github.com/okcare/okcare/token"
)

const channelColumns = `id, kind, value, display, note_zh, note_en, added_by, added_at, removed_by, removed_at`

// OfficialChannels lists the official channels, oldest first; with
// removed, also those taken off the list.
func (db *DB) OfficialChannels(ctx context.Context, removed bool) ([]*okcare.OfficialChannel, error) {
	q := `SELECT ` + channelColumns + ` FROM official_channels`
	if !removed {
		q += ` WHERE removed_at IS NULL`
	}
	rows, err := db.query(ctx, q+` ORDER BY added_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*okcare.OfficialChannel{}
	for rows.Next() {
		var c okcare.OfficialChannel
		var added int64
		var gone sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Kind, &c.Value, &c.Display, &c.NoteZH, &c.NoteEN, &c.AddedBy, &added, &c.RemovedBy, &gone); err != nil {
			return nil, err
		}
		c.AddedAt, c.RemovedAt = fromMicros(added), fromNullMicros(gone)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// AddOfficialChannel puts a channel on the list, in its normalized form.
func (db *DB) AddOfficialChannel(ctx context.Context, c *okcare.OfficialChannel, actor string) error {
	value, err := official.Normalize(c.Kind, c.Value)
	if err != nil {
		return okcare.Errorf(okcare.EINVALID, "%q is not a %s channel (kinds: %s).", c.Value, c.Kind, strings.Join(official.Kinds, ", "))
	}
	c.Display, c.NoteZH, c.NoteEN = strings.TrimSpace(c.Display), strings.TrimSpace(c.NoteZH), strings.TrimSpace(c.NoteEN)
	if c.Display == "" {
		c.Display = strings.TrimSpace(c.Value)
	}
	for _, s := range []string{c.Display, c.NoteZH, c.NoteEN} {
		if utf8.RuneCountInString(s) > 200 {
			return okcare.Errorf(okcare.EINVALID, "The shown form and the notes are at most 200 characters each.")
		}
	}
	c.ID, c.Value, c.AddedBy = token.ID("och_"), value, actor
	err = db.inTx(ctx, func(tx *Tx) error {
		c.AddedAt = fromMicros(micros(tx.now))
		if _, err := tx.exec(ctx, `INSERT INTO official_channels (id, kind, value, display, note_zh, note_en, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Kind, c.Value, c.Display, c.NoteZH, c.NoteEN, actor, micros(tx.now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "channel.add", "channel:"+c.ID, map[string]string{"kind": c.Kind, "value": c.Value})
	})
	if err != nil && db.dialect.IsUniqueViolation(err) {
		return okcare.Errorf(okcare.ECONFLICT, "This %s channel is on the list already.", c.Kind)
	}
	return err
}

// RemoveOfficialChannel takes a channel off the list; its row stays, as
// history.
func (db *DB) RemoveOfficialChannel(ctx context.Context, id, actor string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var kind, value string
		var gone sql.NullInt64
		err := tx.queryRow(ctx, `SELECT kind, value, removed_at FROM official_channels WHERE id = ?`+tx.db.dialect.ForUpdate, id).Scan(&kind, &value, &gone)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return okcare.Errorf(okcare.ENOTFOUND, "No such channel.")
		case err != nil:
			return err
		case gone.Valid:
			return okcare.Errorf(okcare.ECONFLICT, "This channel was taken off the list already.")
		}
		if _, err := tx.exec(ctx, `UPDATE official_channels SET removed_by = ?, removed_at = ? WHERE id = ?`, actor, micros(tx.now), id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "channel.remove", "channel:"+id, map[string]string{"kind": kind, "value": value})
	})
}
