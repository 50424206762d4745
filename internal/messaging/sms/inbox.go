package sms

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/phone"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// PhoneConsents is what the inbox needs of person records: who has a
// number, and a change of their 'sms' consent, inside the inbox's
// transaction. smsweb.PeopleConsents adapts people.Service to it.
type PhoneConsents interface {
	// PersonIDsByPhone returns the people with the E.164 number (a
	// household may share one), at most a few dozen.
	PersonIDsByPhone(ctx context.Context, tx *db.Tx, e164 string) ([]string, error)
	// SetSMSConsent records the person's 'sms' consent as granted or
	// withdrawn, with its source and wording, in consent history.
	SetSMSConsent(ctx context.Context, tx *db.Tx, personID string, granted bool, source, wording string) error
}

// Inbox acts on the replies the provider's webhook delivers.
type Inbox struct {
	d   InboxDeps
	log *slog.Logger
	now func() time.Time
}

// InboxDeps is everything an Inbox needs; all but Log and Now are required.
type InboxDeps struct {
	DB     *db.DB
	People PhoneConsents
	// SiteName is the network's name, in the replies ("Momentum" if empty).
	SiteName string
	Log      *slog.Logger
	Now      func() time.Time
}

// NewInbox returns the inbox, or an error naming a missing collaborator.
func NewInbox(d InboxDeps) (*Inbox, error) {
	if err := hook.Need("sms.NewInbox", "DB", d.DB, "People", d.People); err != nil {
		return nil, err
	}
	if d.SiteName == "" {
		d.SiteName = "Momentum"
	}
	in := &Inbox{d: d, log: d.Log, now: db.Now}
	if in.log == nil {
		in.log = slog.Default()
	}
	if d.Now != nil {
		in.now = func() time.Time { return d.Now().UTC().Truncate(time.Microsecond) }
	}
	return in, nil
}

// Inbound is one message someone sent to the network's number.
type Inbound struct {
	From       string // as the provider gave it; normalised to E.164 here
	Body       string
	ProviderID string // the provider's id (Twilio's MessageSid)
}

// Reply is what the inbox did with an Inbound, and what to answer.
type Reply struct {
	Action string // ActionStop, ActionStart, ActionHelp or ActionNone
	People int    // how many people have the number
	// Text is the answer to send back ("" for none).
	Text string
}

// Bounds on what is stored of an inbound message: the webhook is public,
// so every field is cut before it reaches the database.
const (
	maxBody = 320 // two SMS
	maxFrom = 32  // E.164 is at most 16; a short code or a sender ID less
	maxSID  = 64  // Twilio's are 34
	// maxPeople bounds how many people one number's STOP changes: a
	// household, or a shared office line, not a whole import with one
	// placeholder number.
	maxPeople = 50
)

// Receive acts on a message: a STOP withdraws the 'sms' consent of every
// person with the number (source "SMS reply STOP from +44…") and adds the
// number to suppressions, known or not, so no broadcast goes to it; a
// START grants the consent again (the person asked, by texting, to
// receive texts) and lifts a 'stop' suppression; HELP is answered; any
// other text is only recorded. Every message is recorded in sms_inbound.
// The caller has checked the request came from the provider.
//
// Errors: errs.Invalid (from) when the sender is empty.
func (in *Inbox) Receive(ctx context.Context, m Inbound) (Reply, error) {
	raw := strings.TrimSpace(m.From)
	if raw == "" {
		return Reply{}, errs.Fields(map[string]string{"From": "The sender's number is missing."})
	}
	number, err := phone.Normalize(raw, "")
	known := err == nil
	if !known {
		// A short code or an alphanumeric sender: keep it, bounded, so the
		// record says who wrote; no person has such a number.
		number = cut(raw, maxFrom)
	}
	body := cut(strings.TrimSpace(m.Body), maxBody)
	action := Keyword(m.Body)
	now := in.now()
	ctx = reqctx.WithActor(ctx, reqctx.Actor{Label: cut("sms:"+number, 60)})
	var ids []string
	err = in.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if known {
			if ids, err = in.d.People.PersonIDsByPhone(ctx, tx, number); err != nil {
				return err
			}
			if len(ids) > maxPeople {
				ids = ids[:maxPeople]
			}
		}
		switch action {
		case ActionStop:
			source := "SMS reply STOP from " + number
			for _, id := range ids {
				if err := in.d.People.SetSMSConsent(ctx, tx, id, false, source, ""); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO suppressions (address, reason, source, created_at) VALUES (?, 'stop', ?, ?)
				ON CONFLICT (address) DO NOTHING`, number, source, now); err != nil {
				return fmt.Errorf("suppress %s: %w", number, err)
			}
		case ActionStart:
			source := "SMS reply START from " + number
			wording := "Texted START to " + in.d.SiteName + "'s SMS number, asking for its text messages again (reply STOP to stop)."
			for _, id := range ids {
				if err := in.d.People.SetSMSConsent(ctx, tx, id, true, source, wording); err != nil {
					return err
				}
			}
			// Only a suppression the number's own STOP made: a number an
			// admin blocked stays blocked.
			if _, err := tx.Exec(ctx, `DELETE FROM suppressions WHERE address = ? AND reason = 'stop'`, number); err != nil {
				return fmt.Errorf("lift suppression of %s: %w", number, err)
			}
		}
		var first any
		if len(ids) > 0 {
			first = ids[0]
		}
		_, err := tx.Exec(ctx, `INSERT INTO sms_inbound (id, from_number, body, action, person_id, people, provider_id, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, db.NewID(), number, body, action, first, len(ids), cut(m.ProviderID, maxSID), now)
		if err != nil {
			return fmt.Errorf("record inbound sms: %w", err)
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	if action != ActionNone {
		in.log.InfoContext(ctx, "sms reply", "action", action, "people", len(ids))
	}
	return Reply{Action: action, People: len(ids), Text: in.answer(action)}, nil
}

// answer is the text sent back for an action. Twilio's own opt-out
// handling (on by default) also answers STOP, START and HELP and blocks
// the number at its end; a number that opted out there does not get ours.
func (in *Inbox) answer(action string) string {
	switch action {
	case ActionStop:
		return "You will get no more texts from " + in.d.SiteName + ". Reply START to get them again."
	case ActionStart:
		return "You will get texts from " + in.d.SiteName + " again. Reply STOP to stop them, HELP for help."
	case ActionHelp:
		return in.d.SiteName + ": campaign texts. Reply STOP to stop them, START to get them again."
	}
	return ""
}

// cut keeps at most n runes of s, and only valid UTF-8 (a NUL becomes a
// space: PostgreSQL cannot store one).
func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\x00", " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
