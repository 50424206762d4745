package events

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// issue 13: search index. An event is indexed with its own visibility; a
// cancelled one stays findable, marked so in its context.

// searchDoc is an event as the search index holds it.
func searchDoc(e *Event) search.Doc {
	ctx := []string{}
	if e.Status == Cancelled {
		ctx = append(ctx, "Cancelled")
	}
	for _, s := range []string{e.Place.Name, e.Place.Address, e.Place.Postcode} {
		if s != "" {
			ctx = append(ctx, s)
		}
	}
	vis := search.Public
	switch e.Visibility {
	case Members:
		vis = search.Members
	case Group:
		vis = search.Group
		if e.GroupID == "" { // not allowed by Input; narrowest that Put accepts
			vis = search.Members
		}
	}
	return search.Doc{Kind: search.KindEvent, ID: e.ID, GroupID: e.GroupID, Visibility: vis,
		Title: e.Title, Body: e.Description, Context: strings.Join(ctx, " · "), URL: "/events/" + e.ID, At: e.Start.UTC()}
}

// index writes event id's current state to the search index, in tx.
func index(ctx context.Context, tx *db.Tx, id string) error {
	e, err := findEvent(ctx, tx, id)
	if err != nil {
		return err
	}
	return search.Put(ctx, tx, searchDoc(e))
}

// SearchDocs emits every event for the search index (search.Source).
func (s *Service) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	rows, err := q.Query(ctx, `SELECT `+eventCols+` FROM events e ORDER BY e.id`)
	if err != nil {
		return fmt.Errorf("events for search: %w", err)
	}
	defer rows.Close()
	var all []*Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return fmt.Errorf("events for search: %w", err)
		}
		all = append(all, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("events for search: %w", err)
	}
	rows.Close()
	for _, e := range all {
		if err := emit(searchDoc(e)); err != nil {
			return err
		}
	}
	return nil
}
