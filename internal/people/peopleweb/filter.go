package peopleweb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// filterKeys are the query parameters of the people list's filter, as the
// form names them. Error fields from people.Filter use the same names.
var filterKeys = []string{"text", "tags", "group", "ladder", "consent", "membership_status", "districts", "near", "within_km"}

// defaultKm is the distance used when a postcode is given without one.
const defaultKm = 5

// filterValues keeps only the filter's parameters of q, dropping empty ones,
// for links that carry the filter (next page, export, save as list).
func filterValues(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range filterKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// withGroup returns q with the organiser's group filled in when the person
// chose none: an organiser's list is always of one of their groups, and
// the first they organise is where they start. Admins start with everyone.
func withGroup(ctx context.Context, q url.Values, choices []groupChoice) url.Values {
	if q.Get("group") != "" {
		return q
	}
	if viewerIsAdmin(ctx) || len(choices) == 0 {
		return q
	}
	out := url.Values{}
	for k, vs := range q {
		out[k] = vs
	}
	out.Set("group", choices[0].ID)
	return out
}

// parseFilter reads the list's filter from q. Errors: errs.Fields naming the
// parameter that is wrong (near, within_km); the service checks the rest.
func (h *Handler) parseFilter(ctx context.Context, q url.Values) (people.Filter, error) {
	f := people.Filter{
		Text:             q.Get("text"),
		Tags:             splitList(q.Get("tags")),
		GroupID:          strings.TrimSpace(q.Get("group")),
		Consent:          q.Get("consent"),
		MembershipStatus: q.Get("membership_status"),
		Districts:        splitList(q.Get("districts")),
		IDs:              q["id"], // issue 16: the ticked people (export the selected)
		After:            q.Get("after"),
		Limit:            50,
	}
	if l := q.Get("ladder"); l != "" {
		f.Ladder = []string{l}
	}
	near := strings.TrimSpace(q.Get("near"))
	if near == "" {
		return f, nil
	}
	bad := map[string]string{}
	f.WithinKm = defaultKm
	if km := strings.TrimSpace(q.Get("within_km")); km != "" {
		n, err := strconv.ParseFloat(km, 64)
		if err != nil || n <= 0 || n > 1000 {
			bad["within_km"] = "Give a distance in km between 0 and 1000, like 5."
		}
		f.WithinKm = n
	}
	pt, err := h.nearPoint(ctx, near)
	if err != nil {
		if !isInput(err) {
			return f, err
		}
		for k, v := range errs.FieldsOf(err) {
			bad[k] = v
		}
	}
	f.Near = pt
	return f, errs.Fields(bad)
}

// nearPoint turns the near field into a point: "lat,lng" (how saved lists
// keep it) or a postcode, whose district centre is used.
func (h *Handler) nearPoint(ctx context.Context, near string) (*geo.Point, error) {
	if lat, lng, ok := strings.Cut(near, ","); ok {
		a, errA := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		b, errB := strconv.ParseFloat(strings.TrimSpace(lng), 64)
		if errA == nil && errB == nil && (geo.Point{Lat: a, Lng: b}).Valid() {
			return &geo.Point{Lat: a, Lng: b}, nil
		}
	}
	if _, _, ok := geo.NormalizePostcode(near); !ok {
		return nil, errs.Fields(map[string]string{"near": "Enter a UK postcode like E8 1DY."})
	}
	d, err := h.locate.Locate(ctx, near)
	if errors.Is(err, geo.ErrUnknownDistrict) {
		return nil, errs.Fields(map[string]string{"near": "We don't know where " + d.Code + " is yet: filter by postcode district instead."})
	} else if err != nil {
		return nil, fmt.Errorf("locate postcode: %w", err)
	}
	return &d.Centre, nil
}

// filterQuery is the query that opens the people list with f (a saved
// list's filter); a point is written as "lat,lng".
func filterQuery(f people.Filter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("text", f.Text)
	set("tags", strings.Join(f.Tags, ", "))
	set("group", f.GroupID)
	if len(f.Ladder) > 0 {
		set("ladder", f.Ladder[0])
	}
	set("consent", f.Consent)
	set("membership_status", f.MembershipStatus)
	set("districts", strings.Join(f.Districts, ", "))
	if f.Near != nil {
		set("near", strconv.FormatFloat(f.Near.Lat, 'f', -1, 64)+","+strconv.FormatFloat(f.Near.Lng, 'f', -1, 64))
		set("within_km", strconv.FormatFloat(f.WithinKm, 'f', -1, 64))
	}
	return q
}

// splitList splits "a, b;c" into its trimmed, non-empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
