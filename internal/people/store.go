package people

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// personCols are the columns scanPerson reads, from people aliased p.
const personCols = `p.id, COALESCE(p.user_id, ''), p.given_name, p.family_name, COALESCE(p.email, ''),
	COALESCE(p.phone, ''), p.address_line1, p.address_line2, p.locality, p.region, p.postcode,
	p.postcode_district, p.country, p.latitude, p.longitude, p.language, p.membership_status,
	p.member_since, p.lapsed_at, p.last_active_at, p.erased_at, p.ladder, p.source, p.source_detail,
	p.custom_fields, p.show_name, p.created_at, p.updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanPerson(r scanner, extra ...any) (*Person, error) {
	var p Person
	var lat, lng sql.NullFloat64
	var since, lapsed, active, erased sql.NullTime
	var custom string
	a := &p.Address
	dest := []any{&p.ID, &p.UserID, &p.GivenName, &p.FamilyName, &p.Email, &p.Phone,
		&a.Line1, &a.Line2, &a.Locality, &a.Region, &a.Postcode, &a.District, &a.Country,
		&lat, &lng, &p.Language, &p.MembershipStatus, &since, &lapsed, &active, &erased,
		&p.Ladder, &p.Source, &p.SourceDetail, &custom, &p.ShowName, &p.CreatedAt, &p.UpdatedAt}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if lat.Valid && lng.Valid {
		p.Location = &geo.Point{Lat: lat.Float64, Lng: lng.Float64}
	}
	p.MemberSince, p.LapsedAt = timePtr(since), timePtr(lapsed)
	p.LastActiveAt, p.ErasedAt = timePtr(active), timePtr(erased)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.CustomFields = map[string]string{}
	if err := json.Unmarshal([]byte(custom), &p.CustomFields); err != nil {
		return nil, fmt.Errorf("person %s: custom fields: %w", p.ID, err)
	}
	return &p, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullStr stores "" as NULL (email and phone are NULL when absent).
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// findPerson reads one person with emails, phones, tags and consents.
func findPerson(ctx context.Context, q db.Querier, id string) (*Person, error) {
	p, err := scanPerson(q.QueryRow(ctx, `SELECT `+personCols+` FROM people p WHERE p.id = ?`, id))
	if err != nil {
		return nil, db.NotFound(err, "person "+id)
	}
	if err := loadDetails(ctx, q, []*Person{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// queryPeople runs a query selecting personCols and loads their details in
// four more queries, whatever the number of people.
func queryPeople(ctx context.Context, q db.Querier, query string, args ...any) ([]*Person, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, loadDetails(ctx, q, out)
}

// loadDetails fills Emails, Phones, Tags and Consents of a page of people.
func loadDetails(ctx context.Context, q db.Querier, ps []*Person) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[string]*Person, len(ps))
	ids := make([]any, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		ids[i] = p.ID
		p.Consents = map[string]Consent{}
		p.Emails, p.Phones, p.Tags = nil, nil, nil
	}
	in := "(" + placeholders(len(ids)) + ")"
	each := func(query string, fn func(r *sql.Rows) error) error {
		rows, err := q.Query(ctx, query, ids...)
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
	var pid, v string
	err := each(`SELECT person_id, address FROM person_emails WHERE person_id IN `+in+` ORDER BY created_at, address`, func(r *sql.Rows) error {
		if err := r.Scan(&pid, &v); err != nil {
			return err
		}
		byID[pid].Emails = append(byID[pid].Emails, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load emails: %w", err)
	}
	err = each(`SELECT person_id, number FROM person_phones WHERE person_id IN `+in+` ORDER BY created_at, number`, func(r *sql.Rows) error {
		if err := r.Scan(&pid, &v); err != nil {
			return err
		}
		byID[pid].Phones = append(byID[pid].Phones, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load phones: %w", err)
	}
	err = each(`SELECT pt.person_id, t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
		WHERE pt.person_id IN `+in+` ORDER BY t.name_key`, func(r *sql.Rows) error {
		if err := r.Scan(&pid, &v); err != nil {
			return err
		}
		byID[pid].Tags = append(byID[pid].Tags, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	err = each(`SELECT person_id, channel, status, source, wording, changed_at FROM consents WHERE person_id IN `+in, func(r *sql.Rows) error {
		var c Consent
		if err := r.Scan(&pid, &c.Channel, &c.Status, &c.Source, &c.Wording, &c.ChangedAt); err != nil {
			return err
		}
		c.ChangedAt = c.ChangedAt.UTC()
		byID[pid].Consents[c.Channel] = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("load consents: %w", err)
	}
	for _, p := range ps {
		primaryFirst(p.Emails, p.Email)
		primaryFirst(p.Phones, p.Phone)
	}
	return nil
}

// primaryFirst moves the primary value to the front, keeping the others' order.
func primaryFirst(vs []string, primary string) {
	sort.SliceStable(vs, func(i, j int) bool { return vs[i] == primary && vs[j] != primary })
}

// insertPerson writes a new person row and their email and phone rows.
func insertPerson(ctx context.Context, tx *db.Tx, p *Person) error {
	custom, err := json.Marshal(p.CustomFields)
	if err != nil {
		return err
	}
	a := p.Address
	var lat, lng any
	if p.Location != nil {
		lat, lng = p.Location.Lat, p.Location.Lng
	}
	_, err = tx.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, email_key, name_key, phone,
		address_line1, address_line2, locality, region, postcode, postcode_district, country, latitude, longitude,
		language, source, source_detail, custom_fields, show_name, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, nullStr(p.UserID), p.GivenName, p.FamilyName, nullStr(p.Email), nullStr(EmailKey(p.Email)),
		NameKey(p.GivenName, p.FamilyName), nullStr(p.Phone), a.Line1, a.Line2, a.Locality, a.Region, a.Postcode,
		a.District, a.Country, lat, lng, p.Language, p.Source, p.SourceDetail, string(custom), p.ShowName,
		p.CreatedAt, p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert person: %w", err)
	}
	return addContacts(ctx, tx, p.ID, p.Email, p.Phone, p.CreatedAt)
}

// addContacts records an email and a phone number as the person's (either may be "").
func addContacts(ctx context.Context, tx *db.Tx, personID, email, phone string, at time.Time) error {
	if email != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO person_emails (address, person_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (address) DO NOTHING`, email, personID, at); err != nil {
			return fmt.Errorf("add email: %w", err)
		}
	}
	if phone != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO person_phones (number, person_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (number, person_id) DO NOTHING`, phone, personID, at); err != nil {
			return fmt.Errorf("add phone: %w", err)
		}
	}
	return nil
}

// emailOwner returns the id of the person holding an address, or "".
func emailOwner(ctx context.Context, q db.Querier, email string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT person_id FROM person_emails WHERE address = ?`, email).Scan(&id)
	if db.IsNotFound(err) {
		return "", nil
	}
	return id, err
}

