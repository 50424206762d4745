package decisions

import (
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestElectorate: a members' ballot of one group with a member-since
// cut-off. Each person is told whether they may vote and why not, and Vote
// agrees; the electorate is frozen when voting opens.
func TestElectorate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g, other := e.group(t, "Hackney Momentum"), e.group(t, "Leeds Momentum")
		cutoff := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		org := e.member(t, "Olu Organiser")
		member := e.member(t, "Mia Member")
		supporter := e.person(t, "Sam Supporter", auth.RoleSupporter, "supporter", time.Time{})
		lapsed := e.person(t, "Lee Lapsed", auth.RoleSupporter, "lapsed", start.AddDate(-3, 0, 0))
		newcomer := e.person(t, "Nia Newcomer", auth.RoleMember, "member", cutoff.AddDate(0, 0, 5))
		leeds := e.member(t, "Len Leeds")
		late := e.member(t, "Lou Late")
		for _, p := range []person{org, member, supporter, lapsed, newcomer} {
			e.join(t, g, p, "member")
		}
		e.join(t, other, leeds, "member")
		dec := e.open(t, org, Input{GroupID: g, Title: "Adopt the new constitution?", Kind: KindProposal,
			Electorate: Electorate{Scope: ScopeGroup, MembersOnly: true, MemberSince: cutoff}})
		if dec.ElectorateSize != 2 || e.count(t, `SELECT COUNT(*) FROM decision_electorate WHERE decision_id = ?`, dec.ID) != 2 {
			t.Fatalf("electorate size %d, want 2 (the organiser and the member)", dec.ElectorateSize)
		}
		e.join(t, g, late, "member") // joins after voting opened
		cases := []struct {
			name   string
			who    person
			ok     bool
			reason string
		}{
			{"Member", member, true, ""},
			{"Supporter", supporter, false, "This ballot is for members of Hackney Momentum; you are a supporter."},
			{"Lapsed", lapsed, false, "This ballot is for members of Hackney Momentum; you are a lapsed member."},
			{"JoinedAfterCutoff", newcomer, false, "You joined after 1 Mar 2026, the cut-off for this ballot."},
			{"OtherGroup", leeds, false, "This ballot is for members of Hackney Momentum; you are not a member of the group."},
			{"JoinedGroupAfterOpening", late, false, "The electorate was fixed when voting opened at Tue 10 Mar 2026, 11:00 UTC, and you were not in it then."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				el, err := e.svc.CanVote(c.who.ctx, dec.ID)
				wantCode(t, err, "")
				if el.CanVote != c.ok || el.Reason != c.reason {
					t.Fatalf("CanVote = %v %q, want %v %q", el.CanVote, el.Reason, c.ok, c.reason)
				}
				_, err = e.svc.Vote(c.who.ctx, dec.ID, e.token(c.who.ctx, dec.ID), Choice{Position: "agree"})
				if c.ok {
					wantCode(t, err, "")
					return
				}
				wantCode(t, err, errs.Forbidden)
				wantMessage(t, err, c.reason)
			})
		}
		if n := e.cast(t, dec.ID); n != 1 {
			t.Fatalf("%d ballots, want 1", n)
		}
	})
}

// TestNetworkElectorate: a network-wide members' ballot admits every
// member, wherever they are, and no supporter; a member who becomes one
// after opening stays out.
func TestNetworkElectorate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.member(t, "Amy A"), e.member(t, "Ben B")
		sup := e.person(t, "Sid Supporter", auth.RoleSupporter, "supporter", time.Time{})
		dec := e.open(t, e.admin, Input{Title: "Network priorities", Kind: KindApproval,
			Options: []OptionInput{{Label: "Housing"}, {Label: "Climate"}, {Label: "Work"}}, Electorate: Electorate{MembersOnly: true}})
		if dec.Electorate.Scope != ScopeNetwork || dec.ElectorateSize != 3 { // admin, a, b
			t.Fatalf("scope %s size %d, want network 3", dec.Electorate.Scope, dec.ElectorateSize)
		}
		if _, err := d.Exec(t.Context(), `UPDATE people SET membership_status = 'member', member_since = ? WHERE id = ?`, start, sup.PersonID); err != nil {
			t.Fatal(err)
		}
		e.vote(t, dec, a, Choice{Approve: []int{1, 2}})
		e.vote(t, dec, b, Choice{Approve: []int{2}})
		_, err := e.svc.Vote(sup.ctx, dec.ID, e.token(sup.ctx, dec.ID), Choice{Approve: []int{3}})
		wantCode(t, err, errs.Forbidden)
		wantMessage(t, err, "electorate was fixed")
	})
}
