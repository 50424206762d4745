package people

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
)

func (d *Donation) validate(now time.Time) error {
	bad := map[string]string{}
	if d.AmountPence <= 0 {
		bad["amount_pence"] = "Give an amount above zero."
	}
	d.Currency = strings.ToUpper(strings.TrimSpace(d.Currency))
	if d.Currency == "" {
		d.Currency = "GBP"
	}
	if len(d.Currency) != 3 || !isUpperASCII(d.Currency) {
		bad["currency"] = "Use a three-letter currency code, like GBP."
	}
	if d.DonatedAt.IsZero() {
		d.DonatedAt = now
	}
	d.DonatedAt = d.DonatedAt.UTC().Truncate(time.Microsecond)
	if d.DonatedAt.After(now.Add(time.Minute)) {
		bad["donated_at"] = "The date of a donation cannot be in the future."
	}
	timebound.Check(bad, "donated_at", d.DonatedAt)
	d.Source, d.ExternalID = strings.TrimSpace(d.Source), strings.TrimSpace(d.ExternalID)
	if utf8.RuneCountInString(d.Source) > maxLineLen {
		bad["source"] = "Use at most 200 characters."
	}
	if utf8.RuneCountInString(d.ExternalID) > maxLineLen {
		bad["external_id"] = "Use at most 200 characters."
	}
	return errs.Fields(bad)
}

// AddDonation records money a person gave, which makes them a donor on the
// ladder (unless higher) and puts it on their timeline. A donation whose
// ExternalID is already recorded is skipped, so imports can run twice.
// Admins and the system only.
//
// Errors: errs.Invalid (amount_pence, currency, donated_at, source,
// external_id), errs.NotFound, errs.Forbidden.
func (s *Service) AddDonation(ctx context.Context, personID string, d Donation) error {
	if err := s.can(ctx, ActDonations, auth.Resource{Kind: "person", ID: personID}); err != nil {
		return err
	}
	now := s.now()
	if err := d.validate(now); err != nil {
		return err
	}
	d.ID = db.NewID()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM people WHERE id = ?`, personID).Scan(&one)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return fmt.Errorf("add donation: %w", err)
		}
		res, err := tx.Exec(ctx, `INSERT INTO donations (id, person_id, amount_pence, currency, donated_at, source, external_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (external_id) DO NOTHING`,
			d.ID, personID, d.AmountPence, d.Currency, d.DonatedAt, d.Source, nullStr(d.ExternalID), now)
		if err != nil {
			return fmt.Errorf("add donation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		err = insertAction(ctx, tx, Action{ID: db.NewID(), PersonID: personID, Kind: "donation",
			Summary: formatAmount(d.AmountPence, d.Currency), RefType: "donation", RefID: d.ID, At: d.DonatedAt})
		if err != nil {
			return err
		}
		if err := refreshLadder(ctx, tx, now, personID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "person.donation_added", "person", personID,
			map[string]any{"donation_id": d.ID, "amount_pence": d.AmountPence, "currency": d.Currency})
	})
}

// formatAmount writes an amount for people: "£12.50", "EUR 3.00".
func formatAmount(pence int64, currency string) string {
	sym := map[string]string{"GBP": "£", "EUR": "€", "USD": "$"}[currency]
	if sym == "" {
		sym = currency + " "
	}
	return fmt.Sprintf("%s%d.%02d", sym, pence/100, pence%100)
}

// Donations returns a person's donations, newest first (at most 1,000).
// Admins and the person themself; organisers never see donations.
//
// Errors: errs.NotFound, errs.Forbidden.
func (s *Service) Donations(ctx context.Context, personID string) ([]Donation, error) {
	q := s.db.Q()
	if err := s.requireFullAccess(ctx, q, personID, "Only admins and the person themself can see their donations."); err != nil {
		return nil, err
	}
	return donationsOf(ctx, q, personID)
}

func donationsOf(ctx context.Context, q db.Querier, personID string) ([]Donation, error) {
	rows, err := q.Query(ctx, `SELECT id, amount_pence, currency, donated_at, source, COALESCE(external_id, '')
		FROM donations WHERE person_id = ? ORDER BY donated_at DESC, id DESC LIMIT 1000`, personID)
	if err != nil {
		return nil, fmt.Errorf("donations: %w", err)
	}
	defer rows.Close()
	var out []Donation
	for rows.Next() {
		var d Donation
		if err := rows.Scan(&d.ID, &d.AmountPence, &d.Currency, &d.DonatedAt, &d.Source, &d.ExternalID); err != nil {
			return nil, err
		}
		d.DonatedAt = d.DonatedAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// DefineField adds a custom field to every person record, or changes an
// existing field's label and choices (never its kind). Admins only.
//
// Errors: errs.Invalid (key, label, kind, choices), errs.Conflict when the
// kind would change, errs.Forbidden.
func (s *Service) DefineField(ctx context.Context, f FieldDef) error {
	if err := s.can(ctx, ActFields, auth.Resource{Kind: "person_field", ID: f.Key}); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	choices, _ := json.Marshal(f.Choices)
	if f.Choices == nil {
		choices = []byte("[]")
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var kind string
		err := tx.QueryRow(ctx, `SELECT kind FROM custom_field_defs WHERE key = ?`, f.Key).Scan(&kind)
		switch {
		case db.IsNotFound(err):
			_, err = tx.Exec(ctx, `INSERT INTO custom_field_defs (key, label, kind, choices, created_at) VALUES (?, ?, ?, ?, ?)`,
				f.Key, f.Label, f.Kind, string(choices), s.now())
		case err != nil:
		case kind != f.Kind:
			return errs.E(errs.Conflict, "A field's kind cannot change: define a new field instead.")
		default:
			_, err = tx.Exec(ctx, `UPDATE custom_field_defs SET label = ?, choices = ? WHERE key = ?`, f.Label, string(choices), f.Key)
		}
		if err != nil {
			return fmt.Errorf("define field %s: %w", f.Key, err)
		}
		return audit.Record(ctx, tx, "person_field.defined", "person_field", f.Key, map[string]any{"kind": f.Kind})
	})
}

// Fields returns the custom field definitions, by key. Any signed-in user
// (forms need them).
//
// Errors: errs.Unauthorized.
func (s *Service) Fields(ctx context.Context) ([]FieldDef, error) {
	if err := s.can(ctx, ActFieldsView, auth.Resource{Kind: "person_field"}); err != nil {
		return nil, err
	}
	return loadFields(ctx, s.db.Q())
}

// ManageFields returns the custom field definitions for the page where
// they are defined: admins only.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) ManageFields(ctx context.Context) ([]FieldDef, error) {
	if err := s.can(ctx, ActFields, auth.Resource{Kind: "person_field"}); err != nil {
		return nil, err
	}
	return loadFields(ctx, s.db.Q())
}
