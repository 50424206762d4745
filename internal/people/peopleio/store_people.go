package peopleio

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// updatePerson writes back the fields an import may change.
func updatePerson(ctx context.Context, tx *db.Tx, p *person, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE people SET given_name = ?, family_name = ?, email = ?, phone = ?, email_key = ?,
		name_key = ?, address_line1 = ?, address_line2 = ?, locality = ?, region = ?, postcode = ?,
		postcode_district = ?, latitude = ?, longitude = ?, membership_status = ?, member_since = ?,
		lapsed_at = COALESCE(?, lapsed_at), custom_fields = ?, updated_at = ? WHERE id = ?`,
		p.given, p.family, nullStr(p.email), nullStr(p.phone), nullStr(emailKey(p.email)), nameKey(p.given, p.family),
		p.addr1, p.addr2, p.locality, p.region, p.postcode, p.district, p.lat, p.lng, p.membership,
		p.memberSince, p.lapsedAt, p.customJSON, now, p.id)
	if err != nil {
		return fmt.Errorf("update person %s: %w", p.id, err)
	}
	return nil
}

// refreshLadders recomputes the rung of people whose membership or
// donations an import changed, and puts each move on their timeline as the
// people service does ("ladder.changed"). It mirrors the lower rungs of
// people's ladderExpr (member, then donor, then supporter); active and
// organiser come from what people do, which an import does not change.
func refreshLadders(ctx context.Context, tx *db.Tx, ids []string, now time.Time) error {
	type change struct{ id, from, to string }
	var cs []change
	err := queryIn(ctx, tx, `SELECT id, ladder, CASE
			WHEN ladder IN ('active', 'organiser') THEN ladder
			WHEN membership_status = 'member' THEN 'member'
			WHEN EXISTS (SELECT 1 FROM donations d WHERE d.person_id = people.id) THEN 'donor'
			ELSE 'supporter' END FROM people WHERE id IN (?)`, ids, func(r *sql.Rows) error {
		var c change
		err := r.Scan(&c.id, &c.from, &c.to)
		if c.from != c.to {
			cs = append(cs, c)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("ladders: %w", err)
	}
	for _, c := range cs {
		if _, err := tx.Exec(ctx, `UPDATE people SET ladder = ? WHERE id = ?`, c.to, c.id); err != nil {
			return fmt.Errorf("set ladder: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO person_actions (id, person_id, at, kind, summary) VALUES (?, ?, ?, ?, ?)`,
			db.NewID(), c.id, now, "ladder.changed", c.from+" → "+c.to); err != nil {
			return fmt.Errorf("ladder action: %w", err)
		}
	}
	return nil
}

// customKinds reads the custom field definitions: key → kind and choices.
func customKinds(ctx context.Context, q db.Querier) (map[string]customDef, error) {
	rows, err := q.Query(ctx, `SELECT key, kind, choices FROM custom_field_defs`)
	if err != nil {
		return nil, fmt.Errorf("custom fields: %w", err)
	}
	defer rows.Close()
	out := map[string]customDef{}
	for rows.Next() {
		var key, choices string
		var d customDef
		if err := rows.Scan(&key, &d.kind, &choices); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(choices), &d.choices)
		out[key] = d
	}
	return out, rows.Err()
}
