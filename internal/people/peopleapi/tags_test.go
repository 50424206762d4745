package peopleapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestTaggings(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada, bo, cy := e.person(t, "Ada", "ada@example.org"), e.person(t, "Bo", "bo@example.org"), e.person(t, "Cy", "cy@example.org")
		for _, p := range []*people.Person{ada, bo} {
			if err := e.people.Tag(e.sys, p.ID, "Volunteer"); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.people.Tag(e.sys, ada.ID, "donor"); err != nil {
			t.Fatal(err)
		}
		tags := e.do(t, "GET", "/api/v1/tags", e.network, "").want(t, 200)
		byName := map[string]string{}
		for _, tg := range tags.embedded(t, "osdi:tags") {
			byName[tg["name"].(string)] = idOf(t, tg)
		}
		vol := byName["Volunteer"]
		if len(byName) != 2 || vol == "" || num(tags.Body["total_records"]) != 2 {
			t.Fatalf("tags = %v", byName)
		}
		taggingsOf := func(t *testing.T, path string) []string {
			t.Helper()
			var ids []string
			for _, tg := range e.do(t, "GET", path, e.network, "").want(t, 200).embedded(t, "osdi:taggings") {
				l := href(tg, "osdi:person")
				ids = append(ids, l[strings.LastIndexByte(l, '/')+1:])
				if href(tg, "osdi:tag") == "" {
					t.Errorf("tagging without its tag: %v", tg)
				}
			}
			slices.Sort(ids)
			return ids
		}
		sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
		link := func(id string) string {
			return `{"_links": {"osdi:person": {"href": "` + site + `/api/v1/people/` + id + `"}}}`
		}

		steps := []struct {
			name, method, path, body string
			status                   int
			wantVolunteers           []string // taggings of Volunteer afterwards
		}{
			{"GetTag", "GET", "/api/v1/tags/" + vol, "", 200, sorted(ada.ID, bo.ID)},
			{"AddTagging", "POST", "/api/v1/tags/" + vol + "/taggings", link(cy.ID), 200, sorted(ada.ID, bo.ID, cy.ID)},
			{"AddTaggingAgain", "POST", "/api/v1/tags/" + vol + "/taggings", link(cy.ID), 200, sorted(ada.ID, bo.ID, cy.ID)},
			{"RemoveTagging", "DELETE", "/api/v1/tags/" + vol + "/taggings/" + bo.ID, "", 200, sorted(ada.ID, cy.ID)},
			{"NoPersonLink", "POST", "/api/v1/tags/" + vol + "/taggings", `{"_links": {}}`, 400, sorted(ada.ID, cy.ID)},
			{"UnknownPerson", "POST", "/api/v1/tags/" + vol + "/taggings", link("nobody"), 404, sorted(ada.ID, cy.ID)},
			{"UnknownTag", "GET", "/api/v1/tags/nope", "", 404, sorted(ada.ID, cy.ID)},
			{"UnknownTagTaggings", "GET", "/api/v1/tags/nope/taggings", "", 404, sorted(ada.ID, cy.ID)},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				e.do(t, s.method, s.path, e.network, s.body).want(t, s.status)
				if got := taggingsOf(t, "/api/v1/tags/"+vol+"/taggings"); !slices.Equal(got, s.wantVolunteers) {
					t.Errorf("Volunteer taggings = %v, want %v", got, s.wantVolunteers)
				}
			})
		}
		t.Run("PersonTaggings", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/people/"+ada.ID+"/taggings", e.network, "").want(t, 200)
			var names []string
			for _, tg := range res.embedded(t, "osdi:taggings") {
				l := href(tg, "osdi:tag")
				for name, id := range byName {
					if strings.HasSuffix(l, "/tags/"+id) {
						names = append(names, name)
					}
				}
			}
			slices.Sort(names)
			if !slices.Equal(names, []string{"Volunteer", "donor"}) {
				t.Errorf("Ada's tags = %v", names)
			}
		})
		t.Run("TaggingsPage", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/tags/"+vol+"/taggings?per_page=1", e.network, "").want(t, 200)
			if len(res.embedded(t, "osdi:taggings")) != 1 || num(res.Body["total_records"]) != 2 || !strings.Contains(href(res.Body, "next"), "page=2") {
				t.Errorf("page = %s", res.Raw)
			}
		})
	})
}

func TestListItems(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var want []string
		for _, name := range []string{"Ada", "Bo", "Cy"} {
			p := e.person(t, name, strings.ToLower(name)+"@example.org")
			if name != "Bo" {
				if err := e.people.Tag(e.sys, p.ID, "steward"); err != nil {
					t.Fatal(err)
				}
				want = append(want, p.ID)
			}
		}
		slices.Sort(want)
		l, err := e.people.SaveList(e.sys, "Stewards", people.Filter{Tags: []string{"steward"}})
		if err != nil {
			t.Fatal(err)
		}
		lists := e.do(t, "GET", "/api/v1/lists", e.network, "").want(t, 200).embedded(t, "osdi:lists")
		if len(lists) != 1 || lists[0]["name"] != "Stewards" || idOf(t, lists[0]) != l.ID {
			t.Fatalf("lists = %v", lists)
		}
		one := e.do(t, "GET", "/api/v1/lists/"+l.ID, e.network, "").want(t, 200)
		if one.Body["name"] != "Stewards" || href(one.Body, "osdi:items") != site+"/api/v1/lists/"+l.ID+"/items" {
			t.Errorf("list = %s", one.Raw)
		}
		var got []string
		link := href(one.Body, "osdi:items") + "?per_page=1"
		for link != "" {
			res := e.do(t, "GET", path(t, link), e.network, "").want(t, 200)
			if num(res.Body["total_records"]) != 2 {
				t.Errorf("total_records = %v", res.Body["total_records"])
			}
			for _, it := range res.embedded(t, "osdi:items") {
				l := href(it, "osdi:person")
				got = append(got, l[strings.LastIndexByte(l, '/')+1:])
			}
			link = href(res.Body, "next")
			if link != "" && !strings.Contains(link, "after=") {
				t.Errorf("next link %q has no cursor", link)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("items = %v, want %v", got, want)
		}
		// A cursor starts the page after that person.
		res := e.do(t, "GET", "/api/v1/lists/"+l.ID+"/items?per_page=1&after="+want[0], e.network, "").want(t, 200)
		if items := res.embedded(t, "osdi:items"); len(items) != 1 || !strings.HasSuffix(href(items[0], "osdi:person"), want[1]) {
			t.Errorf("items after %s = %v, want %s", want[0], items, want[1])
		}
		e.do(t, "GET", "/api/v1/lists/nope", e.network, "").want(t, 404)
		e.do(t, "GET", "/api/v1/lists/nope/items", e.network, "").want(t, 404)
	})
}
