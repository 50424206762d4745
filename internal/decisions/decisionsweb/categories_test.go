package decisionsweb

import (
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestElectionCategoriesFromForm: candidates typed into the election form
// carry their category after a bar, so that reserved seats can be met.
func TestElectionCategoriesFromForm(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		hackney := s.group(t, "Hackney Momentum")
		org := s.person(t, "Olu Organiser", auth.RoleMember, "member")
		s.join(t, hackney, org, "organiser")
		form := url.Values{"group": {hackney}, "kind": {"election"}, "title": {"Women's officers"},
			"options": {"Ann Able | women\r\nBob Brown\r\nCat Cole |women \r\n"}, "seats": {"2"}, "method": {"scottish-stv"},
			"min_rep_category": {"women"}, "min_rep_seats": {"1"}, "members_only": {"true"},
			"opens_date": {"2026-06-03"}, "opens_time": {"10:00"}, "closes_date": {"2026-06-05"}, "closes_time": {"09:00"}}
		res := s.do("POST", "/decisions", form, &org)
		if res.Code != 303 {
			t.Fatalf("create: %d\n%s", res.Code, res.Body)
		}
		id := strings.TrimPrefix(res.Header().Get("Location"), "/decisions/")
		dec, err := s.svc.Get(org.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, o := range dec.Options {
			got[o.Label] = o.Category
		}
		if len(got) != 3 || got["Ann Able"] != "women" || got["Bob Brown"] != "" || got["Cat Cole"] != "women" {
			t.Fatalf("options and categories %v", got)
		}
	})
}
