package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// A broadcast's segment — who it goes to — is one SQL condition on the
// people table (alias p): the union of its targets, and of those only the
// people with consent on the channel, an address, not erased and not
// suppressed; for a group's broadcast, only the group's active members.
// Counting and fixing the recipients are then one statement each, however
// many people match (no call per person).

// segment is the condition and its arguments.
type segment struct {
	where string
	args  []any
	addr  string // the column holding the address: p.email or p.phone
}

// checkInput checks in's fields, that the viewer may send for in.GroupID,
// and that every target lies inside the group (see segmentOf).
func (s *Service) checkInput(ctx context.Context, in *Input) error {
	if err := in.check(); err != nil {
		return err
	}
	if err := s.can(ctx, ActSend, in.GroupID); err != nil {
		return err
	}
	_, err := s.segmentOf(ctx, in.Channel, in.GroupID, in.Targets)
	return err
}

// segmentOf builds the condition for targets sent by groupID ("" for the
// network). A group's broadcast may use only that group's lists, filters
// of that group and that group itself; a tag, an event or a decision
// reaches only the group's members among its people.
//
// Errors: errs.Forbidden (a target outside the group, or a list the
// viewer may not use), errs.NotFound, errs.Invalid naming "targets".
func (s *Service) segmentOf(ctx context.Context, channel, groupID string, targets []Target) (*segment, error) {
	q := s.d.DB.Q()
	sg := &segment{addr: "p.email"}
	if channel == ChannelSMS {
		sg.addr = "p.phone"
	}
	var ors []string
	for _, t := range targets {
		cond, args, err := s.targetCondition(ctx, q, channel, groupID, t)
		if err != nil {
			return nil, err
		}
		ors = append(ors, cond)
		sg.args = append(sg.args, args...)
	}
	base := []string{"p.erased_at IS NULL", sg.addr + " IS NOT NULL", sg.addr + " <> ''",
		"EXISTS (SELECT 1 FROM consents co WHERE co.person_id = p.id AND co.channel = ? AND co.status = 'granted')",
		"NOT EXISTS (SELECT 1 FROM suppressions su WHERE su.address = " + sg.addr + ")"}
	args := []any{channel}
	if groupID != "" {
		base = append(base, inGroup)
		args = append(args, groupID)
	}
	sg.where = strings.Join(base, " AND ") + " AND (" + strings.Join(ors, " OR ") + ")"
	sg.args = append(args, sg.args...)
	return sg, nil
}

// inGroup keeps a group's active members.
const inGroup = "EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.person_id = p.id AND gm.status = 'active')"

var errOutside = errs.E(errs.Forbidden, "A group's broadcast can go only to that group's members: choose its own lists, filters and group.")

func (s *Service) targetCondition(ctx context.Context, q db.Querier, channel, groupID string, t Target) (string, []any, error) {
	limited := groupID != "" // organisers' text filters match names only
	switch t.Kind {
	case TargetList:
		l, err := s.d.People.ListByID(ctx, t.ID)
		if err != nil {
			return "", nil, err
		}
		if groupID != "" && l.GroupID != groupID {
			return "", nil, errOutside
		}
		return filterCondition(ctx, q, l.Filter, limited, channel)
	case TargetFilter:
		f, err := s.parseFilter(ctx, t.Query)
		if err != nil {
			return "", nil, err
		}
		if groupID != "" && f.GroupID != groupID {
			return "", nil, errOutside
		}
		if groupID == "" && !isAdmin(ctx) {
			return "", nil, errOutside
		}
		return filterCondition(ctx, q, f, limited, channel)
	case TargetGroup:
		if groupID != "" && t.ID != groupID {
			return "", nil, errOutside
		}
		var one int
		if err := q.QueryRow(ctx, `SELECT 1 FROM groups WHERE id = ?`, t.ID).Scan(&one); err != nil {
			if db.IsNotFound(err) {
				return "", nil, errs.E(errs.NotFound, "There is no such group.")
			}
			return "", nil, fmt.Errorf("target group: %w", err)
		}
		return inGroup, []any{t.ID}, nil
	case TargetTag:
		return `EXISTS (SELECT 1 FROM person_tags pt JOIN tags tg ON tg.id = pt.tag_id WHERE tg.name_key = ? AND pt.person_id = p.id)`,
			[]any{strings.ToLower(t.Name)}, nil
	case TargetEvent:
		ids, err := s.d.Events.Attendees(ctx, t.ID, groupID)
		if err != nil {
			return "", nil, err
		}
		return idsCondition(q.Dialect(), ids)
	case TargetDecision:
		ids, err := s.d.Decisions.Electorate(ctx, t.ID, groupID)
		if err != nil {
			return "", nil, err
		}
		return idsCondition(q.Dialect(), ids)
	}
	return "", nil, errs.Fields(map[string]string{"targets": "Choose lists, filters, groups, tags, events or decisions."})
}

