package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestDemoRecount: for every closed ranked decision of the demo network,
// `momentum tally` on the ballots downloaded from the decision's page
// elects the same people, in the same order, as the results page shows.
func TestDemoRecount(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		nw := demo.Generate(1, 400)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(nw)})
		c := apptest.Client(t)
		n.Login(t, c, nw.AdminEmail, nw.AdminPassword)
		sys := auth.WithSystem(context.Background())
		ds, err := n.App.Decisions.List(sys, decisions.ListFilter{All: true, Closed: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		counted := 0
		for _, d := range ds {
			if !d.Ranked() {
				continue
			}
			res, err := n.App.Decisions.Results(sys, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome == nil || res.Outcome.Turnout < 100 {
				t.Fatalf("%s: results %+v, want a count of the demo's ballots", d.Title, res.Outcome)
			}
			page := apptest.Get(t, c, n.URL+"/decisions/"+d.ID+"/results")
			for _, w := range res.Outcome.Winners {
				if page.Status != 200 || !strings.Contains(page.Body, html.EscapeString(w)) {
					t.Fatalf("the results page (%d) does not name %s", page.Status, w)
				}
			}
			blt := apptest.Get(t, c, n.URL+"/decisions/"+d.ID+"/ballots.blt")
			if blt.Status != 200 {
				t.Fatalf("%s: ballots.blt: %d", d.Title, blt.Status)
			}
			file := filepath.Join(t.TempDir(), "ballots.blt")
			if err := os.WriteFile(file, []byte(blt.Body), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, nil, "", "tally", "--method", string(d.Method), "--seats", fmt.Sprint(d.Seats), "--json", file)
			if r.Err != nil {
				t.Fatalf("momentum tally: %v\n%s", r.Err, r.Stderr)
			}
			var got struct {
				Elected []string `json:"elected"`
			}
			if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Elected, res.Outcome.Winners) {
				t.Errorf("%s: momentum tally elects %v, the results page %v", d.Title, got.Elected, res.Outcome.Winners)
			}
			counted++
		}
		if counted == 0 {
			t.Fatal("the demo has no closed ranked decision to recount")
		}
	})
}
