package decisions

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

// TestPermissions runs each capability against the roles that may and
// may not use it; above all, an organiser of group A can do nothing to
// group B's decisions.
func TestPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ga, gb := e.group(t, "Group A"), e.group(t, "Group B")
		orgA, orgB := e.member(t, "Ola OrganiserA"), e.member(t, "Obi OrganiserB")
		memB, outsider := e.member(t, "Max MemberB"), e.member(t, "Ona Outsider")
		supporter := e.person(t, "Sue Supporter", auth.RoleSupporter, "supporter", start)
		e.join(t, ga, orgA, "organiser")
		e.join(t, gb, orgB, "organiser")
		e.join(t, gb, memB, "member")
		election := func(g string) Input {
			return Input{GroupID: g, Title: "Officers", Kind: KindElection, Seats: 2,
				Options: []OptionInput{{Label: "A"}, {Label: "B"}, {Label: "C"}}, Electorate: Electorate{MembersOnly: true}}
		}
		draftB := e.create(t, memB, poll(gb))
		openB := e.open(t, orgB, poll(gb))
		cases := []struct {
			name string
			do   func() error
			code errs.Code
		}{
			{"MemberProposesInOwnGroup", func() error { _, err := e.svc.Create(memB.ctx, poll(gb)); return err }, ""},
			{"MemberCannotStartElection", func() error { _, err := e.svc.Create(memB.ctx, election(gb)); return err }, errs.Forbidden},
			{"OrganiserStartsElection", func() error { _, err := e.svc.Create(orgB.ctx, election(gb)); return err }, ""},
			{"OutsiderCannotPropose", func() error { _, err := e.svc.Create(outsider.ctx, poll(gb)); return err }, errs.Forbidden},
			{"OrganiserACannotProposeInB", func() error { _, err := e.svc.Create(orgA.ctx, poll(gb)); return err }, errs.Forbidden},
			{"OrganiserACannotStartElectionInB", func() error { _, err := e.svc.Create(orgA.ctx, election(gb)); return err }, errs.Forbidden},
			{"OrganiserACannotSeeBDraft", func() error { _, err := e.svc.Get(orgA.ctx, draftB.ID); return err }, errs.NotFound},
			{"OrganiserACannotSeeB", func() error { _, err := e.svc.Get(orgA.ctx, openB.ID); return err }, errs.Forbidden},
			{"OrganiserACannotEditB", func() error { _, err := e.svc.Update(orgA.ctx, draftB.ID, poll(gb)); return err }, errs.Forbidden},
			{"OrganiserACannotStartBDiscussion", func() error { _, err := e.svc.StartDiscussion(orgA.ctx, draftB.ID); return err }, errs.Forbidden},
			{"OrganiserACannotWithdrawB", func() error { _, err := e.svc.Withdraw(orgA.ctx, openB.ID); return err }, errs.Forbidden},
			{"OrganiserACannotOpenB", func() error { _, err := e.svc.OpenVoting(orgA.ctx, draftB.ID); return err }, errs.Forbidden},
			{"OrganiserACannotListB", func() error { _, err := e.svc.List(orgA.ctx, ListFilter{GroupID: gb}); return err }, errs.Forbidden},
			{"OrganiserBSeesAuthorsDraft", func() error { _, err := e.svc.Get(orgB.ctx, draftB.ID); return err }, ""},
			{"MemberSeesOpenDecision", func() error { _, err := e.svc.Get(memB.ctx, openB.ID); return err }, ""},
			{"MemberCannotWithdrawOthers", func() error { _, err := e.svc.Withdraw(memB.ctx, openB.ID); return err }, errs.Forbidden},
			{"MemberCannotCreateNetworkWide", func() error { _, err := e.svc.Create(memB.ctx, poll("")); return err }, errs.Forbidden},
			{"AdminCreatesNetworkWide", func() error {
				_, err := e.svc.Create(e.admin.ctx, Input{Title: "Network poll", Kind: KindPoll, Options: []OptionInput{{Label: "Yes"}, {Label: "No"}}})
				return err
			}, ""},
			{"SupporterCannotListNetwork", func() error { _, err := e.svc.List(supporter.ctx, ListFilter{Network: true}); return err }, errs.Forbidden},
			{"OnlyAdminsListAll", func() error { _, err := e.svc.List(orgB.ctx, ListFilter{All: true}); return err }, errs.Forbidden},
			{"OrganiserCannotMoveBallots", func() error { _, err := e.svc.MoveBallots(orgB.ctx); return err }, errs.Forbidden},
			{"AnonymousCannotGetBallotToken", func() error { _, err := e.svc.BallotToken(context.Background(), openB.ID); return err }, errs.Unauthorized},
			{"AnonymousCannotVote", func() error { _, err := e.svc.Vote(context.Background(), openB.ID, "", Choice{Option: 1}); return err }, errs.Unauthorized},
			{"UnknownGroup", func() error { _, err := e.svc.Create(e.admin.ctx, poll(db.NewID())); return err }, errs.Invalid},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantCode(t, c.do(), c.code) })
		}
		t.Run("OrganiserACannotPublishB", func(t *testing.T) {
			e.close(t, openB)
			_, err := e.svc.Publish(orgA.ctx, openB.ID, "Done.")
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.Results(orgA.ctx, openB.ID)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.Results(memB.ctx, openB.ID)
			wantCode(t, err, "")
		})
		t.Run("ListHidesDraftsFromMembers", func(t *testing.T) {
			list, err := e.svc.List(memB.ctx, ListFilter{GroupID: gb})
			wantCode(t, err, "")
			for _, x := range list {
				if x.Status == StatusDraft {
					t.Fatalf("member sees draft %q", x.Title)
				}
			}
			list, err = e.svc.List(orgB.ctx, ListFilter{GroupID: gb, Status: StatusDraft})
			wantCode(t, err, "")
			if len(list) == 0 {
				t.Fatal("organiser sees no drafts")
			}
		})
	})
}

