package messaging

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// composer personalises one broadcast for each of its recipients: what it
// needs from the database (the compiled body, group names, the events
// coming up) is read once when it is made, so a batch of 500 mails costs
// no query per mail.
type composer struct {
	b        *Broadcast
	c        *compiled
	groups   map[string]string // id → name
	next     nextEvents
	fromName string
	base     string
	track    *Tracker // set when the broadcast is tracked
}

func (s *Service) newComposer(ctx context.Context, b *Broadcast) (*composer, error) {
	groups, err := groupNames(ctx, s.d.DB.Q())
	if err != nil {
		return nil, err
	}
	m := &composer{b: b, groups: groups, base: s.base, next: nextEvents{base: s.base}}
	evs, err := s.d.Events.ComingUp(ctx, 500)
	if err != nil {
		return nil, fmt.Errorf("events coming up: %w", err)
	}
	horizon := s.clock().Add(eventsHorizon)
	for _, e := range evs {
		if e.Start.Before(horizon) {
			m.next.events = append(m.next.events, e)
		}
	}
	why := "You get this email because you said " + s.d.SiteName + " may email you."
	m.fromName = s.d.SiteName
	if g := groups[b.GroupID]; b.GroupID != "" {
		why = "You get this email because you are a member of " + g + " in " + s.d.SiteName + " and said we may email you."
		m.fromName = g
	}
	if b.FromName != "" {
		m.fromName = b.FromName
	}
	if m.c, err = compile(b, s.d.SiteName, why); err != nil {
		return nil, err
	}
	// Opens and clicks (comply branch, tracking.go): only when tracked.
	if b.Track {
		if m.track, err = LoadTracker(ctx, s.d.DB.Q(), s.base); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// unsubscribeURL is a recipient's one-click unsubscribe link.
func (m *composer) unsubscribeURL(token string) string { return m.base + "/u/" + token }

// render personalises the broadcast for r.
func (m *composer) render(r recipient) *Rendered {
	group := m.groups[m.b.GroupID]
	if m.b.GroupID == "" {
		group = m.groups[r.GroupID]
	}
	unsub := m.unsubscribeURL(r.Token)
	subject, text, html := m.c.personalise(values{
		"first_name": r.GivenName,
		"group":      group,
		"next_event": m.next.For(r.Point, firstNonEmpty(m.b.GroupID, r.GroupID)),
	}, unsub)
	if m.track != nil { // signed click links and the open pixel (tracking.go)
		html = m.track.Links(html, r.Token)
	}
	return &Rendered{To: r.Address, Subject: subject, Text: text, HTML: html, Headers: map[string]string{
		"List-Unsubscribe":      "<" + unsub + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}}
}

// bulk is r's mail for the bulk sender, keyed by the person's id.
func (m *composer) bulk(r recipient) mail.BulkMessage {
	out := m.render(r)
	return mail.BulkMessage{Key: r.PersonID, To: out.To, Subject: out.Subject, Text: out.Text, HTML: out.HTML,
		FromName: m.fromName, ReplyTo: m.b.ReplyTo, Headers: out.Headers, Related: "messaging.broadcast"}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// groupNames reads every group's name (a network has hundreds at most).
func groupNames(ctx context.Context, q db.Querier) (map[string]string, error) {
	rows, err := q.Query(ctx, `SELECT id, name FROM groups`)
	if err != nil {
		return nil, fmt.Errorf("group names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
