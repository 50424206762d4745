package people

import (
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestListSorted orders the list by each allowed column in both
// directions (people never active last either way), pages by offset, and
// refuses a sort it does not know as invalid input.
func TestListSorted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// Joined in the order brook, clay, ames.
		e.named(t, "Bea", "Brook")
		e.clock.Advance(time.Hour)
		clay := e.named(t, "Cal", "clay") // lower case: the name order ignores case
		e.clock.Advance(time.Hour)
		ames := e.named(t, "Ada", "Ames")
		t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		for id, at := range map[string]time.Time{clay.ID: t0, ames.ID: t0.Add(time.Hour)} {
			if _, err := d.Q().Exec(e.admin, `UPDATE people SET last_active_at = ? WHERE id = ?`, at, id); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			Sort string
			Desc bool
			Want []string
		}{
			{"name", false, []string{"Ames", "Brook", "clay"}},
			{"name", true, []string{"clay", "Brook", "Ames"}},
			{"joined", false, []string{"Brook", "clay", "Ames"}},
			{"joined", true, []string{"Ames", "clay", "Brook"}},
			{"last_active", false, []string{"clay", "Ames", "Brook"}},
			{"last_active", true, []string{"Ames", "clay", "Brook"}},
		} {
			ps, err := e.svc.ListSorted(e.admin, Filter{Text: "a"}, tc.Sort, tc.Desc, 0)
			if err != nil {
				t.Fatalf("%s desc=%v: %v", tc.Sort, tc.Desc, err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.FamilyName)
			}
			if !slices.Equal(got, tc.Want) {
				t.Errorf("%s desc=%v: got %v, want %v", tc.Sort, tc.Desc, got, tc.Want)
			}
			// The second page of one holds the second person.
			two, err := e.svc.ListSorted(e.admin, Filter{Text: "a", Limit: 1}, tc.Sort, tc.Desc, 1)
			if err != nil || len(two) != 1 || two[0].FamilyName != tc.Want[1] {
				t.Errorf("%s desc=%v offset 1: got %v, %v; want %s", tc.Sort, tc.Desc, two, err, tc.Want[1])
			}
		}
		for _, bad := range []string{"", "id; DROP TABLE people", "email"} {
			if _, err := e.svc.ListSorted(e.admin, Filter{}, bad, false, 0); !errs.Is(err, errs.Invalid) {
				t.Errorf("sort %q: got %v, want invalid", bad, err)
			}
		}
	})
}
