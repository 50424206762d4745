package peopleio

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// The tables an import writes.
var (
	peopleTable = &table{name: "people",
		cols: []string{"id", "given_name", "family_name", "email", "phone", "email_key", "name_key",
			"address_line1", "address_line2", "locality", "region", "postcode", "postcode_district", "country",
			"latitude", "longitude", "language", "membership_status", "member_since", "lapsed_at", "ladder",
			"source", "source_detail", "custom_fields", "created_at", "updated_at"},
		kinds: []kind{kText, kText, kText, kNullText, kNullText, kNullText, kText,
			kText, kText, kText, kText, kText, kText, kText,
			kFloat, kFloat, kText, kText, kNullTime, kNullTime, kText,
			kText, kText, kText, kTime, kTime}}
	emailsTable = &table{name: "person_emails", cols: []string{"address", "person_id", "created_at"},
		kinds: []kind{kText, kText, kTime}}
	phonesTable = &table{name: "person_phones", cols: []string{"number", "person_id", "created_at"},
		kinds: []kind{kText, kText, kTime}, suffix: "ON CONFLICT DO NOTHING"}
	tagsTable = &table{name: "person_tags", cols: []string{"tag_id", "person_id", "created_at"},
		kinds: []kind{kText, kText, kTime}, suffix: "ON CONFLICT DO NOTHING"}
	consentsTable = &table{name: "consents", cols: []string{"person_id", "channel", "status", "changed_at", "source", "wording"},
		kinds: []kind{kText, kText, kText, kTime, kText, kText},
		suffix: `ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status,
			changed_at = excluded.changed_at, source = excluded.source, wording = excluded.wording`}
	historyTable = &table{name: "consent_history",
		cols:  []string{"id", "person_id", "channel", "status", "changed_at", "source", "wording", "actor_label"},
		kinds: []kind{kText, kText, kText, kText, kTime, kText, kText, kText}}
	donationsTable = &table{name: "donations",
		cols:  []string{"id", "person_id", "amount_pence", "currency", "donated_at", "source", "external_id", "created_at"},
		kinds: []kind{kText, kText, kInt, kText, kTime, kText, kText, kTime}, suffix: "ON CONFLICT (external_id) DO NOTHING"}
	actionsTable = &table{name: "person_actions",
		cols:  []string{"id", "person_id", "at", "kind", "summary", "ref_type", "ref_id", "group_id", "participation"},
		kinds: []kind{kText, kText, kTime, kText, kText, kText, kText, kNullText, kBool}}
)

// inChunk is how many values one IN (…) list holds on SQLite.
const inChunk = 500

