package people

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// exportData reads every row about p (already loaded with its details).
func exportData(ctx context.Context, q db.Querier, p *Person) (*DataExport, error) {
	out := &DataExport{Person: *p}
	var err error
	if p.UserID != "" {
		var a AccountData
		err := q.QueryRow(ctx, `SELECT id, email, name, role, created_at FROM users WHERE id = ?`, p.UserID).
			Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.CreatedAt)
		if err != nil && !db.IsNotFound(err) {
			return nil, fmt.Errorf("account: %w", err)
		} else if err == nil {
			a.CreatedAt = a.CreatedAt.UTC()
			out.Account = &a
		}
	}
	contacts := func(query string) ([]ContactRecord, error) {
		var cs []ContactRecord
		err := eachRow(ctx, q, query, []any{p.ID}, func(r *sql.Rows) error {
			var c ContactRecord
			err := r.Scan(&c.Value, &c.AddedAt)
			c.AddedAt = c.AddedAt.UTC()
			cs = append(cs, c)
			return err
		})
		return cs, err
	}
	if out.Emails, err = contacts(`SELECT address, created_at FROM person_emails WHERE person_id = ? ORDER BY created_at, address`); err != nil {
		return nil, err
	}
	if out.Phones, err = contacts(`SELECT number, created_at FROM person_phones WHERE person_id = ? ORDER BY created_at, number`); err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT t.name, pt.created_at FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
		WHERE pt.person_id = ? ORDER BY t.name_key`, []any{p.ID}, func(r *sql.Rows) error {
		var t TagRecord
		err := r.Scan(&t.Name, &t.TaggedAt)
		t.TaggedAt = t.TaggedAt.UTC()
		out.Tags = append(out.Tags, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, ch := range Channels {
		if c, ok := p.Consents[ch]; ok {
			out.Consents = append(out.Consents, c)
		}
	}
	if out.ConsentHistory, err = consentHistory(ctx, q, p.ID); err != nil {
		return nil, err
	}
	notes, err := queryNotesAll(ctx, q, p.ID)
	if err != nil {
		return nil, err
	}
	out.Notes = notes
	err = eachRow(ctx, q, `SELECT id, amount_pence, currency, donated_at, source, COALESCE(external_id, '')
		FROM donations WHERE person_id = ? ORDER BY donated_at, id`, []any{p.ID}, func(r *sql.Rows) error {
		var d Donation
		err := r.Scan(&d.ID, &d.AmountPence, &d.Currency, &d.DonatedAt, &d.Source, &d.ExternalID)
		d.DonatedAt = d.DonatedAt.UTC()
		out.Donations = append(out.Donations, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.Actions, err = queryActions(ctx, q, `SELECT `+actionCols+` FROM person_actions WHERE person_id = ? ORDER BY at, id`, p.ID); err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT group_id, role, status, joined_at FROM group_members WHERE person_id = ? ORDER BY group_id`,
		[]any{p.ID}, func(r *sql.Rows) error {
			var m GroupMembership
			var joined sql.NullTime
			err := r.Scan(&m.GroupID, &m.Role, &m.Status, &joined)
			m.JoinedAt = timePtr(joined)
			out.Memberships = append(out.Memberships, m)
			return err
		})
	if err != nil {
		return nil, err
	}
	if p.UserID != "" {
		if out.Lists, err = queryLists(ctx, q, "created_by = ? ORDER BY created_at, id", p.UserID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func queryNotesAll(ctx context.Context, q db.Querier, personID string) ([]Note, error) {
	var out []Note
	err := eachRow(ctx, q, `SELECT id, person_id, COALESCE(author_id, ''), COALESCE(group_id, ''), body, created_at
		FROM person_notes WHERE person_id = ? ORDER BY created_at, id`, []any{personID}, func(r *sql.Rows) error {
		var n Note
		err := r.Scan(&n.ID, &n.PersonID, &n.AuthorID, &n.GroupID, &n.Body, &n.CreatedAt)
		n.CreatedAt = n.CreatedAt.UTC()
		out = append(out, n)
		return err
	})
	return out, err
}

// eachRow runs a query and calls fn for each row.
func eachRow(ctx context.Context, q db.Querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
