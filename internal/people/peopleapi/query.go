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
	filter people.Filter // GroupID, UpdatedSince, UpdatedBefore, and the tag or list
	email  string        // email_address eq: an exact address
	none   bool          // the conditions contradict each other
	page   hal.Page
	after  string // the cursor of a next link
}

// parsePeopleQuery reads paging, group_id and $filter (email_address eq,
// modified_date gt|ge|lt|le) on top of base.
//
// Errors: errs.Invalid naming what is wrong with $filter.
func parsePeopleQuery(q url.Values, base people.Filter) (peopleQuery, error) {
	pq := peopleQuery{filter: base, page: hal.PageFrom(q), after: q.Get("after")}
	if g := q.Get("group_id"); g != "" && base.GroupID == "" {
		pq.filter.GroupID = g
	}
	conds, err := hal.ParseFilter(q.Get("$filter"), "email_address", "modified_date")
	if err != nil {
		return pq, err
	}
	for _, c := range conds {
		if c.Field == "email_address" {
			if c.Op != "eq" {
				return pq, errs.E(errs.Invalid, "$filter: email_address can only be compared with eq, not %s.", c.Op)
			}
			addr := strings.ToLower(strings.TrimSpace(c.Value))
			pq.none = pq.none || (pq.email != "" && pq.email != addr)
			pq.email = addr
			continue
		}
		t, err := c.Time()
		if err != nil {
			return pq, err
		}
		// Times are stored to the microsecond, so "after t" is "from the
		// next microsecond after t".
		next := t.Truncate(time.Microsecond).Add(time.Microsecond)
		switch c.Op {
		case "gt":
			pq.filter.UpdatedSince = latest(pq.filter.UpdatedSince, next)
		case "ge":
			if !t.Equal(t.Truncate(time.Microsecond)) {
				t = next
			}
			pq.filter.UpdatedSince = latest(pq.filter.UpdatedSince, t)
		case "lt":
			// Before t is before the first microsecond from t on.
			if !t.Equal(t.Truncate(time.Microsecond)) {
				t = next
			}
			pq.filter.UpdatedBefore = earliest(pq.filter.UpdatedBefore, t)
		case "le":
			pq.filter.UpdatedBefore = earliest(pq.filter.UpdatedBefore, next)
		default:
			return pq, errs.E(errs.Invalid, "$filter: modified_date can be compared with gt, ge, lt or le, not %s.", c.Op)
		}
	}
	return pq, nil
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

// fits checks a person found by address against the modified_date
// bounds, which the address look-up does not apply. A person whose
// modified date the viewer may not see fits no bound.
func (pq *peopleQuery) fits(p *people.Person) bool {
	f := pq.filter
	if f.UpdatedSince.IsZero() && f.UpdatedBefore.IsZero() {
		return true
	}
	if p.UpdatedAt.IsZero() {
		return false
	}
	return !p.UpdatedAt.Before(f.UpdatedSince) && (f.UpdatedBefore.IsZero() || p.UpdatedAt.Before(f.UpdatedBefore))
}

// peoplePage is one page of people, the total, and the cursor of the next
// page ("" when there is none, or when the page was cut from a list held
// in memory).
type peoplePage struct {
	people []people.Person
	total  int
	next   string
}

// findPeople runs a people query through the service.
func (h *Handler) findPeople(ctx context.Context, pq peopleQuery) (peoplePage, error) {
	switch {
	case pq.none:
		return peoplePage{}, nil
	case pq.email != "":
		return h.byEmail(ctx, pq)
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
		if after, end, err = h.skip(ctx, f, pq.page.Offset()); err != nil || end {
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

// skip returns the cursor after the first n people of f, reading ids a
// service page at a time; end is true when there are fewer than n. Clients
// that follow next links never need it: their links carry the cursor.
func (h *Handler) skip(ctx context.Context, f people.Filter, n int) (cursor string, end bool, err error) {
	for n > 0 {
		f.After, f.Limit = cursor, min(n, serviceLimit)
		pg, err := h.svc.List(ctx, f)
		if err != nil {
			return "", false, err
		}
		if len(pg.People) == 0 {
			return "", true, nil
		}
		cursor = pg.People[len(pg.People)-1].ID
		n -= len(pg.People)
		if n > 0 && pg.Next == "" {
			return "", true, nil
		}
	}
	return cursor, false, nil
}

// byEmail finds the person with an address (any of theirs, exactly). With
// no group it asks Match (one indexed lookup, network-wide); within a
// group it searches the group's list by the address and keeps exact
// matches (organisers' searches never match emails, so a group token
// finds no one by address).
func (h *Handler) byEmail(ctx context.Context, pq peopleQuery) (peoplePage, error) {
	var found []people.Person
	if pq.filter.GroupID == "" {
		id, err := h.svc.Match(ctx, pq.email, "")
		if errs.Is(err, errs.NotFound) {
			return peoplePage{}, nil
		} else if err != nil {
			return peoplePage{}, err
		}
		p, err := h.svc.Get(ctx, id)
		if err != nil {
			return peoplePage{}, err
		}
		found = []people.Person{*p}
	} else {
		f := pq.filter
		// The service's text search is at most 200 bytes; a longer address
		// is found by its start and then compared in full.
		f.Text, f.Limit = strings.ToValidUTF8(pq.email[:min(len(pq.email), 200)], ""), serviceLimit
		pg, err := h.svc.List(ctx, f)
		if err != nil {
			return peoplePage{}, err
		}
		for _, p := range pg.People {
			if p.Email == pq.email || slices.Contains(p.Emails, pq.email) {
				found = append(found, p)
			}
		}
	}
	found = slices.DeleteFunc(found, func(p people.Person) bool { return !pq.fits(&p) })
	return cut(found, pq.page), nil
}

// cut takes one page out of people held in memory.
func cut(ps []people.Person, p hal.Page) peoplePage {
	from := min(p.Offset(), len(ps))
	to := min(from+p.Size, len(ps))
	return peoplePage{people: ps[from:to], total: len(ps)}
}
