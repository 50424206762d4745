package messagingweb

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// A broadcast's targets travel through its form as hidden "target" fields,
// one per target, each "kind:value": "group:ID", "list:ID", "event:ID",
// "decision:ID", "tag:name" or "filter:query" (the people page's query
// string). The organiser never types them: they come from the link that
// opened the form (the group page, the filtered people list, …).

// encodeTarget is a target as its hidden field's value.
func encodeTarget(t messaging.Target) string {
	switch t.Kind {
	case messaging.TargetFilter:
		return t.Kind + ":" + t.Query
	case messaging.TargetTag:
		return t.Kind + ":" + t.Name
	}
	return t.Kind + ":" + t.ID
}

// decodeTargets reads the hidden target fields back. Errors: errs.Fields
// naming "targets" when one is not a target or there is none.
func decodeTargets(vals []string) ([]messaging.Target, error) {
	var out []messaging.Target
	for _, v := range vals {
		kind, val, ok := strings.Cut(v, ":")
		if !ok || (val == "" && kind != messaging.TargetFilter) {
			return nil, errs.Fields(map[string]string{"targets": "Choose who the message is for."})
		}
		t := messaging.Target{Kind: kind}
		switch kind {
		case messaging.TargetGroup, messaging.TargetList, messaging.TargetEvent, messaging.TargetDecision:
			t.ID = val
		case messaging.TargetTag:
			t.Name = val
		case messaging.TargetFilter:
			t.Query = val
		default:
			return nil, errs.Fields(map[string]string{"targets": "Choose who the message is for."})
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errs.Fields(map[string]string{"targets": "Choose who the message is for."})
	}
	return out, nil
}

// targetsFromQuery reads the targets a link to the compose page carries:
// ?group=ID, ?filter=<people query>, ?list=ID, ?event=ID, ?decision=ID,
// ?tag=name. It also returns the sending group: the group named, or the
// one the filter is of.
func targetsFromQuery(q url.Values) (ts []messaging.Target, groupID string) {
	for _, id := range q["group"] {
		if id = strings.TrimSpace(id); id != "" {
			ts = append(ts, messaging.Target{Kind: messaging.TargetGroup, ID: id})
			if groupID == "" {
				groupID = id
			}
		}
	}
	if q.Has("filter") {
		query := strings.TrimSpace(q.Get("filter"))
		ts = append(ts, messaging.Target{Kind: messaging.TargetFilter, Query: query})
		if fq, err := url.ParseQuery(query); err == nil && groupID == "" {
			groupID = strings.TrimSpace(fq.Get("group"))
		}
	}
	for _, k := range []string{messaging.TargetList, messaging.TargetEvent, messaging.TargetDecision} {
		if id := strings.TrimSpace(q.Get(k)); id != "" {
			ts = append(ts, messaging.Target{Kind: k, ID: id})
		}
	}
	if name := strings.TrimSpace(q.Get("tag")); name != "" {
		ts = append(ts, messaging.Target{Kind: messaging.TargetTag, Name: name})
	}
	return ts, groupID
}

// audience is a broadcast's targets in words, for the compose and progress
// pages.
type audience struct {
	Lines  []string // "Members of Hackney Momentum"
	Hidden []string // the encoded targets, for the form
}

// describe names each target in words. A record the viewer may not see is
// named only by its kind: the service refuses such a target anyway.
func (h *Handler) describe(ctx context.Context, ts []messaging.Target) audience {
	var a audience
	for _, t := range ts {
		a.Hidden = append(a.Hidden, encodeTarget(t))
		a.Lines = append(a.Lines, h.describeOne(ctx, t))
	}
	return a
}

func (h *Handler) describeOne(ctx context.Context, t messaging.Target) string {
	switch t.Kind {
	case messaging.TargetGroup:
		if g, err := h.groups.Get(ctx, t.ID); err == nil {
			return "Members of " + g.Name
		}
		return "Members of a group"
	case messaging.TargetList:
		if l, err := h.people.ListByID(ctx, t.ID); err == nil {
			return "People on the saved list “" + l.Name + "”"
		}
		return "People on a saved list"
	case messaging.TargetEvent:
		if e, err := h.events.Get(ctx, t.ID); err == nil {
			return "People going to " + e.Title
		}
		return "People going to an event"
	case messaging.TargetDecision:
		if d, err := h.decisions.Get(ctx, t.ID); err == nil {
			return "People who may vote in " + d.Title
		}
		return "People who may vote in a decision"
	case messaging.TargetTag:
		return "People tagged " + t.Name
	case messaging.TargetFilter:
		return h.describeFilter(ctx, t.Query)
	}
	return "Some people"
}

// describeFilter says what a people-list filter selects: "People in Hackney
// Momentum tagged volunteer, in E8".
func (h *Handler) describeFilter(ctx context.Context, query string) string {
	q, err := url.ParseQuery(query)
	if err != nil {
		return "People matching a filter"
	}
	s := "Everyone in the network"
	if id := strings.TrimSpace(q.Get("group")); id != "" {
		s = "People in a group"
		if g, err := h.groups.Get(ctx, id); err == nil {
			s = "People in " + g.Name
		}
	}
	var parts []string
	if v := strings.TrimSpace(q.Get("text")); v != "" {
		parts = append(parts, "matching “"+v+"”")
	}
	if v := strings.TrimSpace(q.Get("tags")); v != "" {
		parts = append(parts, "tagged "+v)
	}
	if v := strings.TrimSpace(q.Get("ladder")); v != "" {
		parts = append(parts, "at the rung “"+v+"”")
	}
	if v := strings.TrimSpace(q.Get("membership_status")); v != "" {
		parts = append(parts, "whose membership is "+v)
	}
	if v := strings.TrimSpace(q.Get("consent")); v != "" {
		parts = append(parts, "who consented to "+v)
	}
	if v := strings.TrimSpace(q.Get("districts")); v != "" {
		parts = append(parts, "in "+v)
	}
	if v := strings.TrimSpace(q.Get("near")); v != "" {
		km := strings.TrimSpace(q.Get("within_km"))
		if km == "" {
			km = "5"
		}
		parts = append(parts, "within "+km+" km of "+v)
	}
	if len(parts) > 0 {
		s += " " + strings.Join(parts, ", ")
	}
	return s
}

// sample is a person the preview may be shown as.
type sample struct {
	ID, Name string
}

// samples offers up to five people of the first target that names people
// directly (a group, a filter, a saved list) who agreed to the channel, to
// preview the mail as. It is a help for the eye, not the recipient list:
// the service decides whom the viewer may preview as.
func (h *Handler) samples(ctx context.Context, channel string, ts []messaging.Target) []sample {
	consent := people.ChannelEmail
	if channel == messaging.ChannelSMS {
		consent = people.ChannelSMS // a text message: those who agreed to texts
	}
	const n = 5
	for _, t := range ts {
		var f people.Filter
		switch t.Kind {
		case messaging.TargetGroup:
			f = people.Filter{GroupID: t.ID}
		case messaging.TargetList:
			l, err := h.people.ListByID(ctx, t.ID)
			if err != nil {
				continue
			}
			f = l.Filter
		case messaging.TargetFilter:
			var ok bool
			if f, ok = peopleFilter(t.Query); !ok {
				continue
			}
		default:
			continue
		}
		f.Consent, f.After, f.Limit = consent, "", n
		page, err := h.people.List(ctx, f)
		if err != nil {
			continue
		}
		var out []sample
		for _, p := range page.People {
			out = append(out, sample{ID: p.ID, Name: personName(p)})
		}
		return out
	}
	return nil
}

// peopleFilter reads a people-list query as the people page does, except
// "near" (a postcode the page looks up): ok is false for a query with one.
func peopleFilter(query string) (f people.Filter, ok bool) {
	q, err := url.ParseQuery(query)
	if err != nil || strings.TrimSpace(q.Get("near")) != "" {
		return f, false
	}
	f = people.Filter{Text: q.Get("text"), Tags: splitList(q.Get("tags")), GroupID: strings.TrimSpace(q.Get("group")),
		Consent: q.Get("consent"), MembershipStatus: q.Get("membership_status"), Districts: splitList(q.Get("districts"))}
	if l := q.Get("ladder"); l != "" {
		f.Ladder = []string{l}
	}
	return f, true
}

// everyone is how many people a single target names, consent or not, so
// that the page can say how many are left out; ok is false when that is
// not known cheaply (several targets, an event, a decision, a tag).
func (h *Handler) everyone(ctx context.Context, ts []messaging.Target) (n int, ok bool) {
	if len(ts) != 1 {
		return 0, false
	}
	t := ts[0]
	var f people.Filter
	switch t.Kind {
	case messaging.TargetGroup:
		g, err := h.groups.Get(ctx, t.ID)
		if err != nil {
			return 0, false
		}
		return g.MemberCount, true
	case messaging.TargetList:
		l, err := h.people.ListByID(ctx, t.ID)
		if err != nil {
			return 0, false
		}
		f = l.Filter
	case messaging.TargetFilter:
		if f, ok = peopleFilter(t.Query); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	f.After, f.Limit = "", 0
	n, err := h.people.Count(ctx, f)
	return n, err == nil
}

func personName(p people.Person) string {
	if n := strings.TrimSpace(p.GivenName + " " + p.FamilyName); n != "" {
		return n
	}
	return "(no name)"
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// thousands writes n with commas between thousands: 1,204 (web.Number).
func thousands(n int) string { return web.Number(n) }

// people counts: "1 person", "1,204 people".
func peopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	return thousands(n) + " people"
}

func itoa(n int) string { return strconv.Itoa(n) }
