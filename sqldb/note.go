package sqldb

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/okcare/okcare"
)

// Notes okcare writes on tickets are stored twice over: the English
// sentence in body, for the API and for anything that reads the table, and
// in the note column as a key with its arguments, so that the console can
// say it in the reader's language. The column holds {"v":1,"key":...,
// "args":{...}}; notes written before it existed have none and are shown as
// their body.
const noteVersion = 1

// Note keys, with the English sentence each one stands for. Arguments named
// by, requested_by and assignee are actors ("agent:<id>", "system"); due
// is a time in RFC 3339.
const (
	NoteFollowUpScheduled     = "followup_scheduled"
	NoteFollowUpCanceled      = "followup_canceled"
	NoteStatusSet             = "status_set"
	NotePrioritySet           = "priority_set"
	NoteAutoSolved            = "auto_solved"
	NoteReminderSent          = "reminder_sent"
	NoteMacroApplied          = "macro_applied"
	NoteIdentityCodeSent      = "identity_code_sent"
	NoteIdentityVerified      = "identity_verified"
	NoteUnfreezeRequested     = "unfreeze_requested"
	NoteUnfreezeApproved      = "unfreeze_approved"
	NoteActionTaken           = "action_taken"
	NoteAssigned              = "assigned"
	NoteSLAFirstBreached      = "sla_first_breached"
	NoteSLAFirstWarning       = "sla_first_warning"
	NoteSLAResolutionBreached = "sla_resolution_breached"
	NoteSLAResolutionWarning  = "sla_resolution_warning"
	NoteCallLogged            = "call_logged"
	NoteSLARetimedFirst       = "sla_retimed_first"
	NoteSLARetimedResolution  = "sla_retimed_resolution"
)

// noteEnglish is the body each note key is written with.
var noteEnglish = map[string]string{
	NoteFollowUpScheduled:     "Follow-up scheduled for {due} by {by}.",
	NoteFollowUpCanceled:      "Follow-up {followup} canceled by {by}.",
	NoteStatusSet:             "Status set to {status} by {by}.",
	NotePrioritySet:           "Priority set to {priority} by {by}.",
	NoteAutoSolved:            "Solved automatically: no answer from the customer after the reminder.",
	NoteReminderSent:          "Reminder sent: pending on the customer.",
	NoteMacroApplied:          "Macro \"{macro}\" applied by {by}.",
	NoteIdentityCodeSent:      "Identity check started: code sent by {channel} to {to} (the account's registered contact).",
	NoteIdentityVerified:      "Identity verified: the customer read back the code sent to {to}.",
	NoteUnfreezeRequested:     "Unfreeze requested by {by}; waiting for a second staff member's approval ({approval}).",
	NoteUnfreezeApproved:      "Unfreeze approved by {by} (requested by {requested_by}); the account is active.",
	NoteActionTaken:           "Action {action} taken by {by} after identity verification.",
	NoteAssigned:              "Assigned to {assignee} by {by}.",
	NoteSLAFirstBreached:      "SLA breached: the first response was due {due}.",
	NoteSLAFirstWarning:       "SLA warning: the first response is due {due}.",
	NoteSLAResolutionBreached: "SLA breached: resolution was due {due}.",
	NoteSLAResolutionWarning:  "SLA warning: resolution is due {due}.",
	NoteCallLogged:            "Call by {by}: {outcome}",
	NoteSecretMasked:          "Secrets hidden from the customer's text before it was stored: {kinds}. The ticket is flagged “secret exposed” and urgent; the customer was warned.",
	NoteSLARetimedFirst:       "Target moved for the {year} holiday schedule: the first response is now due {due}.",
	NoteSLARetimedResolution:  "Target moved for the {year} holiday schedule: resolution is now due {due}.",
}

// NoteKeys lists every key the store writes notes with.
func NoteKeys() []string {
	keys := make([]string, 0, len(noteEnglish))
	for k := range noteEnglish {
		keys = append(keys, k)
	}
	return keys
}

// noteTime is how a time travels in a note's arguments.
func noteTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// englishNote is the body of a note: its sentence with the arguments put
// in, times in Beijing time as the team reads them.
func englishNote(n *okcare.Note) string {
	s := noteEnglish[n.Key]
	for k, v := range n.Args {
		if k == "due" {
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = beijingTime(t)
			}
		}
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// addNote writes an internal note by the system on a ticket.
func addNote(ctx context.Context, tx *Tx, ticketID, key string, args map[string]string) error {
	n := &okcare.Note{Key: key, Args: args}
	return insertTicketMessage(ctx, tx, &okcare.TicketMessage{TicketID: ticketID, Author: "system", Public: false, Body: englishNote(n), Note: n})
}

// storedNote is the note column's value for n.
func storedNote(n *okcare.Note) string {
	if n == nil {
		return ""
	}
	b, _ := json.Marshal(struct {
		V    int               `json:"v"`
		Key  string            `json:"key"`
		Args map[string]string `json:"args,omitempty"`
	}{noteVersion, n.Key, n.Args})
	return string(b)
}

// loadNote reads the note column; a value it cannot read (empty, or of a
// later version) leaves the message as its body.
func loadNote(s string) *okcare.Note {
	if s == "" {
		return nil
	}
	var v struct {
		V    int               `json:"v"`
		Key  string            `json:"key"`
		Args map[string]string `json:"args"`
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil || v.V != noteVersion || v.Key == "" {
		return nil
	}
	return &okcare.Note{Key: v.Key, Args: v.Args}
}
