package people

import (
	"context"
	"fmt"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// ErasedLabel replaces an erased person's email where it was kept as the
// label of who recorded something (consent history). It matches
// auth.ErasedLabel.
const ErasedLabel = "erased person"

// Erase anonymises a person everywhere, on their request: names, emails,
// phone numbers, address, location, custom fields and notes go; consents
// are withdrawn and the wording they agreed to removed from the history;
// timeline summaries are blanked; the account is anonymised (through the
// AccountEraser) and stored mail to them deleted (through the
// RecipientForgetter). What aggregate figures need stays: the id, ladder
// rung, membership status and dates, postcode district, donation amounts
// and dates, the kinds and dates of actions, tags and group memberships.
// Erasing an erased person does nothing. Admins, and the person themself.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Erase(ctx context.Context, personID string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := findPerson(ctx, tx, personID)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return err
		}
		if err := s.canRights(ctx, tx, p, ActErase); err != nil {
			return err
		}
		if p.Erased() {
			return nil
		}
		if err := s.erase(ctx, tx, p); err != nil {
			return fmt.Errorf("erase person %s: %w", personID, err)
		}
		return nil
	})
}

func (s *Service) erase(ctx context.Context, tx *db.Tx, p *Person) error {
	now := s.now()
	emails := slices.Clone(p.Emails)
	if p.UserID != "" {
		var accountEmail string
		err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = ?`, p.UserID).Scan(&accountEmail)
		if err != nil && !db.IsNotFound(err) {
			return err
		}
		if accountEmail != "" && !slices.Contains(emails, accountEmail) {
			emails = append(emails, accountEmail)
		}
	}
	// Withdraw what was granted, in the history too, before labels are anonymised.
	for ch, c := range p.Consents {
		if c.Status != ConsentGranted {
			continue
		}
		_, err := tx.Exec(ctx, `INSERT INTO consent_history (id, person_id, channel, status, changed_at, source, wording, actor_label)
			VALUES (?, ?, ?, 'withdrawn', ?, 'erasure request', '', ?)`, db.NewID(), p.ID, ch, now, ErasedLabel)
		if err != nil {
			return err
		}
	}
	counts := map[string]any{}
	steps := []struct {
		name, query string
		args        []any
	}{
		{"", `UPDATE consents SET status = 'withdrawn', wording = '', source = 'erasure request', changed_at = ? WHERE person_id = ?`, []any{now, p.ID}},
		{"", `UPDATE consent_history SET wording = '', source = CASE WHEN source = 'erasure request' THEN source ELSE 'erased' END WHERE person_id = ?`, []any{p.ID}},
		{"emails", `DELETE FROM person_emails WHERE person_id = ?`, []any{p.ID}},
		{"phones", `DELETE FROM person_phones WHERE person_id = ?`, []any{p.ID}},
		{"notes", `DELETE FROM person_notes WHERE person_id = ?`, []any{p.ID}},
		{"actions", `UPDATE person_actions SET summary = '' WHERE person_id = ?`, []any{p.ID}},
		{"donations", `UPDATE donations SET external_id = NULL, source = '' WHERE person_id = ?`, []any{p.ID}},
		// Messaging's copies (issue 12): the address a broadcast went to,
		// notices waiting for a digest, notification choices, and SMS
		// replies. The suppression list keeps a bounced or stopped
		// address on purpose: it is what stops mail to it.
		{"broadcast_addresses", `UPDATE broadcast_recipients SET address = '' WHERE person_id = ?`, []any{p.ID}},
		{"", `DELETE FROM notification_digest WHERE person_id = ?`, []any{p.ID}},
		{"", `DELETE FROM notification_prefs WHERE person_id = ?`, []any{p.ID}},
		{"", `DELETE FROM sms_inbound WHERE person_id = ?`, []any{p.ID}},
		{"", `UPDATE people SET given_name = '', family_name = '', email = NULL, email_key = NULL, name_key = '', phone = NULL,
			address_line1 = '', address_line2 = '', locality = '', region = '', postcode = '', latitude = NULL, longitude = NULL,
			custom_fields = '{}', source_detail = '', show_name = ?, erased_at = ?, updated_at = ? WHERE id = ?`,
			[]any{false, now, now, p.ID}},
	}
	if len(emails) > 0 {
		// The person may have recorded consents (their own or, as an
		// organiser, others'): their address goes from those labels too.
		steps = append(steps, struct {
			name, query string
			args        []any
		}{"", `UPDATE consent_history SET actor_label = ? WHERE actor_label IN (` + placeholders(len(emails)) + `)`,
			append([]any{ErasedLabel}, anys(emails)...)})
	}
	for _, st := range steps {
		res, err := tx.Exec(ctx, st.query, st.args...)
		if err != nil {
			return err
		}
		if st.name != "" {
			n, _ := res.RowsAffected()
			counts[st.name] = n
		}
	}
	for _, e := range emails {
		if _, err := s.mail.ForgetRecipient(ctx, tx, e); err != nil {
			return err
		}
	}
	if err := insertAction(ctx, tx, Action{ID: db.NewID(), PersonID: p.ID, Kind: "person.erased", At: now}); err != nil {
		return err
	}
	// Audited before the account is anonymised, so that a self-erasure's
	// own entry loses the person's email label with the rest.
	if err := audit.Record(ctx, tx, "person.erased", "person", p.ID, counts); err != nil {
		return err
	}
	if p.UserID != "" {
		if err := s.accounts.EraseAccount(ctx, tx, p.UserID); err != nil {
			return err
		}
	}
	return nil
}
