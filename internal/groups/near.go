package groups

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// NearGroup is a local group offered to someone by postcode.
type NearGroup struct {
	Group
	// DistanceKm is from the centre of the postcode's district to the
	// group's centre, or to the nearest centre of its districts. It is
	// meaningful only when Located.
	DistanceKm float64
	Located    bool
	// CoversPostcode is true when the postcode's district is one of the
	// group's, or lies within the group's radius.
	CoversPostcode bool
}

// msgPostcode is shown beside the postcode field.
const msgPostcode = "Enter a UK postcode like E8 1DY"

// maxCandidates bounds the rows Nearest reads: every active local group with
// its districts (a network has hundreds of groups, not millions).
const maxCandidates = 20000

// Nearest offers active local groups for a postcode: first those that cover
// its district, then the rest by distance from the district's centre. When
// the district's centre is unknown (no outcode file loaded, no group or
// person there yet), it falls back to groups with a district in the same
// postcode area ("E" for E8). limit defaults to 5, at most 20. Public.
//
// Errors: errs.Invalid (field "postcode") for anything that is not a UK
// postcode.
func (s *Service) Nearest(ctx context.Context, postcode string, limit int) ([]NearGroup, error) {
	_, district, ok := geo.NormalizePostcode(postcode)
	if !ok {
		return nil, &errs.Error{Code: errs.Invalid, Message: msgPostcode + ".", Fields: map[string]string{"postcode": msgPostcode + "."}}
	}
	switch {
	case limit <= 0:
		limit = 5
	case limit > 20:
		limit = 20
	}
	here, err := geo.Locate(ctx, s.db.Q(), district)
	known := err == nil
	if err != nil && !errors.Is(err, geo.ErrUnknownDistrict) {
		return nil, err
	}
	cands, err := s.candidates(ctx, district, here.Centre, known)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(cands, func(a, b NearGroup) int {
		if a.CoversPostcode != b.CoversPostcode {
			if a.CoversPostcode {
				return -1
			}
			return 1
		}
		if a.Located != b.Located {
			if a.Located {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.DistanceKm, b.DistanceKm), cmp.Compare(a.ID, b.ID))
	})
	if len(cands) > limit {
		cands = cands[:limit]
	}
	if len(cands) == 0 {
		return nil, nil
	}
	ids := make([]any, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	gs, err := queryGroups(ctx, s.db.Q(), groupSelect+` WHERE g.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Group, len(gs))
	for _, g := range gs {
		byID[g.ID] = g
	}
	for i := range cands {
		cands[i].Group = byID[cands[i].ID]
	}
	return cands, nil
}

// candidates reads every active local group's centre and districts (with
// the districts' centres) in one query and keeps those that cover the
// district, can be placed relative to it, or — when its centre is unknown —
// share its postcode area.
func (s *Service) candidates(ctx context.Context, district string, here geo.Point, known bool) ([]NearGroup, error) {
	rows, err := candidateRows(ctx, s.db.Q(), maxCandidates)
	if err != nil {
		return nil, err
	}
	type cand struct {
		NearGroup
		sameArea bool
	}
	byID := map[string]*cand{}
	var order []string
	area := geo.Area(district)
	for _, r := range rows {
		c := byID[r.GroupID]
		if c == nil {
			c = &cand{NearGroup: NearGroup{Group: Group{ID: r.GroupID}, DistanceKm: math.Inf(1)}}
			byID[r.GroupID] = c
			order = append(order, r.GroupID)
			if r.Centre != nil && known {
				km := geo.DistanceKm(here, *r.Centre)
				c.DistanceKm, c.Located = km, true
				c.CoversPostcode = km <= r.RadiusKm
			}
		}
		if r.District == "" {
			continue
		}
		if r.District == district {
			c.CoversPostcode = true
		}
		if geo.Area(r.District) == area {
			c.sameArea = true
		}
		if r.DistrictCentre != nil && known {
			if km := geo.DistanceKm(here, *r.DistrictCentre); km < c.DistanceKm {
				c.DistanceKm, c.Located = km, true
			}
		}
	}
	var out []NearGroup
	for _, id := range order {
		c := byID[id]
		if !c.Located {
			c.DistanceKm = 0
		}
		if c.CoversPostcode || (known && c.Located) || (!known && c.sameArea) {
			out = append(out, c.NearGroup)
		}
	}
	return out, nil
}
