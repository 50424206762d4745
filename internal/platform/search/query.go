package search

import (
	"context"
	"errors"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

var errNotBuilt = errors.New("search: not built yet")

func search(ctx context.Context, q db.Querier, s Scope, query Query) (*Results, error) {
	return nil, errNotBuilt
}

func recent(ctx context.Context, q db.Querier, s Scope, groupID string, kinds []string, limit int) ([]Doc, error) {
	return nil, errNotBuilt
}
