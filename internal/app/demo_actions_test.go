package app_test

import (
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
)

// TestDemoActions (issue 14): the demo has a network petition and a
// group's, each with a goal, and a volunteer form, each with responses
// from demo people, counted.
func TestDemoActions(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(demo.Generate(1, 400))})
		ctx := t.Context()
		rows, err := n.App.DB.Q().Query(ctx, `SELECT a.slug, a.kind, COALESCE(a.group_id, ''), a.goal, a.status, a.confirmed_count,
			(SELECT COUNT(*) FROM action_responses r WHERE r.action_id = a.id) FROM actions a ORDER BY a.slug`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string][2]int{}
		for rows.Next() {
			var slug, kind, group, status string
			var goal, count, responses int
			if err := rows.Scan(&slug, &kind, &group, &goal, &status, &count, &responses); err != nil {
				t.Fatal(err)
			}
			if status != "open" || count != responses || count == 0 {
				t.Errorf("%s: status %s, count %d of %d responses", slug, status, count, responses)
			}
			if (slug == "save-our-library") != (group != "") || kind == "petition" && goal == 0 {
				t.Errorf("%s: group %q goal %d", slug, group, goal)
			}
			got[slug] = [2]int{count, goal}
		}
		if len(got) != 3 || got["rent-controls-now"][0] < 100 || got["save-our-library"][0] < 30 || got["volunteer"][0] < 20 {
			t.Fatalf("demo actions %v", got)
		}
	})
}
