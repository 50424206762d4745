package peopleapi_test

import (
	"slices"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestTokenScopes: without a token nothing is served; a token scoped to
// group B works within B and is refused everything of group A and of the
// network as a whole.
func TestTokenScopes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		alice, bob := e.person(t, "Alice", "alice@example.org"), e.person(t, "Bob", "bob@example.org")
		a, b := e.group(t, "Group A", alice), e.group(t, "Group B", bob)
		tokenB := e.token(t, "group b site", b.ID)
		if _, err := e.people.SaveList(e.sys, "B's list", people.Filter{GroupID: b.ID}); err != nil {
			t.Fatal(err)
		}
		newInB := `{"given_name": "Cleo", "email_addresses": [{"address": "cleo@example.org"}]}`
		join := `{"_links": {"osdi:person": {"href": "` + site + `/api/v1/people/` + bob.ID + `"}}}`

		tests := []struct {
			name, token, method, path, body string
			status                          int
		}{
			{"NoTokenPeople", "", "GET", "/api/v1/people", "", 401},
			{"NoTokenPerson", "", "GET", "/api/v1/people/" + alice.ID, "", 401},
			{"NoTokenSignup", "", "POST", helper, `{"person": {"given_name": "X"}}`, 401},
			{"NoTokenBeforeBadBody", "", "POST", helper, `{`, 401},
			{"NoTokenTags", "", "GET", "/api/v1/tags", "", 401},
			{"NoTokenLists", "", "GET", "/api/v1/lists", "", 401},
			{"NoTokenGroups", "", "GET", "/api/v1/groups", "", 401},
			{"UnknownToken", "mtm_not-a-token", "GET", "/api/v1/people", "", 401},
			{"NetworkPeople", e.network, "GET", "/api/v1/people", "", 200},

			{"GroupTokenPeopleWithoutGroup", tokenB, "GET", "/api/v1/people", "", 403},
			{"GroupTokenPeopleOfOtherGroup", tokenB, "GET", "/api/v1/people?group_id=" + a.ID, "", 403},
			{"GroupTokenPeopleOfOwnGroup", tokenB, "GET", "/api/v1/people?group_id=" + b.ID, "", 200},
			{"GroupTokenOtherGroupsPerson", tokenB, "GET", "/api/v1/people/" + alice.ID, "", 404},
			{"GroupTokenOwnMember", tokenB, "GET", "/api/v1/people/" + bob.ID, "", 200},
			{"GroupTokenUpdateOutsider", tokenB, "PUT", "/api/v1/people/" + alice.ID, `{"given_name": "Al"}`, 404},
			{"GroupTokenCreateInOtherGroup", tokenB, "POST", "/api/v1/people?group_id=" + a.ID, newInB, 403},
			{"GroupTokenCreateInOwnGroup", tokenB, "POST", "/api/v1/people?group_id=" + b.ID, newInB, 200},
			// Without group_id a group token's signups join its group (issue 14).
			{"GroupTokenSignupJoinsItsGroup", tokenB, "POST", helper, `{"person": {"given_name": "Xan", "email_addresses": [{"address": "xan@example.org"}]}}`, 200},
			// The custom fields a group token sends must be defined: it may not define them.
			{"GroupTokenCannotDefineFields", tokenB, "POST", helper, `{"person": {"email_addresses": [{"address": "yo@example.org"}], "custom_fields": {"x": "1"}}}`, 400},
			{"UnknownTokenOnHelper", "mtm_not-a-token", "POST", helper, `{}`, 401},
			{"GroupTokenTags", tokenB, "GET", "/api/v1/tags", "", 403},
			{"GroupTokenNetworkLists", tokenB, "GET", "/api/v1/lists", "", 403},
			{"GroupTokenOwnLists", tokenB, "GET", "/api/v1/lists?group_id=" + b.ID, "", 200},
			{"GroupTokenGroups", tokenB, "GET", "/api/v1/groups", "", 403},
			{"GroupTokenOtherGroup", tokenB, "GET", "/api/v1/groups/" + a.ID, "", 403},
			{"GroupTokenOwnGroup", tokenB, "GET", "/api/v1/groups/" + b.ID, "", 200},
			{"GroupTokenOtherMemberships", tokenB, "GET", "/api/v1/groups/" + a.ID + "/memberships", "", 403},
			{"GroupTokenOwnMemberships", tokenB, "GET", "/api/v1/groups/" + b.ID + "/memberships", "", 200},
			{"GroupTokenAddToOtherGroup", tokenB, "POST", "/api/v1/groups/" + a.ID + "/memberships", join, 403},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				// A bad token answers as a missing one: HAL+JSON, {"error": ...} (issue 14).
				res := e.do(t, tc.method, tc.path, tc.token, tc.body).want(t, tc.status)
				if msg, _ := res.errorOf(); tc.status >= 400 && msg == "" {
					t.Errorf("error without a message: %s", res.Raw)
				}
			})
		}

		t.Run("GroupTokenSeesOnlyItsMembers", func(t *testing.T) {
			res := e.do(t, "GET", "/api/v1/people?group_id="+b.ID, tokenB, "").want(t, 200)
			var names []string
			for _, p := range res.embedded(t, "osdi:people") {
				names = append(names, describe(p, "given_name"))
				// Bob gave no email consent, so his organisers' token does not see the address.
				if p["email_addresses"] == nil || len(p["email_addresses"].([]any)) != 0 {
					t.Errorf("a group token sees email addresses without consent: %v", p["email_addresses"])
				}
			}
			slices.Sort(names)
			if !slices.Equal(names, []string{"Bob", "Cleo", "Xan"}) {
				t.Errorf("group B's people = %v, want Bob, Cleo and Xan", names)
			}
		})
	})
}
