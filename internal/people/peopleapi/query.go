package peopleapi

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// The people service lists at most this many people per call.
const serviceLimit = 500

// peopleQuery is a request for a page of people.
type peopleQuery struct {
	filter people.Filter // GroupID, the date bounds, and the tag or list
	email  string        // email_address eq: an exact address
	none   bool          // the conditions contradict each other
	page   hal.Page
	after  string // the cursor of a next link
	// alts are the alternatives of a filter joined by "or", each naming
	// an address (alts of alts are never set).
	alts []peopleQuery
}

// peopleFilterFields are the fields filter= may name on people.
var peopleFilterFields = []string{"email_address", "modified_date", "created_date"}

// parsePeopleQuery reads paging, group_id and filter (or $filter):
// email_address eq, modified_date and created_date eq|gt|ge|lt|le, joined
// by "and", and by "or" between alternatives that each name an address.
// A filter that cannot be served is refused, never ignored.
//
// Errors: errs.Invalid naming what is wrong with the filter.
func parsePeopleQuery(q url.Values, base people.Filter) (peopleQuery, error) {
	pq := peopleQuery{filter: base, page: hal.PageFrom(q), after: q.Get("after")}
	if g := q.Get("group_id"); g != "" && base.GroupID == "" {
		pq.filter.GroupID = g
	}
	text, err := hal.FilterParam(q)
	if err != nil {
		return pq, err
	}
	alts, err := hal.ParseAlternatives(text, peopleFilterFields...)
	if err != nil {
		return pq, err
	}
	if len(alts) == 1 {
		return pq, pq.apply(alts[0])
	}
	for _, conds := range alts {
		sub := peopleQuery{filter: pq.filter, page: pq.page}
		if err := sub.apply(conds); err != nil {
			return pq, err
		}
		if sub.email == "" {
			return pq, errs.E(errs.Invalid, "filter: \"or\" is served between alternatives that each name an address "+
				"(email_address eq '…'); one of these names none. Send one request per date range instead.")
		}
		pq.alts = append(pq.alts, sub)
	}
	return pq, nil
}

