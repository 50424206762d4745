package people

import (
	"time"

	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// Filter selects people for the list, counts, exports and saved lists.
// Every condition given must hold.
type Filter struct {
	Tags    []string // has all of these tags
	GroupID string   // belongs to this group; required of organisers
	Ladder  []string // on one of these rungs
	Consent string   // has consent granted on this channel
	// Districts are postcode districts ("E8", exact) or areas ("E": every
	// district of the area).
	Districts []string
	// Near and WithinKm: people within WithinKm of Near, by their own
	// location, or else their postcode district's centre.
	Near     *geo.Point
	WithinKm float64
	// Text matches names (any part) or an email address (its start).
	// For organisers it matches names only.
	Text             string
	MembershipStatus string
	UpdatedSince     time.Time
	// UpdatedBefore keeps people last changed before it (exclusive).
	UpdatedBefore time.Time
	// CreatedSince and CreatedBefore bound when the record was made
	// (inclusive, exclusive), as UpdatedSince and UpdatedBefore do (issue
	// 14: the API's created_date filter).
	CreatedSince  time.Time `json:",omitzero"`
	CreatedBefore time.Time `json:",omitzero"`
	// IDs keeps only these people (issue 16: the people list's ticked
	// rows, for "Export the selected"); at most 500.
	IDs []string `json:",omitempty"`
	// After is the cursor: the id of the last person of the previous page.
	After string
	Limit int // default 50, at most 500
}

// Page is one page of the people list.
type Page struct {
	People []Person
	// Next is the cursor for the following page, "" on the last.
	Next string
}

// List is a saved filter (an OSDI list).
type List struct {
	ID        string
	Name      string
	Filter    Filter
	GroupID   string // a group's list, or "" for the network's
	CreatedBy string
	CreatedAt time.Time
}

// DuplicatePair is two records that are likely the same person, and why:
// "email", "phone", "name_postcode".
type DuplicatePair struct {
	A, B    Person
	Reasons []string
	// Key is the cursor to pass as after for the next page.
	Key string
}
