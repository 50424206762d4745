package groups

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// issue 13: search index. Groups are public in the index: anyone can find
// a group's page. An archived group stays findable; a merged one is
// removed (its page points to its new home, which is found instead).

// searchDoc is a group as the search index holds it.
func searchDoc(g *Group) search.Doc {
	ctx := []string{"Local group"}
	if g.Kind == KindWorking {
		ctx[0] = "Working group"
	}
	if g.RegionName != "" {
		ctx = append(ctx, g.RegionName)
	}
	if g.Archived() {
		ctx = append(ctx, "Archived")
	}
	return search.Doc{Kind: search.KindGroup, ID: g.ID, GroupID: g.ID, Visibility: search.Public,
		Title: g.Name, Body: g.Description, Context: strings.Join(ctx, " · "), URL: "/groups/" + g.Slug, At: g.CreatedAt}
}

// index writes group id's current state to the search index, in tx.
func index(ctx context.Context, tx *db.Tx, id string) error {
	g, err := getGroup(ctx, tx, "id", id)
	if err != nil {
		return err
	}
	if g.MergedInto != "" {
		return search.Delete(ctx, tx, search.KindGroup, id)
	}
	return search.Put(ctx, tx, searchDoc(g))
}

// SearchDocs emits every group but merged ones for the search index
// (search.Source).
func (s *Service) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	rows, err := q.Query(ctx, groupSelect+` WHERE g.merged_into IS NULL ORDER BY g.id`)
	if err != nil {
		return fmt.Errorf("groups for search: %w", err)
	}
	defer rows.Close()
	var all []*Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return fmt.Errorf("groups for search: %w", err)
		}
		all = append(all, g)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("groups for search: %w", err)
	}
	rows.Close()
	for _, g := range all {
		if err := emit(searchDoc(g)); err != nil {
			return err
		}
	}
	return nil
}
