package decisions

import (
	"context"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// issue 13: search index. A decision is indexed once it leaves draft (a
// draft is its author's and organisers' work in progress): a group's for
// the group's members, a network decision for the network's members. Its
// title, body and outcome statement are searched.

// searchDoc is a decision as the search index holds it.
func searchDoc(d *Decision) search.Doc {
	doc := search.Doc{Kind: search.KindDecision, ID: d.ID, GroupID: d.GroupID, Visibility: search.Members,
		Title: d.Title, Body: d.Body, URL: "/decisions/" + d.ID, At: d.CreatedAt}
	if d.GroupID != "" {
		doc.Visibility = search.Group
	}
	if d.PublicRecord && d.Status == StatusPublished { // issue 13: a public record is found by everyone
		doc.Visibility = search.Public
	}
	if d.Outcome != "" {
		doc.Body += "\n\n" + d.Outcome
	}
	ctx := []string{}
	if d.GroupName != "" {
		ctx = append(ctx, d.GroupName)
	}
	ctx = append(ctx, statusWord(d.Status))
	doc.Context = strings.Join(ctx, " · ")
	return doc
}

func statusWord(s Status) string {
	switch s {
	case StatusDiscussion:
		return "Under discussion"
	case StatusNominations:
		return "Nominations open"
	case StatusVoting:
		return "Voting open"
	case StatusClosed:
		return "Closed"
	case StatusPublished:
		return "Published"
	case StatusWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// index writes decision id's current state to the search index, in tx:
// a draft is not indexed.
func index(ctx context.Context, tx *db.Tx, id string) error {
	d, err := getDecision(ctx, tx, id, noLock)
	if err != nil {
		return err
	}
	if d.Status == StatusDraft {
		return search.Delete(ctx, tx, search.KindDecision, id)
	}
	return search.Put(ctx, tx, searchDoc(d))
}

// SearchDocs emits every decision but drafts for the search index
// (search.Source).
func (s *Service) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	rows, err := q.Query(ctx, `SELECT `+decisionCols+decisionFrom+` WHERE d.status <> 'draft' ORDER BY d.id`)
	if err != nil {
		return fmt.Errorf("decisions for search: %w", err)
	}
	defer rows.Close()
	var all []*Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return fmt.Errorf("decisions for search: %w", err)
		}
		all = append(all, d)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("decisions for search: %w", err)
	}
	rows.Close()
	for _, d := range all {
		if err := emit(searchDoc(d)); err != nil {
			return err
		}
	}
	return nil
}
