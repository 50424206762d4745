package events

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/ical"
)

// feedLimit bounds how many events a feed holds; feeds cover events from
// a month ago on.
const feedLimit = 2000

// NetworkFeed is the calendar of the network's public events, every group's
// included, from a month ago on: the feed at /events.ics.
func (s *Service) NetworkFeed(ctx context.Context, name string) (*ical.Calendar, error) {
	return s.feed(ctx, name, `e.visibility = 'public'`)
}

// GroupFeed is the calendar of a group's events the viewer may see.
//
// Errors: errs.NotFound when the group does not exist.
func (s *Service) GroupFeed(ctx context.Context, groupID, name string) (*ical.Calendar, error) {
	var n int
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM groups WHERE id = ?`, groupID).Scan(&n); err != nil || n == 0 {
		return nil, cmpErr(err, errs.E(errs.NotFound, "There is no such group."))
	}
	where, args, err := s.visibleWhere(ctx)
	if err != nil {
		return nil, err
	}
	return s.feed(ctx, name, `e.group_id = ? AND `+where, append([]any{groupID}, args...)...)
}

// EventCalendar is one event's "add to calendar" file.
//
// Errors: errs.NotFound (also for an event the viewer may not see).
func (s *Service) EventCalendar(ctx context.Context, id string) (*ical.Calendar, error) {
	e, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return &ical.Calendar{ProdID: prodID, Method: "PUBLISH", Events: []ical.Event{s.icalEvent(e)}}, nil
}

// FeedToken makes (or, with renew, replaces) the signed-in person's private
// feed token and returns it: the feed's address is /calendar/TOKEN.ics.
// Anyone with the address sees which events the person is coming to, so it
// is shown only to them, and renewing it cuts off the old address.
//
// Errors: errs.Unauthorized.
func (s *Service) FeedToken(ctx context.Context, renew bool) (string, error) {
	p := auth.PrincipalFrom(ctx)
	if err := s.can(ctx, ActRSVP, nil); err != nil {
		return "", err
	}
	if p.UserID == "" {
		return "", errs.E(errs.Forbidden, "Only a person has a calendar of their own.")
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if err != nil {
		return "", err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	verb := `ON CONFLICT (person_id) DO NOTHING`
	if renew {
		verb = `ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`
	}
	res, err := s.db.Exec(ctx, `INSERT INTO event_feed_tokens (person_id, token_hash, created_at) VALUES (?, ?, ?) `+verb,
		personID, tokenHash(token), s.clock())
	if err != nil {
		return "", fmt.Errorf("feed token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// There is a token already, and only its hash is kept: the person
		// asks for a new one to see the address again.
		return "", errs.E(errs.Conflict, "You already have a calendar address. Make a new one to see it (the old one stops working).")
	}
	return token, nil
}

// HasFeed reports whether the signed-in person has made a private feed
// address (only its hash is kept, so it cannot be shown again).
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) HasFeed(ctx context.Context) (bool, error) {
	p := auth.PrincipalFrom(ctx)
	if err := s.can(ctx, ActRSVP, nil); err != nil {
		return false, err
	}
	if p.UserID == "" {
		return false, errs.E(errs.Forbidden, "Only a person has a calendar of their own.")
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if err != nil {
		return false, err
	}
	var n int
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM event_feed_tokens WHERE person_id = ?`, personID).Scan(&n); err != nil {
		return false, fmt.Errorf("has feed: %w", err)
	}
	return n > 0, nil
}

// PersonFeed is the private calendar of the events a person said they
// would (or might) come to, found by the token in its address. It needs no
// session: calendar programs fetch it on their own.
//
// Errors: errs.NotFound for an unknown token.
func (s *Service) PersonFeed(ctx context.Context, token, name string) (*ical.Calendar, error) {
	var personID string
	err := s.db.Q().QueryRow(ctx, `SELECT person_id FROM event_feed_tokens WHERE token_hash = ?`, tokenHash(token)).Scan(&personID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "This calendar address is not valid (it may have been replaced).")
	}
	if err != nil {
		return nil, fmt.Errorf("person feed: %w", err)
	}
	return s.feed(ctx, name, `e.id IN (SELECT event_id FROM event_rsvps WHERE person_id = ?
		AND status IN ('accepted', 'tentative', 'waitlisted'))`, personID)
}

const prodID = "-//Momentum//Events//EN"

// feed builds a calendar of the events matching where, from a month ago.
func (s *Service) feed(ctx context.Context, name, where string, args ...any) (*ical.Calendar, error) {
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+` FROM events e WHERE e.ends_at > ? AND `+where+
		` ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(feedLimit), append([]any{s.clock().AddDate(0, -1, 0)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("calendar feed: %w", err)
	}
	defer rows.Close()
	c := &ical.Calendar{ProdID: prodID, Name: name, Method: "PUBLISH"}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		c.Events = append(c.Events, s.icalEvent(e))
	}
	return c, rows.Err()
}

// icalEvent is an event as calendars see it.
func (s *Service) icalEvent(e *Event) ical.Event {
	host := "momentum.invalid"
	if u, err := url.Parse(s.base); err == nil && u.Host != "" {
		host = u.Host
	}
	link := s.base + "/events/" + e.ID
	var where []string
	for _, p := range []string{e.Place.Name, e.Place.Address, e.Place.Postcode} {
		if p != "" {
			where = append(where, p)
		}
	}
	if len(where) == 0 && e.OnlineURL != "" {
		where = append(where, e.OnlineURL)
	}
	desc := strings.TrimSpace(e.Description)
	if e.OnlineURL != "" {
		desc = strings.TrimSpace(desc + "\n\nJoin online: " + e.OnlineURL)
	}
	desc = strings.TrimSpace(desc + "\n\n" + link)
	ev := ical.Event{UID: e.ID + "@" + host, Stamp: e.UpdatedAt, LastModified: e.UpdatedAt, Sequence: e.Sequence,
		Start: e.Start, End: e.End, Summary: e.Title, Description: desc, Location: strings.Join(where, ", "),
		URL: link, RRule: e.RRule, Cancelled: e.Status == Cancelled, Categories: []string{KindLabel(e.Kind)}}
	if l := e.Place.Location; l != nil {
		ev.Geo = &[2]float64{l.Lat, l.Lng}
	}
	return ev
}

// KindLabel names a kind of event for people: "Phone bank".
func KindLabel(kind string) string {
	s := strings.ReplaceAll(kind, "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