// apply narrows pq by conditions joined by "and".
func (pq *peopleQuery) apply(conds []hal.Condition) error {
	for _, c := range conds {
		if c.Field == "email_address" {
			if c.Op != "eq" {
				return errs.E(errs.Invalid, "filter: email_address can only be compared with eq, not %s.", c.Op)
			}
			addr := strings.ToLower(strings.TrimSpace(c.Value))
			pq.none = pq.none || (pq.email != "" && pq.email != addr)
			pq.email = addr
			continue
		}
		t, err := c.Time()
		if err != nil {
			return err
		}
		since, before := &pq.filter.UpdatedSince, &pq.filter.UpdatedBefore
		if c.Field == "created_date" {
			since, before = &pq.filter.CreatedSince, &pq.filter.CreatedBefore
		}
		// Times are stored to the microsecond, so "after t" is "from the
		// next microsecond after t".
		next := t.Truncate(time.Microsecond).Add(time.Microsecond)
		from := t
		if !t.Equal(t.Truncate(time.Microsecond)) {
			from = next
		}
		switch c.Op {
		case "gt":
			*since = latest(*since, next)
		case "ge":
			*since = latest(*since, from)
		case "lt":
			*before = earliest(*before, from)
		case "le":
			*before = earliest(*before, next)
		case "eq":
			// A date alone is that whole day (UTC); a time is that instant.
			end := next
			if len(strings.TrimSpace(c.Value)) == len(time.DateOnly) {
				end = t.AddDate(0, 0, 1)
			}
			*since, *before = latest(*since, from), earliest(*before, end)
		default:
			return errs.E(errs.Invalid, "filter: %s can be compared with eq, gt, ge, lt or le, not %s.", c.Field, c.Op)
		}
	}
	return nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earliest is the earlier of two upper bounds, a zero one being none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// fits checks a person found by address against the date bounds, which
// the address look-up does not apply. A person whose dates the viewer may
// not see fits no bound.
func (pq *peopleQuery) fits(p *people.Person) bool {
	f := pq.filter
	in := func(t, since, before time.Time) bool {
		if since.IsZero() && before.IsZero() {
			return true
		}
		return !t.IsZero() && !t.Before(since) && (before.IsZero() || t.Before(before))
	}
	return in(p.UpdatedAt, f.UpdatedSince, f.UpdatedBefore) && in(p.CreatedAt, f.CreatedSince, f.CreatedBefore)
}

// peoplePage is one page of people, the total, and the cursor of the next
// page ("" when there is none, or when the page was cut from a list held
// in memory).
type peoplePage struct {
	people []people.Person
	total  int
	next   string
}

// findPeople runs a people query through the service. A page by number
// starts where people.PageStart says (the skip walks an index, not rows),
// and is read by keyset, so page 800 costs what page 1 does.
func (h *Handler) findPeople(ctx context.Context, pq peopleQuery) (peoplePage, error) {
	switch {
	case pq.none:
		return peoplePage{}, nil
	case len(pq.alts) > 0:
		return h.anyOf(ctx, pq)
	case pq.email != "":
		found, err := h.byEmail(ctx, pq)
		return cut(found, pq.page), err
	}
	f := pq.filter
	total, err := h.svc.Count(ctx, f)
	if err != nil {
		return peoplePage{}, err
	}
	after := pq.after
	if after == "" && pq.page.Offset() > 0 {
		if pq.page.Offset() >= total {
			return peoplePage{total: total}, nil
		}
		var end bool
		if after, end, err = h.svc.PageStart(ctx, f, pq.page.Offset()); err != nil || end {
			return peoplePage{total: total}, err
		}
	}
	f.After, f.Limit = after, pq.page.Size
	pg, err := h.svc.List(ctx, f)
	if err != nil {
		return peoplePage{}, err
	}
	return peoplePage{people: pg.People, total: total, next: pg.Next}, nil
}

// anyOf serves a filter joined by "or": the people of every alternative
// (each an address, so few), once each, in id order.
func (h *Handler) anyOf(ctx context.Context, pq peopleQuery) (peoplePage, error) {
	seen := map[string]bool{}
	var all []people.Person
	for _, alt := range pq.alts {
		if alt.none {
			continue
		}
		found, err := h.byEmail(ctx, alt)
		if err != nil {
			return peoplePage{}, err
		}
		for _, p := range found {
			if !seen[p.ID] {
				seen[p.ID] = true
				all = append(all, p)
			}
		}
	}
	slices.SortFunc(all, func(a, b people.Person) int { return strings.Compare(a.ID, b.ID) })
	return cut(all, pq.page), nil
}

// byEmail finds the person with an address (any of theirs, exactly). With
// no group it asks Match (one indexed lookup, network-wide); within a
// group it searches the group's list by the address and keeps exact
// matches (organisers' searches never match emails, so a group token
// finds no one by address).
func (h *Handler) byEmail(ctx context.Context, pq peopleQuery) ([]people.Person, error) {
	var found []people.Person
	if pq.filter.GroupID == "" {
		id, err := h.svc.Match(ctx, pq.email, "")
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		p, err := h.svc.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		found = []people.Person{*p}
	} else {
		f := pq.filter
		// The service's text search is at most 200 bytes; a longer address
		// is found by its start and then compared in full.
		f.Text, f.Limit = strings.ToValidUTF8(pq.email[:min(len(pq.email), 200)], ""), serviceLimit
		pg, err := h.svc.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, p := range pg.People {
			if p.Email == pq.email || slices.Contains(p.Emails, pq.email) {
				found = append(found, p)
			}
		}
	}
	return slices.DeleteFunc(found, func(p people.Person) bool { return !pq.fits(&p) }), nil
}

// cut takes one page out of people held in memory.
func cut(ps []people.Person, p hal.Page) peoplePage {
	from := min(p.Offset(), len(ps))
	to := min(from+p.Size, len(ps))
	return peoplePage{people: ps[from:to], total: len(ps)}
}
