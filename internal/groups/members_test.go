package groups

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestMembersVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		other := e.group(t, "Islington", JoinOpen, "N1")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		mod := e.person(t, "Mo Moderator", auth.RoleMember)
		shown := e.person(t, "Sia Shown", auth.RoleMember)
		hidden := e.person(t, "Hal Hidden", auth.RoleMember)
		asked := e.person(t, "Rae Requested", auth.RoleSupporter)
		outsider := e.person(t, "Oscar Outsider", auth.RoleMember)
		otherOrg := e.person(t, "Ola OtherOrganiser", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		e.member(t, g, mod, RoleModerator, MemberActive, true)
		e.member(t, g, shown, RoleMember, MemberActive, true)
		e.member(t, g, hidden, RoleMember, MemberActive, false)
		e.member(t, g, asked, RoleMember, MemberRequested, true)
		e.member(t, other, otherOrg, RoleOrganiser, MemberActive, true)
		everyone := []string{"Olu Organiser", "Mo Moderator", "Sia Shown", "Hal Hidden"}
		optedIn := []string{"Mo Moderator", "Sia Shown"}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want []string
		}{
			{"Organiser", org.ctx, everyone},
			{"Moderator", mod.ctx, everyone},
			{"Admin", e.admin.ctx, everyone},
			{"MemberWhoShowsName", shown.ctx, optedIn},
			{"MemberWhoHidesName", hidden.ctx, optedIn},
			{"RequestedIsNotYetAMember", asked.ctx, nil},
			{"NonMember", outsider.ctx, nil},
			{"OrganiserOfAnotherGroup", otherOrg.ctx, nil},
			{"Anonymous", e.anyone, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, next, err := e.svc.Members(tc.ctx, g.ID, "", 50)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, m := range list {
					names = append(names, m.Name)
				}
				if !slices.Equal(names, tc.want) || next != "" {
					t.Fatalf("names %q (next %q), want %q", names, next, tc.want)
				}
			})
		}
		got, err := e.svc.Get(e.anyone, g.ID)
		if err != nil || got.MemberCount != 4 {
			t.Fatalf("anyone sees count %d (%v), want 4", got.MemberCount, err)
		}
		t.Run("OrganiserSeesRoles", func(t *testing.T) {
			list, _, _ := e.svc.Members(org.ctx, g.ID, "", 50)
			if list[0].Role != RoleOrganiser || list[1].Role != RoleModerator || list[2].Role != RoleMember {
				t.Fatalf("roles %+v", list)
			}
		})
		t.Run("Paging", func(t *testing.T) {
			var all []string
			after := ""
			for range 5 {
				page, next, err := e.svc.Members(org.ctx, g.ID, after, 3)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range page {
					all = append(all, m.Name)
				}
				if next == "" {
					break
				}
				after = next
			}
			if !slices.Equal(all, everyone) {
				t.Fatalf("pages gave %q, want %q", all, everyone)
			}
		})
		t.Run("ChoosingToShow", func(t *testing.T) {
			if err := e.svc.SetShowName(hidden.ctx, g.ID, true); err != nil {
				t.Fatal(err)
			}
			list, _, _ := e.svc.Members(shown.ctx, g.ID, "", 50)
			if len(list) != 3 || list[2].Name != "Hal Hidden" {
				t.Fatalf("after opting in: %+v", list)
			}
		})
		t.Run("PendingIsForOrganisers", func(t *testing.T) {
			if _, _, err := e.svc.Pending(mod.ctx, g.ID, "", 10); err == nil {
				t.Fatal("a moderator saw pending requests")
			}
			list, _, err := e.svc.Pending(org.ctx, g.ID, "", 10)
			if err != nil || len(list) != 1 || list[0].Name != "Rae Requested" {
				t.Fatalf("Pending = %+v, %v", list, err)
			}
		})
	})
}

func TestActivity(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		sia := e.person(t, "Sia Shown", auth.RoleMember)
		hal := e.person(t, "Hal Hidden", auth.RoleMember)
		out := e.person(t, "Oscar Outsider", auth.RoleMember)
		for _, p := range []person{sia, hal} {
			if _, err := e.svc.Join(p.ctx, g.ID); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(1e9)
		}
		if err := e.svc.SetShowName(sia.ctx, g.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetRole(org.ctx, g.ID, hal.PersonID, RoleModerator); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(1e9)
		// Another capability reported an action in this group.
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return e.people.RecordAction(context.Background(), tx, people.Action{PersonID: sia.PersonID, Kind: "event.attended",
				Summary: "Attended the April meeting", GroupID: g.ID, At: e.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			want []string
		}{
			{"Organiser", org.ctx, []string{"Sia Shown: Attended the April meeting", "Hal Hidden became moderator.", "Hal Hidden joined.", "Sia Shown joined."}},
			{"Member", sia.ctx, []string{"Sia Shown: Attended the April meeting", "A member became moderator.", "A member joined.", "Sia Shown joined."}},
			{"Outsider", out.ctx, []string{"A member became moderator.", "A member joined.", "A member joined."}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				items, err := e.svc.Activity(tc.ctx, g.ID, 10)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, it := range items {
					got = append(got, it.Text)
				}
				if !slices.Equal(got, tc.want) {
					t.Fatalf("activity\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}
	})
}
