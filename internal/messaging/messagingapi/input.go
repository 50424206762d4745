package messagingapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// MessageInput is a message as a client sends it. A field left out (nil)
// keeps its stored value on PUT.
type MessageInput struct {
	Subject *string       `json:"subject"`
	Name    *string       `json:"name"` // Action Network's administrative title: the subject when subject is not sent
	Body    *string       `json:"body"`
	From    *string       `json:"from"`
	ReplyTo *string       `json:"reply_to"`
	Type    *string       `json:"type"`
	Targets *[]TargetJSON `json:"targets"`
}

// collectionOf is the API collection whose links name each kind of target.
var collectionOf = map[string]string{
	messaging.TargetList:     "lists",
	messaging.TargetGroup:    "groups",
	messaging.TargetEvent:    "events",
	messaging.TargetDecision: "decisions",
}

// kindOf is the target kind a link into each collection names (tags are
// turned into names, and queries are refused, in target).
var kindOf = map[string]string{
	"lists": messaging.TargetList, "groups": messaging.TargetGroup,
	"events": messaging.TargetEvent, "decisions": messaging.TargetDecision,
}

// apiFields maps the service's field names to the JSON fields a client
// sends.
var apiFields = map[string]string{
	"from_name": "from",
	"channel":   "type",
	"send_at":   "scheduled_start_date",
	"group":     "group_id",
}

// input lays the request over base (the stored broadcast for PUT, nil to
// create in groupID) and returns the service's input. Errors name the JSON
// fields ("targets[1].href").
func (h *Handler) input(ctx context.Context, mi *MessageInput, base *messaging.Broadcast, groupID string) (messaging.Input, error) {
	in := messaging.Input{Channel: messaging.ChannelEmail, GroupID: groupID}
	if base != nil {
		in = messaging.Input{Channel: base.Channel, GroupID: base.GroupID, Subject: base.Subject, Body: base.Body,
			FromName: base.FromName, ReplyTo: base.ReplyTo, Targets: base.Targets}
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	if mi.Subject == nil {
		set(&in.Subject, mi.Name)
	}
	set(&in.Subject, mi.Subject)
	set(&in.FromName, mi.From)
	set(&in.ReplyTo, mi.ReplyTo)
	set(&in.Channel, mi.Type)
	if mi.Body != nil {
		in.Body = *mi.Body
	}
	if mi.Targets != nil {
		in.Targets = nil
		bad := map[string]string{}
		for i, tj := range *mi.Targets {
			t, field, err := h.target(ctx, tj)
			if err != nil {
				if errs.CodeOf(err) != errs.Invalid {
					return in, err
				}
				bad[fmt.Sprintf("targets[%d]%s", i, field)] = errs.MessageOf(err)
				continue
			}
			in.Targets = append(in.Targets, t)
		}
		if len(bad) > 0 {
			return in, errs.Fields(bad)
		}
	}
	return in, nil
}

// target reads one target: a link to a list, group, event, decision or
// tag, a people filter, or a tag by name. field is the part of the target
// an Invalid error is about (".href").
func (h *Handler) target(ctx context.Context, tj TargetJSON) (t messaging.Target, field string, err error) {
	given := 0
	for _, s := range []string{tj.Href, tj.Filter, tj.Tag} {
		if strings.TrimSpace(s) != "" {
			given++
		}
	}
	if given != 1 {
		return t, "", errs.E(errs.Invalid, `Give one of href (a link to a list, group, event, decision or tag), momentum:filter or momentum:tag.`)
	}
	switch {
	case strings.TrimSpace(tj.Filter) != "":
		return messaging.Target{Kind: messaging.TargetFilter, Query: strings.TrimSpace(tj.Filter)}, "", nil
	case strings.TrimSpace(tj.Tag) != "":
		return messaging.Target{Kind: messaging.TargetTag, Name: strings.TrimSpace(tj.Tag)}, "", nil
	}
	coll, id, ok := splitHref(tj.Href)
	if !ok {
		return t, ".href", errs.E(errs.Invalid, "Link a list, group, event, decision or tag of this server, like .../api/v1/lists/<id>.")
	}
	switch coll {
	case "queries":
		// A query is a saved list here (peopleapi serves one as the
		// other, with the same id): issue 14.
		coll = "lists"
	case "tags":
		name, err := h.tags(ctx, id)
		if err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return t, ".href", errs.E(errs.Invalid, "There is no such tag.")
			}
			return t, "", err
		}
		return messaging.Target{Kind: messaging.TargetTag, Name: name}, "", nil
	}
	kind, ok := kindOf[coll]
	if !ok {
		return t, ".href", errs.E(errs.Invalid, "A message can target lists, groups, events, decisions or tags, not %s.", coll)
	}
	return messaging.Target{Kind: kind, ID: id}, "", nil
}

// splitHref takes the collection and id out of a link, absolute or not:
// ".../api/v1/<collection>/<id>".
func splitHref(href string) (coll, id string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", "", false
	}
	_, rest, ok := strings.Cut(strings.TrimRight(u.Path, "/"), "/api/v1/")
	if !ok {
		return "", "", false
	}
	coll, id, ok = strings.Cut(rest, "/")
	if !ok || coll == "" || id == "" || strings.Contains(id, "/") {
		return "", "", false
	}
	return coll, id, true
}

// ScheduleInput is the body of the schedule helper.
type ScheduleInput struct {
	ScheduledStartDate *string `json:"scheduled_start_date"`
}

// at reads scheduled_start_date: RFC 3339; a time without an offset is
// UTC, as Action Network reads it.
func (si *ScheduleInput) at() (time.Time, error) {
	bad := func(msg string) error { return errs.Fields(map[string]string{"scheduled_start_date": msg}) }
	if si.ScheduledStartDate == nil || strings.TrimSpace(*si.ScheduledStartDate) == "" {
		return time.Time{}, bad("Give the time to send at, like 2026-12-08T09:00:00Z.")
	}
	s := strings.TrimSpace(*si.ScheduledStartDate)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, nil
	}
	return time.Time{}, bad(fmt.Sprintf("Expected a time like 2026-12-08T09:00:00Z, not %q.", s))
}

// renameFields renames an Invalid error's fields from the service's names
// to the JSON fields the client sent.
func renameFields(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &errs.Error{Code: e.Code, Message: e.Message, Err: e.Err, Fields: map[string]string{}}
	for f, msg := range e.Fields {
		if n, ok := apiFields[f]; ok {
			f = n
		}
		out.Fields[f] = msg
	}
	return out
}
