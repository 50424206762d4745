package groups

import (
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestGroupHome is issue 16's group home: tabs, the organiser's three
// actions at the top of a short overview, and the members tab with search,
// its management parts for the group's own organisers only.
func TestGroupHome(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSiteOn(t, d)
		hackney := s.group(t, "Hackney", JoinOpen, "E8")
		islington := s.group(t, "Islington", JoinOpen, "N1")
		org := s.person(t, "Olu Organiser", auth.RoleMember)
		orgB := s.person(t, "Bea Islington", auth.RoleMember)
		sia := s.person(t, "Sia Shown", auth.RoleMember)
		hal := s.person(t, "Hal Hidden", auth.RoleMember)
		s.member(t, hackney, org, RoleOrganiser, MemberActive, false)
		s.member(t, hackney, sia, RoleMember, MemberActive, true)
		s.member(t, hackney, hal, RoleMember, MemberActive, false)
		s.member(t, islington, orgB, RoleOrganiser, MemberActive, true)
		rae := s.person(t, "Rae Request", auth.RoleMember)
		s.member(t, hackney, rae, RoleMember, MemberRequested, false)

		t.Run("OverviewActionsAtTheTop", func(t *testing.T) {
			body := s.do("GET", "/groups/hackney", nil, &org, nil).Body.String()
			actions := []string{`href="/decisions/new?group=` + hackney.ID + `"`, `href="/events/new?group=` + hackney.ID + `"`,
				`href="/messages/new?group=` + hackney.ID + `"`}
			tabs := strings.Index(body, `<nav class="tabs"`)
			you := strings.Index(body, `id="you"`)
			if tabs < 0 || you < tabs {
				t.Fatalf("tabs at %d, the first card at %d:\n%s", tabs, you, body)
			}
			for _, a := range actions {
				if i := strings.Index(body, a); i < 0 || i > tabs {
					t.Errorf("action %s at %d, want before the tabs (%d)", a, i, tabs)
				}
			}
			for _, tab := range []string{`<a href="/groups/hackney" aria-current="page">`, `href="/groups/hackney/members"`,
				`href="/decisions?group=` + hackney.ID + `"`, `href="/groups/hackney/talk"`, `href="/groups/hackney/library"`} {
				if !strings.Contains(body, tab) {
					t.Errorf("the tabs lack %s", tab)
				}
			}
			// Short: no member list and no role form per member.
			for _, bad := range []string{"<select", "/role\"", "Hal Hidden", "Sia Shown"} {
				if strings.Contains(body, bad) {
					t.Errorf("the overview has %q", bad)
				}
			}
		})
		t.Run("LeaveIsADangerConfirm", func(t *testing.T) {
			body := s.do("GET", "/groups/hackney", nil, &hal, nil).Body.String()
			i := strings.Index(body, `<details class="confirm">`)
			if i < 0 || !strings.Contains(body[i:], "Yes, leave the group") || !strings.Contains(body[i:], `action="/groups/hackney/leave"`) {
				t.Errorf("leaving is not behind a confirm step:\n%s", body)
			}
			if strings.Contains(body, "/decisions/new?group=") {
				t.Error("a member sees the organisers' actions")
			}
		})

		for _, sc := range []scenario{
			{Name: "MembersSearch", As: &org, URL: "/groups/hackney/members?q=HAL", ExpectedStatus: 200,
				ExpectedContent:    []string{"Hal Hidden", `value="HAL"`, `<a href="/groups/hackney/members" aria-current="page">`, `/members/` + hal.PersonID + `/role"`},
				NotExpectedContent: []string{"Sia Shown"}},
			{Name: "MembersSearchNone", As: &org, URL: "/groups/hackney/members?q=%25zz_", ExpectedStatus: 200,
				ExpectedContent: []string{"No member's name contains"}, NotExpectedContent: []string{"Hal Hidden", "Sia Shown"}},
			{Name: "MemberSeesNoManagement", As: &sia, URL: "/groups/hackney/members", ExpectedStatus: 200,
				ExpectedContent:    []string{"Sia Shown", `id="f-q"`},
				NotExpectedContent: []string{"Hal Hidden", "<select", "/role\"", `action="/groups/hackney/invite"`, "/approve", "/decisions/new?group="}},
			{Name: "OtherGroupsOrganiserSeesNoManagement", As: &orgB, URL: "/groups/hackney/members", ExpectedStatus: 200,
				NotExpectedContent: []string{"Hal Hidden", "Sia Shown", "<select", `action="/groups/hackney/invite"`, "/decisions/new?group="}},
			{Name: "OtherGroupsOrganiserCannotChangeRoles", As: &orgB, Method: "POST", URL: "/groups/hackney/members/" + hal.PersonID + "/role",
				Form: url.Values{"role": {"organiser"}}, ExpectedStatus: 403},
			{Name: "OtherGroupsOrganiserCannotInvite", As: &orgB, Method: "POST", URL: "/groups/hackney/invite",
				Form: url.Values{"email": {sia.Email}}, ExpectedStatus: 403},
			{Name: "AnonymousSeesTheCount", URL: "/groups/hackney/members", ExpectedStatus: 200,
				ExpectedContent: []string{"3 members"}, NotExpectedContent: []string{"Hal Hidden", "Sia Shown", "Olu Organiser", `id="f-q"`}},
			{Name: "RequestsWaitOnTheOverview", As: &org, URL: "/groups/hackney", ExpectedStatus: 200,
				ExpectedContent: []string{`id="requests"`, "Rae Request", `action="/groups/hackney/requests/` + rae.PersonID + `/approve"`}},
			{Name: "ApproveGoesToTheMembersTab", As: &org, Method: "POST", URL: "/groups/hackney/requests/" + rae.PersonID + "/approve",
				ExpectedStatus: 303, ExpectedLocation: "/groups/hackney/members", ExpectedFlash: "Rae Request"},
			{Name: "BulkRoleNeedsATick", As: &org, Method: "POST", URL: "/groups/hackney/members/roles", Form: url.Values{"role": {"moderator"}},
				ExpectedStatus: 422, ExpectedContent: []string{"Tick the members whose role to change.", `id="bulk-roles"`}},
			{Name: "BulkRoleBadRole", As: &org, Method: "POST", URL: "/groups/hackney/members/roles",
				Form: url.Values{"role": {"boss"}, "person": {hal.PersonID}}, ExpectedStatus: 422, ExpectedContent: []string{"Choose organiser, moderator or member."}},
			{Name: "BulkRoleRefusedToOtherOrganiser", As: &orgB, Method: "POST", URL: "/groups/hackney/members/roles",
				Form: url.Values{"role": {"organiser"}, "person": {hal.PersonID}}, ExpectedStatus: 403},
			{Name: "BulkRole", As: &org, Method: "POST", URL: "/groups/hackney/members/roles",
				Form: url.Values{"role": {"moderator"}, "person": {hal.PersonID, sia.PersonID}}, ExpectedStatus: 303,
				ExpectedLocation: "/groups/hackney/members", ExpectedFlash: "2 roles changed."},
			{Name: "MembersUnknownGroup", URL: "/groups/nowhere/members", ExpectedStatus: 404},
		} {
			t.Run(sc.Name, func(t *testing.T) { s.run(t, sc) })
		}
		for _, p := range []person{hal, sia} {
			if _, role := s.status(t, hackney, p); role != RoleModerator {
				t.Errorf("%s is %s after the bulk change, want moderator", p.Name, role)
			}
		}
	})
}