// queryIn runs query once per chunk of values, with "(?)" in query standing
// for the list: IN (?, ?, …) on SQLite, = ANY(array) on PostgreSQL (one
// query for the whole batch). Nothing runs for no values.
func queryIn(ctx context.Context, q db.Querier, query string, values []string, scan func(*sql.Rows) error) error {
	if len(values) == 0 {
		return nil
	}
	run := func(qs string, args ...any) error {
		rows, err := q.Query(ctx, qs, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if q.Dialect() == db.Postgres {
		return run(strings.Replace(query, "IN (?)", "= ANY(?)", 1), values)
	}
	for i := 0; i < len(values); i += inChunk {
		part := values[i:min(i+inChunk, len(values))]
		args := make([]any, len(part))
		for j, v := range part {
			args[j] = v
		}
		list := "IN (" + strings.TrimSuffix(strings.Repeat("?,", len(part)), ",") + ")"
		if err := run(strings.Replace(query, "IN (?)", list, 1), args...); err != nil {
			return err
		}
	}
	return nil
}

// phoneOwner is a person holding a number, and whether they have an email
// address of their own.
type phoneOwner struct {
	personID string
	hasEmail bool
}

// existing is what the database already holds about a batch's keys.
type existing struct {
	emails map[string]string       // address → person id
	phones map[string][]phoneOwner // number → holders, oldest first
	names  map[string]string       // postcode + "|" + name key → person id (people with no email or phone)
	extIDs map[string]bool         // donation external ids already recorded
}

func lookup(ctx context.Context, q db.Querier, emails, phones, extIDs []string) (*existing, error) {
	ex := &existing{emails: map[string]string{}, phones: map[string][]phoneOwner{}, names: map[string]string{}, extIDs: map[string]bool{}}
	err := queryIn(ctx, q, `SELECT address, person_id FROM person_emails WHERE address IN (?)`, emails, func(r *sql.Rows) error {
		var a, id string
		err := r.Scan(&a, &id)
		ex.emails[a] = id
		return err
	})
	if err == nil {
		err = queryIn(ctx, q, `SELECT pp.number, pp.person_id, p.email IS NOT NULL FROM person_phones pp
			JOIN people p ON p.id = pp.person_id WHERE pp.number IN (?) ORDER BY pp.person_id`, phones, func(r *sql.Rows) error {
			var n string
			var o phoneOwner
			err := r.Scan(&n, &o.personID, &o.hasEmail)
			ex.phones[n] = append(ex.phones[n], o)
			return err
		})
	}
	if err == nil {
		err = lookupDonations(ctx, q, extIDs, ex.extIDs)
	}
	if err != nil {
		return nil, fmt.Errorf("look up existing people: %w", err)
	}
	return ex, nil
}

// lookupDonations marks which of ids are recorded donations.
func lookupDonations(ctx context.Context, q db.Querier, ids []string, found map[string]bool) error {
	return queryIn(ctx, q, `SELECT external_id FROM donations WHERE external_id IN (?)`, ids, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		found[id] = true
		return err
	})
}

// nameKeyPair is a postcode and a people.NameKey.
type nameKeyPair struct{ postcode, name string }

// lookupNames finds people with no email address or phone number by
// postcode and name: how a row with neither is recognised again.
// It returns postcode + "|" + name key → id (the oldest such person).
func lookupNames(ctx context.Context, q db.Querier, pairs []nameKeyPair) (map[string]string, error) {
	out := map[string]string{}
	const chunk = 200
	for i := 0; i < len(pairs); i += chunk {
		part := pairs[i:min(i+chunk, len(pairs))]
		conds := make([]string, len(part))
		args := make([]any, 0, 2*len(part))
		for j, p := range part {
			conds[j] = "(postcode = ? AND name_key = ?)"
			args = append(args, p.postcode, p.name)
		}
		rows, err := q.Query(ctx, `SELECT id, postcode, name_key FROM people WHERE (`+strings.Join(conds, " OR ")+`)
			AND email IS NULL AND phone IS NULL AND erased_at IS NULL ORDER BY id`, args...)
		if err != nil {
			return nil, fmt.Errorf("look up people by name: %w", err)
		}
		for rows.Next() {
			var id, pc, nk string
			if err := rows.Scan(&id, &pc, &nk); err != nil {
				rows.Close()
				return nil, err
			}
			if _, dup := out[pc+"|"+nk]; !dup {
				out[pc+"|"+nk] = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// loadPeople reads the current state of the people a batch matched.
func loadPeople(ctx context.Context, q db.Querier, ids []string, withTags, withConsents bool) (map[string]*person, error) {
	out := make(map[string]*person, len(ids))
	err := queryIn(ctx, q, `SELECT id, given_name, family_name, COALESCE(email, ''), COALESCE(phone, ''),
		address_line1, address_line2, locality, region, postcode, postcode_district, country, latitude, longitude,
		membership_status, member_since, ladder, custom_fields, created_at FROM people WHERE id IN (?)`, ids, func(r *sql.Rows) error {
		p := &person{tags: map[string]bool{}}
		var lat, lng sql.NullFloat64
		var since sql.NullTime
		err := r.Scan(&p.id, &p.given, &p.family, &p.email, &p.phone, &p.addr1, &p.addr2, &p.locality, &p.region,
			&p.postcode, &p.district, &p.country, &lat, &lng, &p.membership, &since, &p.ladder, &p.customJSON, &p.createdAt)
		if lat.Valid && lng.Valid {
			p.lat, p.lng = &lat.Float64, &lng.Float64
		}
		if since.Valid {
			t := since.Time.UTC()
			p.memberSince = &t
		}
		out[p.id] = p
		return err
	})
	if err == nil && withTags {
		err = queryIn(ctx, q, `SELECT person_id, tag_id FROM person_tags WHERE person_id IN (?)`, ids, func(r *sql.Rows) error {
			var pid, tid string
			err := r.Scan(&pid, &tid)
			if p := out[pid]; p != nil {
				p.tags[tid] = true
			}
			return err
		})
	}
	if err == nil && withConsents {
		err = queryIn(ctx, q, `SELECT person_id, channel, status FROM consents WHERE person_id IN (?)`, ids, func(r *sql.Rows) error {
			var pid, ch, st string
			err := r.Scan(&pid, &ch, &st)
			if p := out[pid]; p != nil {
				if p.consents == nil {
					p.consents = map[string]string{}
				}
				p.consents[ch] = st
			}
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("load matched people: %w", err)
	}
	return out, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var errBusy = errors.New("another import of this file is running: wait for it to finish, or start it again once it has stopped")
