package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
)

// TestDemoDecisions: the demo holds a finished network-wide STV election
// for five seats, counted and published, and open consensus proposals in
// local groups that members are voting on.
func TestDemoDecisions(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(demo.Generate(1, 400))})
		ctx := context.Background()
		var published, seats, ballots, electorate, open, proposalVotes int
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*), MAX(seats), MAX(turnout), MAX(electorate_size) FROM decisions
			WHERE kind = 'election' AND status = 'published' AND group_id IS NULL`).Scan(&published, &seats, &ballots, &electorate)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM decisions WHERE kind = 'proposal' AND status = 'voting' AND group_id IS NOT NULL`).Scan(&open)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM decision_voters v JOIN decisions d ON d.id = v.decision_id WHERE d.kind = 'proposal'`).Scan(&proposalVotes)
		if published != 1 || seats != 5 || ballots < 100 || electorate < ballots || open != 3 || proposalVotes < 3 {
			t.Fatalf("demo decisions: %d published elections (%d seats, %d ballots of %d), %d open proposals with %d votes",
				published, seats, ballots, electorate, open, proposalVotes)
		}
	})
}