// updatePerson writes the editable columns of p.
func updatePerson(ctx context.Context, tx *db.Tx, p *Person) error {
	custom, err := json.Marshal(p.CustomFields)
	if err != nil {
		return err
	}
	a := p.Address
	var lat, lng any
	if p.Location != nil {
		lat, lng = p.Location.Lat, p.Location.Lng
	}
	_, err = tx.Exec(ctx, `UPDATE people SET given_name = ?, family_name = ?, email = ?, email_key = ?, name_key = ?,
		phone = ?, address_line1 = ?, address_line2 = ?, locality = ?, region = ?, postcode = ?, postcode_district = ?,
		country = ?, latitude = ?, longitude = ?, language = ?, custom_fields = ?, show_name = ?, updated_at = ?
		WHERE id = ?`,
		p.GivenName, p.FamilyName, nullStr(p.Email), nullStr(EmailKey(p.Email)), NameKey(p.GivenName, p.FamilyName),
		nullStr(p.Phone), a.Line1, a.Line2, a.Locality, a.Region, a.Postcode, a.District, a.Country, lat, lng,
		p.Language, string(custom), p.ShowName, p.UpdatedAt, p.ID)
	if err != nil {
		return fmt.Errorf("update person %s: %w", p.ID, err)
	}
	return nil
}

// personGroups lists the groups a person belongs to (active, or asking to join: an invitation alone shows an organiser nothing).
func personGroups(ctx context.Context, q db.Querier, personID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT group_id FROM group_members WHERE person_id = ? AND status IN ('active', 'requested') ORDER BY group_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("groups of person %s: %w", personID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// loadFields reads every custom field definition.
func loadFields(ctx context.Context, q db.Querier) ([]FieldDef, error) {
	rows, err := q.Query(ctx, `SELECT key, label, kind, choices, created_at FROM custom_field_defs ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("custom fields: %w", err)
	}
	defer rows.Close()
	var out []FieldDef
	for rows.Next() {
		var f FieldDef
		var choices string
		if err := rows.Scan(&f.Key, &f.Label, &f.Kind, &choices, &f.CreatedAt); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(choices), &f.Choices)
		f.CreatedAt = f.CreatedAt.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}
