package people

import (
	"fmt"
	"slices"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestPageStart checks that a page found by number (PageStart, then a
// keyset read) is the page a client walking every page would read (issue
// 14: page 800 as fast as page 1).
func TestPageStart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var all, tagged []string
		for i := range 23 {
			p := e.mustPerson(t, Input{GivenName: fmt.Sprintf("P%02d", i), Email: fmt.Sprintf("p%02d@example.org", i)})
			all = append(all, p.ID)
			if i%3 == 0 {
				if err := e.svc.Tag(e.admin, p.ID, "steward"); err != nil {
					t.Fatal(err)
				}
				tagged = append(tagged, p.ID)
			}
		}
		slices.Sort(all)
		slices.Sort(tagged)
		for _, tc := range []struct {
			name string
			f    Filter
			ids  []string
		}{{"Everyone", Filter{}, all}, {"Tagged", Filter{Tags: []string{"steward"}}, tagged}} {
			t.Run(tc.name, func(t *testing.T) {
				for _, size := range []int{1, 4, 5} {
					for offset := 0; offset <= len(tc.ids)+1; offset += size {
						cursor, end, err := e.svc.PageStart(e.admin, tc.f, offset)
						if err != nil {
							t.Fatal(err)
						}
						if (offset < len(tc.ids) && end) || (offset > len(tc.ids) && !end) {
							t.Fatalf("offset %d of %d: end %v", offset, len(tc.ids), end)
						}
						if end {
							continue
						}
						f := tc.f
						f.After, f.Limit = cursor, size
						pg, err := e.svc.List(e.admin, f)
						if err != nil {
							t.Fatal(err)
						}
						var got []string
						for _, p := range pg.People {
							got = append(got, p.ID)
						}
						want := tc.ids[min(offset, len(tc.ids)):min(offset+size, len(tc.ids))]
						if !slices.Equal(got, want) {
							t.Fatalf("size %d offset %d: %v, want %v", size, offset, got, want)
						}
					}
				}
			})
		}
		t.Run("OrganiserOutsideTheirGroup", func(t *testing.T) {
			_, _, ctx := e.account(t, "org@example.org", "Org", "member")
			if _, _, err := e.svc.PageStart(ctx, Filter{}, 5); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestTagsAndTaggingsService(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tag, created, err := e.svc.CreateTag(e.admin, " Volunteers ")
		if err != nil || !created || tag.Name != "Volunteers" {
			t.Fatalf("CreateTag = %+v, %v, %v", tag, created, err)
		}
		again, created, err := e.svc.CreateTag(e.admin, "volunteers")
		if err != nil || created || again.ID != tag.ID {
			t.Fatalf("again = %+v, %v, %v", again, created, err)
		}
		if _, _, err := e.svc.CreateTag(e.admin, "a, b"); errs.FieldsOf(err)["name"] == "" {
			t.Fatalf("a comma: %v", err)
		}
		var ids []string
		for i := range 5 {
			p := e.named(t, fmt.Sprintf("T%d", i), "Tagged")
			if err := e.svc.Tag(e.admin, p.ID, "volunteers"); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		slices.Sort(ids)
		ts, total, err := e.svc.Taggings(e.admin, tag.ID, 3, 25)
		if err != nil || total != 5 || len(ts) != 2 || ts[0].PersonID != ids[3] || ts[1].TagName != "Volunteers" {
			t.Fatalf("Taggings = %+v, %d, %v", ts, total, err)
		}
		if tg, err := e.svc.TaggingOf(e.admin, tag.ID, ids[0]); err != nil || tg.CreatedAt.IsZero() {
			t.Fatalf("TaggingOf = %+v, %v", tg, err)
		}
		if _, err := e.svc.TaggingOf(e.admin, tag.ID, "nobody"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("TaggingOf nobody: %v", err)
		}
		if pts, err := e.svc.PersonTaggings(e.admin, ids[2]); err != nil || len(pts) != 1 || pts[0].TagID != tag.ID {
			t.Fatalf("PersonTaggings = %+v, %v", pts, err)
		}
		page, total, err := e.svc.TagsPage(e.admin, 0, 25)
		if err != nil || total != 1 || len(page) != 1 || page[0].CreatedAt.IsZero() {
			t.Fatalf("TagsPage = %+v, %d, %v", page, total, err)
		}
	})
}

func TestUpdateWithIsOneTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.named(t, "Ada", "Lovelace")
		e.named(t, "Bo", "Taken")
		before := e.rows(t)
		in := Input{GivenName: "Changed", Email: "bo.taken@example.org", CustomFields: map[string]string{"new_key": "x"}}
		_, err := e.svc.UpdateWith(e.admin, ada.ID, in, UpdateOptions{DefineFields: true,
			Consents: []Consent{{Channel: ChannelEmail, Status: ConsentGranted, Source: "api", Wording: "Yes"}}})
		if errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("err = %v, want the address taken", err)
		}
		if after := e.rows(t); !mapsEqual(before, after) {
			t.Fatalf("a refused update wrote: %v -> %v", before, after)
		}
		in.Email = "ada.new@example.org"
		p, err := e.svc.UpdateWith(e.admin, ada.ID, in, UpdateOptions{DefineFields: true,
			Consents: []Consent{{Channel: ChannelEmail, Status: ConsentGranted, Source: "api", Wording: "Yes"}}})
		if err != nil || p.GivenName != "Changed" || p.CustomFields["new_key"] != "x" || !p.HasConsent(ChannelEmail) {
			t.Fatalf("UpdateWith = %+v, %v", p, err)
		}
	})
}
