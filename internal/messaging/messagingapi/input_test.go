package messagingapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func testHandler() *Handler {
	return NewHandler(nil, func(ctx context.Context, id string) (string, error) {
		if id == "t1" {
			return "volunteer", nil
		}
		return "", errs.E(errs.NotFound, "There is no such tag.")
	}, "https://act.example.org/")
}

// TestTargets: each kind of target a client sends becomes the service's
// target, and back again; what cannot be one names the target's field.
func TestTargets(t *testing.T) {
	h, ctx := testHandler(), context.Background()
	good := []struct {
		in   TargetJSON
		want messaging.Target
	}{
		{TargetJSON{Href: "https://act.example.org/api/v1/lists/l1"}, messaging.Target{Kind: messaging.TargetList, ID: "l1"}},
		{TargetJSON{Href: "/api/v1/groups/g1/"}, messaging.Target{Kind: messaging.TargetGroup, ID: "g1"}},
		{TargetJSON{Href: "http://localhost:8080/api/v1/events/e1"}, messaging.Target{Kind: messaging.TargetEvent, ID: "e1"}},
		{TargetJSON{Href: "https://act.example.org/api/v1/decisions/d1"}, messaging.Target{Kind: messaging.TargetDecision, ID: "d1"}},
		{TargetJSON{Href: "https://act.example.org/api/v1/tags/t1"}, messaging.Target{Kind: messaging.TargetTag, Name: "volunteer"}},
		{TargetJSON{Tag: " volunteer "}, messaging.Target{Kind: messaging.TargetTag, Name: "volunteer"}},
		{TargetJSON{Filter: "group=g1&tags=volunteer"}, messaging.Target{Kind: messaging.TargetFilter, Query: "group=g1&tags=volunteer"}},
	}
	for _, c := range good {
		got, _, err := h.target(ctx, c.in)
		if err != nil || got != c.want {
			t.Errorf("target(%+v) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	back := h.targetsJSON([]messaging.Target{{Kind: messaging.TargetList, ID: "l1"}, {Kind: messaging.TargetTag, Name: "volunteer"},
		{Kind: messaging.TargetFilter, Query: "group=g1"}})
	if back[0].Href != "https://act.example.org/api/v1/lists/l1" || back[1].Tag != "volunteer" || back[2].Filter != "group=g1" {
		t.Errorf("targetsJSON = %+v", back)
	}

	mi := MessageInput{Targets: &[]TargetJSON{
		{Href: "https://act.example.org/api/v1/queries/q1"},
		{Href: "https://act.example.org/api/v1/people/p1"},
		{Href: "https://act.example.org/api/v1/tags/nope"},
		{Href: "https://act.example.org/lists/l1"},
		{},
		{Href: "https://act.example.org/api/v1/lists/l1", Tag: "both"},
		{Href: "https://act.example.org/api/v1/lists/l1"},
	}}
	_, err := h.input(ctx, &mi, nil, "")
	fields := errs.FieldsOf(err)
	for field, says := range map[string]string{
		"targets[1].href": "not people", "targets[2].href": "no such tag",
		"targets[3].href": "Link a list", "targets[4]": "Give one of", "targets[5]": "Give one of",
	} {
		if !strings.Contains(fields[field], says) {
			t.Errorf("field %s: %q, want it to say %q", field, fields[field], says)
		}
	}
	// targets[0], a saved query, is a list here (issue 14).
	if _, ok := fields["targets[6]"]; ok || len(fields) != 5 {
		t.Errorf("fields = %v", fields)
	}
}

// TestInputOverStored: a PUT keeps what it does not send; name stands in
// for a missing subject; errors from the service are renamed to the JSON
// fields.
func TestInputOverStored(t *testing.T) {
	h := testHandler()
	base := &messaging.Broadcast{Channel: messaging.ChannelEmail, GroupID: "g1", Subject: "Old", Body: "Body", FromName: "Hackney",
		Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: "g1"}}}
	var mi MessageInput
	if err := json.Unmarshal([]byte(`{"name": "New", "reply_to": "a@example.org"}`), &mi); err != nil {
		t.Fatal(err)
	}
	in, err := h.input(context.Background(), &mi, base, "other")
	if err != nil || in.Subject != "New" || in.Body != "Body" || in.FromName != "Hackney" || in.ReplyTo != "a@example.org" ||
		in.GroupID != "g1" || len(in.Targets) != 1 {
		t.Errorf("input = %+v, %v", in, err)
	}
	err = renameFields(errs.Fields(map[string]string{"from_name": "x", "channel": "y", "subject": "z"}))
	if f := errs.FieldsOf(err); f["from"] != "x" || f["type"] != "y" || f["subject"] != "z" || len(f) != 3 {
		t.Errorf("renamed = %v", f)
	}
}

