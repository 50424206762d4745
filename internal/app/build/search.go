package build

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/search"
	"github.com/momentum-movement/momentum/internal/site/searchweb"
)

// issue 13: search. SearchSources are the capabilities whose records are
// indexed: the reindexer (momentum search reindex, and the first start
// after an upgrade) rebuilds the index from them. A capability that calls
// search.Put adds its Service here.
func (s *Services) SearchSources() []search.Source {
	return []search.Source{s.Groups, s.Events, s.Decisions, s.Library, s.Talk, // Library and Talk: issue 13
		s.Actions} // issue 14
}

// buildSearch makes the search page's service and builds the index when it
// is empty but records exist (the first start after the upgrade that added
// search).
func (s *Services) buildSearch(ctx context.Context) error {
	var err error
	if s.Search, err = searchweb.New(searchweb.Deps{DB: s.DB, Groups: s.Groups, People: s.People}); err != nil {
		return err
	}
	return search.ReindexIfEmpty(ctx, s.DB, s.Log, s.SearchSources()...)
}
