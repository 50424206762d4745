package people

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

const (
	defaultLimit = 50
	maxLimit     = 500
	eachPage     = 1000
)

// normalize checks a filter and puts it in canonical form.
// Errors: errs.Fields naming tags, ladder, consent, districts, within_km,
// text, membership_status.
func (f *Filter) normalize() error {
	bad := map[string]string{}
	var tags []string
	for _, t := range f.Tags {
		name, err := cleanTag(t)
		if err != nil {
			bad["tags"] = "Use tags of 1 to 100 characters."
			continue
		}
		if !slices.Contains(tags, strings.ToLower(name)) {
			tags = append(tags, strings.ToLower(name))
		}
	}
	f.Tags = tags
	for _, l := range f.Ladder {
		if !slices.Contains(Ladder, l) {
			bad["ladder"] = "Choose among supporter, donor, member, active and organiser."
		}
	}
	if f.Consent != "" && !slices.Contains(Channels, f.Consent) {
		bad["consent"] = "Choose email, sms, phone or post."
	}
	var ds []string
	for _, d := range f.Districts {
		d = strings.ToUpper(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		if _, district, ok := geo.NormalizePostcode(d); ok && district == strings.ReplaceAll(d, " ", "") {
			d = district
		} else if len(d) > 2 || geo.Area(d+"1") != d {
			bad["districts"] = "Use postcode districts like E8, or areas like E."
			continue
		}
		if !slices.Contains(ds, d) {
			ds = append(ds, d)
		}
	}
	f.Districts = ds
	if f.Near != nil && (!f.Near.Valid() || f.WithinKm <= 0 || f.WithinKm > 1000) {
		bad["within_km"] = "Give a valid point and a distance between 0 and 1000 km."
	}
	f.Text = strings.TrimSpace(f.Text)
	if len(f.Text) > 200 {
		bad["text"] = "Use at most 200 characters."
	}
	if f.MembershipStatus != "" && !slices.Contains([]string{StatusSupporter, StatusMember, StatusLapsed}, f.MembershipStatus) {
		bad["membership_status"] = "Choose supporter, member or lapsed."
	}
	// issue 16: the ticked people of the list.
	var ids []string
	for _, id := range f.IDs {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	f.IDs = ids
	if len(f.IDs) > maxBulk {
		bad["id"] = "Choose at most 500 people."
	}
	if f.Limit <= 0 {
		f.Limit = defaultLimit
	}
	f.Limit = min(f.Limit, maxLimit)
	return errs.Fields(bad)
}

// condition is a WHERE clause on people p, built from a filter.
type condition struct {
	conds []string
	args  []any
	// none: the filter cannot match anyone (an unknown tag).
	none bool
}

func (c *condition) add(cond string, args ...any) {
	c.conds = append(c.conds, cond)
	c.args = append(c.args, args...)
}

func (c *condition) sql() string {
	if len(c.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(c.conds, " AND ")
}

// likeEscape escapes LIKE's wildcards; queries say ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// buildCondition turns a normalised filter into SQL. The queries are
// written for the indexes: each tag is a lookup in person_tags' primary key
// (tag_id, person_id), districts use people (postcode_district, id), and
// paging is by id, so a page reads about as many rows as it shows.
// namesOnly limits Text to names (organisers may not search by email).
func buildCondition(ctx context.Context, q db.Querier, f *Filter, namesOnly bool) (*condition, error) {
	c := &condition{}
	if len(f.Tags) > 0 {
		rows, err := q.Query(ctx, `SELECT id FROM tags WHERE name_key IN (`+placeholders(len(f.Tags))+`) ORDER BY id`, anys(f.Tags)...)
		if err != nil {
			return nil, fmt.Errorf("filter tags: %w", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) < len(f.Tags) {
			c.none = true
		}
		for _, id := range ids {
			c.add(`EXISTS (SELECT 1 FROM person_tags pt WHERE pt.tag_id = ? AND pt.person_id = p.id)`, id)
		}
	}
	if f.GroupID != "" {
		c.add(`EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.person_id = p.id AND gm.status IN ('active', 'requested'))`, f.GroupID)
	}
	if len(f.Ladder) == 1 {
		c.add(`p.ladder = ?`, f.Ladder[0])
	} else if len(f.Ladder) > 1 {
		c.add(`p.ladder IN (`+placeholders(len(f.Ladder))+`)`, anys(f.Ladder)...)
	}
	if f.Consent != "" {
		c.add(`EXISTS (SELECT 1 FROM consents co WHERE co.person_id = p.id AND co.channel = ? AND co.status = 'granted')`, f.Consent)
	}
	if len(f.Districts) > 0 {
		var ors []string
		var args []any
		var exact []string
		for _, d := range f.Districts {
			if geo.Area(d) == d { // an area: every district of it ("E" → E1…E20, not EC1)
				ors = append(ors, `(p.postcode_district >= ? AND p.postcode_district < ?)`)
				args = append(args, d+"0", d+":")
			} else {
				exact = append(exact, d)
			}
		}
		if len(exact) == 1 {
			ors = append(ors, `p.postcode_district = ?`)
		} else if len(exact) > 1 {
			ors = append(ors, `p.postcode_district IN (`+placeholders(len(exact))+`)`)
		}
		args = append(args, anys(exact)...)
		cond := strings.Join(ors, " OR ")
		if len(ors) > 1 {
			cond = "(" + cond + ")"
		}
		c.add(cond, args...)
	}
	if f.Near != nil {
		lo, hi := geo.BoundingBox(*f.Near, f.WithinKm)
		c.add(`((p.latitude BETWEEN ? AND ? AND p.longitude BETWEEN ? AND ?) OR (p.latitude IS NULL AND p.postcode_district IN
			(SELECT district FROM postcode_districts WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?)))`,
			lo.Lat, hi.Lat, lo.Lng, hi.Lng, lo.Lat, hi.Lat, lo.Lng, hi.Lng)
	}
	if f.Text != "" {
		t := strings.ToLower(f.Text)
		name := `lower(p.given_name || ' ' || p.family_name) LIKE ? ESCAPE '\'`
		if namesOnly {
			c.add(name, "%"+likeEscape(t)+"%")
		} else {
			c.add(`(`+name+` OR p.email LIKE ? ESCAPE '\' OR p.id IN (SELECT person_id FROM person_emails WHERE address = ?))`,
				"%"+likeEscape(t)+"%", likeEscape(t)+"%", t)
		}
	}
	if f.MembershipStatus != "" {
		c.add(`p.membership_status = ?`, f.MembershipStatus)
	}
	if len(f.IDs) > 0 { // issue 16: the ticked people
		c.add(`p.id IN (`+placeholders(len(f.IDs))+`)`, anys(f.IDs)...)
	}
	if !f.UpdatedSince.IsZero() {
		c.add(`p.updated_at >= ?`, f.UpdatedSince.UTC())
	}
	if !f.UpdatedBefore.IsZero() {
		c.add(`p.updated_at < ?`, f.UpdatedBefore.UTC())
	}
	if !f.CreatedSince.IsZero() {
		c.add(`p.created_at >= ?`, f.CreatedSince.UTC())
	}
	if !f.CreatedBefore.IsZero() {
		c.add(`p.created_at < ?`, f.CreatedBefore.UTC())
	}
	return c, nil
}

// nearCols and nearJoin give each row the point used for distance: the
// person's own location, else their district's centre.
const (
	nearCols = `, COALESCE(p.latitude, pd.latitude, 0), COALESCE(p.longitude, pd.longitude, 0)`
	nearJoin = ` LEFT JOIN postcode_districts pd ON pd.district = p.postcode_district`
)

// selectPage returns up to limit people matching c after the cursor, in id
// order, and the cursor of the next page ("" on the last). With a Near
// filter, rows in the bounding box but beyond the distance are dropped
// and the scan goes on until the page is full.
func selectPage(ctx context.Context, q db.Querier, c *condition, f *Filter, after string, limit int) ([]*Person, string, error) {
	if c.none {
		return nil, "", nil
	}
	var out []*Person
	for {
		// Two steps in one statement: the page's ids first, from the
		// indexes alone where the filter allows (people (postcode_district,
		// id) and person_tags (tag_id, person_id) cover a tag and area
		// filter), then the rows of just those ids.
		query := `SELECT ` + personCols
		if f.Near != nil {
			query += nearCols + ` FROM people p` + nearJoin
		} else {
			query += ` FROM people p`
		}
		query += ` WHERE p.id IN (SELECT p.id FROM people p WHERE ` + c.sql() + ` AND p.id > ? ORDER BY p.id LIMIT ` +
			fmt.Sprint(limit+1) + `) ORDER BY p.id`
		rows, err := q.Query(ctx, query, append(slices.Clone(c.args), after)...)
		if err != nil {
			return nil, "", fmt.Errorf("list people: %w", err)
		}
		n := 0
		for rows.Next() {
			n++
			var pt geo.Point
			var extra []any
			if f.Near != nil {
				extra = []any{&pt.Lat, &pt.Lng}
			}
			p, err := scanPerson(rows, extra...)
			if err != nil {
				rows.Close()
				return nil, "", fmt.Errorf("list people: %w", err)
			}
			after = p.ID
			if f.Near == nil || geo.DistanceKm(*f.Near, pt) <= f.WithinKm {
				out = append(out, p)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, "", fmt.Errorf("list people: %w", err)
		}
		if len(out) > limit {
			out = out[:limit]
			break
		}
		if n <= limit {
			return out, "", loadDetails(ctx, q, out)
		}
	}
	return out, out[len(out)-1].ID, loadDetails(ctx, q, out)
}

// countPeople counts the matches of c (walking the rows when distance
// must be checked).
func countPeople(ctx context.Context, q db.Querier, c *condition, f *Filter) (int, error) {
	if c.none {
		return 0, nil
	}
	if f.Near == nil {
		var n int
		err := q.QueryRow(ctx, `SELECT COUNT(*) FROM people p WHERE `+c.sql(), c.args...).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("count people: %w", err)
		}
		return n, nil
	}
	rows, err := q.Query(ctx, `SELECT 1`+nearCols+` FROM people p`+nearJoin+` WHERE `+c.sql(), c.args...)
	if err != nil {
		return 0, fmt.Errorf("count people: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var one int
		var pt geo.Point
		if err := rows.Scan(&one, &pt.Lat, &pt.Lng); err != nil {
			return 0, err
		}
		if geo.DistanceKm(*f.Near, pt) <= f.WithinKm {
			n++
		}
	}
	return n, rows.Err()
}