func TestScheduleInput(t *testing.T) {
	s := func(v string) *ScheduleInput { return &ScheduleInput{ScheduledStartDate: &v} }
	if at, err := s("2026-12-08T09:00:00Z").at(); err != nil || !at.Equal(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("Z: %v %v", at, err)
	}
	if at, err := s("2026-12-08T09:00:00+01:00").at(); err != nil || !at.Equal(time.Date(2026, 12, 8, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("offset: %v %v", at, err)
	}
	if at, err := s("2026-12-08T09:00:00").at(); err != nil || !at.Equal(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("no offset is UTC: %v %v", at, err)
	}
	for _, bad := range []*ScheduleInput{{}, s(""), s("next tuesday"), s("2026-13-08T09:00:00Z")} {
		if _, err := bad.at(); errs.FieldsOf(err)["scheduled_start_date"] == "" {
			t.Errorf("%v: %v", bad.ScheduledStartDate, err)
		}
	}
}

// TestMessageResource: the statuses map to OSDI's, figures come from the
// stats, and opens and clicks appear only when they were tracked.
func TestMessageResource(t *testing.T) {
	h := testHandler()
	at := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	b := &messaging.Broadcast{ID: "m1", Channel: "email", GroupID: "g1", Status: messaging.StatusPaused, Subject: "Hi",
		CreatedAt: at, UpdatedAt: at, StartedAt: at, Recipients: 100, SendAt: at}
	m := h.message(b, &messaging.Stats{Recipients: 100, Sent: 90, Bounced: 2, Complained: 1, Unsubscribed: 3, Queued: 7, Opened: 40}, 100)
	raw, _ := json.Marshal(m)
	var got map[string]any
	json.Unmarshal(raw, &got)
	st := got["statistics"].(map[string]any)
	if got["status"] != "stopped" || got["momentum:status"] != "paused" || got["total_targeted"] != float64(100) ||
		st["sent"] != float64(90) || st["bounced"] != float64(2) || st["spam_reports"] != float64(1) || st["unsubscribed"] != float64(3) {
		t.Errorf("resource = %s", raw)
	}
	if _, ok := st["opened"]; ok {
		t.Errorf("opened given without tracking: %s", raw)
	}
	if _, ok := got["scheduled_start_date"]; ok {
		t.Errorf("a paused message has a scheduled_start_date: %s", raw)
	}
	if l := got["_links"].(map[string]any)["momentum:group"].(map[string]any); l["href"] != "https://act.example.org/api/v1/groups/g1" {
		t.Errorf("group link = %v", l)
	}
	b.Status, b.StartedAt = messaging.StatusScheduled, time.Time{}
	m = h.message(b, &messaging.Stats{Tracked: true, Opened: 40, Clicked: 5}, -1)
	raw, _ = json.Marshal(m)
	got = map[string]any{}
	json.Unmarshal(raw, &got)
	st = got["statistics"].(map[string]any)
	if st["opened"] != float64(40) || st["clicked"] != float64(5) || got["scheduled_start_date"] != "2026-11-03T10:00:00Z" || got["total_targeted"] != nil {
		t.Errorf("tracked, scheduled: %s", raw)
	}
}