// filterCondition is people.Condition with its field errors put under
// "targets", the field the broadcast's form shows. A filter's consent on
// the broadcast's own channel is dropped: every segment requires it
// already, and the same EXISTS twice misleads PostgreSQL's planner into a
// join of consents with itself when its statistics are stale (after a
// large import), which took seconds for a few thousand people.
func filterCondition(ctx context.Context, q db.Querier, f people.Filter, namesOnly bool, channel string) (string, []any, error) {
	if f.Consent == channel {
		f.Consent = ""
	}
	cond, args, err := people.Condition(ctx, q, f, namesOnly)
	if errs.Is(err, errs.Invalid) {
		return "", nil, targetsInvalid(err)
	}
	return cond, args, err
}

func targetsInvalid(err error) error {
	fields := errs.FieldsOf(err)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msg := "That filter is not valid"
	if len(keys) > 0 {
		msg += " (" + strings.ReplaceAll(keys[0], "_", " ") + ": " + fields[keys[0]] + ")"
	}
	return errs.Fields(map[string]string{"targets": msg})
}

// idsCondition keeps the people among ids, passed as one JSON argument
// (an electorate may be tens of thousands: more than either engine takes
// as separate parameters).
func idsCondition(d db.Dialect, ids []string) (string, []any, error) {
	if len(ids) == 0 {
		return "1 = 0", nil, nil
	}
	js, err := json.Marshal(ids)
	if err != nil {
		return "", nil, err
	}
	if d == db.Postgres {
		return `p.id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))`, []any{string(js)}, nil
	}
	return `p.id IN (SELECT value FROM json_each(?))`, []any{string(js)}, nil
}

// parseFilter reads a people filter from the people list's query string,
// as the people page writes it: text, tags, group, ladder, consent,
// membership_status, districts, near (a postcode or "lat,lng") and
// within_km.
func (s *Service) parseFilter(ctx context.Context, query string) (people.Filter, error) {
	v, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return people.Filter{}, errs.Fields(map[string]string{"targets": "That filter is not a people list filter."})
	}
	f := people.Filter{
		Text:             v.Get("text"),
		Tags:             splitList(v.Get("tags")),
		GroupID:          strings.TrimSpace(v.Get("group")),
		Consent:          v.Get("consent"),
		MembershipStatus: v.Get("membership_status"),
		Districts:        splitList(v.Get("districts")),
	}
	if l := v.Get("ladder"); l != "" {
		f.Ladder = []string{l}
	}
	near := strings.TrimSpace(v.Get("near"))
	if near == "" {
		return f, nil
	}
	f.WithinKm = 5
	if km := strings.TrimSpace(v.Get("within_km")); km != "" {
		n, err := strconv.ParseFloat(km, 64)
		if err != nil || n <= 0 || n > 1000 {
			return f, errs.Fields(map[string]string{"targets": "Give the filter's distance in km between 0 and 1000."})
		}
		f.WithinKm = n
	}
	if lat, lng, ok := strings.Cut(near, ","); ok {
		a, errA := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		b, errB := strconv.ParseFloat(strings.TrimSpace(lng), 64)
		if pt := (geo.Point{Lat: a, Lng: b}); errA == nil && errB == nil && pt.Valid() {
			f.Near = &pt
			return f, nil
		}
	}
	if _, _, ok := geo.NormalizePostcode(near); !ok {
		return f, errs.Fields(map[string]string{"targets": "Give the filter's place as a UK postcode like E8 1DY."})
	}
	d, err := geo.Locate(ctx, s.d.DB.Q(), near)
	if errors.Is(err, geo.ErrUnknownDistrict) {
		return f, errs.Fields(map[string]string{"targets": "We don't know where " + d.Code + " is yet: filter by postcode district instead."})
	} else if err != nil {
		return f, fmt.Errorf("locate postcode: %w", err)
	}
	f.Near = &d.Centre
	return f, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// isAdmin: admins, network tokens and the system reach anyone.
func isAdmin(ctx context.Context) bool {
	p := auth.PrincipalFrom(ctx)
	return p != nil && (p.System || p.Token || p.Role == auth.RoleAdmin)
}

// countSegment counts the people sg reaches now.
func countSegment(ctx context.Context, q db.Querier, sg *segment) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM people p WHERE `+sg.where, sg.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recipients: %w", err)
	}
	return n, nil
}