// TestInputValidation: each invalid input names its field.
func TestInputValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Group A")
		cases := []struct {
			name  string
			in    Input
			field string
		}{
			{"NoTitle", Input{GroupID: g, Kind: KindProposal}, "title"},
			{"UnknownKind", Input{GroupID: g, Title: "x", Kind: "lottery"}, "kind"},
			{"OneOption", Input{GroupID: g, Title: "x", Kind: KindPoll, Options: []OptionInput{{Label: "Only"}}}, "options"},
			{"RepeatedOption", Input{GroupID: g, Title: "x", Kind: KindPoll, Options: []OptionInput{{Label: "A"}, {Label: "a"}}}, "options.1"},
			{"WrongMethod", Input{GroupID: g, Title: "x", Kind: KindRanked, Method: tally.ScottishSTV, Options: []OptionInput{{Label: "A"}, {Label: "B"}}}, "method"},
			{"ClosesBeforeOpening", Input{GroupID: g, Title: "x", Kind: KindProposal, OpensAt: start, ClosesAt: start}, "closes_at"},
			{"BadShare", Input{GroupID: g, Title: "x", Kind: KindProposal, Required: Share{3, 2}}, "required"},
			{"QuorumOver100", Input{GroupID: g, Title: "x", Kind: KindProposal, QuorumPercent: 101}, "quorum_percent"},
			{"MinRepOnPoll", Input{GroupID: g, Title: "x", Kind: KindPoll, Options: []OptionInput{{Label: "A"}, {Label: "B"}},
				MinRepresentation: MinRepresentation{Category: "woman", Seats: 1}}, "min_rep_seats"},
			{"NoDots", Input{GroupID: g, Title: "x", Kind: KindDot, Options: []OptionInput{{Label: "A"}, {Label: "B"}}}, "max_points"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.Create(e.admin.ctx, c.in)
				wantCode(t, err, errs.Invalid)
				if _, ok := errs.FieldsOf(err)[c.field]; !ok {
					t.Fatalf("fields %v, want %q", errs.FieldsOf(err), c.field)
				}
			})
		}
	})
}
