package decisionsweb

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/tally"
)

// TestElectionPages walks an STV election through its pages: an organiser
// creates it with London times, members vote by ranking (the same form
// twice counts once, a duplicate preference is refused beside the field),
// one changes their vote with their receipt, a supporter and another
// group's organiser are refused with the reason, and after the close the
// results show the count, the checker finds a ballot by its code, the BLT
// downloads and the API lists who was elected.
func TestElectionPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		hackney, leeds := s.group(t, "Hackney Momentum"), s.group(t, "Leeds Momentum")
		org := s.person(t, "Olu Organiser", auth.RoleMember, "member")
		m1, m2 := s.person(t, "Mia Member", auth.RoleMember, "member"), s.person(t, "Max Member", auth.RoleMember, "member")
		sup := s.person(t, "Sam Supporter", auth.RoleSupporter, "supporter")
		orgB := s.person(t, "Bea Leeds", auth.RoleMember, "member")
		s.join(t, hackney, org, "organiser")
		s.join(t, hackney, m1, "member")
		s.join(t, hackney, m2, "member")
		s.join(t, hackney, sup, "member")
		s.join(t, leeds, orgB, "organiser")

		s.run(t, scenario{Name: "ChooserForOrganiser", As: &org, URL: "/decisions/new?group=" + hackney, ExpectedStatus: 200,
			ExpectedContent: []string{"kind=election", "kind=proposal", "STV"}})
		s.run(t, scenario{Name: "ChooserForMember", As: &m1, URL: "/decisions/new?group=" + hackney, ExpectedStatus: 200,
			ExpectedContent: []string{"kind=proposal", "kind=poll"}, NotExpectedContent: []string{"kind=election", "kind=ranked"}})
		s.run(t, scenario{Name: "OtherGroupsOrganiserRefusedTheForm", As: &orgB, URL: "/decisions/new?group=" + hackney, ExpectedStatus: 403})
		s.run(t, scenario{Name: "ElectionForm", As: &org, URL: "/decisions/new?group=" + hackney + "&kind=election", ExpectedStatus: 200,
			ExpectedContent: []string{`<label for="f-nomination_threshold">Nomination threshold</label>`, `<option value="meek">meek</option>`,
				`<label for="f-opens_date">Opens on</label>`, `(London time)`, `<label for="f-seats">`}})
		form := url.Values{"group": {hackney}, "kind": {"election"}, "title": {"Delegates to conference"},
			"options": {"Ann Able\r\nBob Brown\r\nCat Cole\r\n"}, "seats": {"2"}, "method": {"scottish-stv"}, "members_only": {"true"},
			"opens_date": {"2026-06-03"}, "opens_time": {"10:00"}, "closes_date": {"2026-06-05"}, "closes_time": {"09:00"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("closes_date", "2026-06-01")
		s.run(t, scenario{Name: "CreateInvalid", As: &org, Method: "POST", URL: "/decisions", Form: bad, ExpectedStatus: 422,
			ExpectedContent: []string{"Voting must close after it opens.", `value="Delegates to conference"`, "Bob Brown"}})
		res := s.do("POST", "/decisions", form, &org)
		if res.Code != 303 || !strings.HasPrefix(res.Header().Get("Location"), "/decisions/") {
			t.Fatalf("create: %d %s\n%s", res.Code, res.Header().Get("Location"), res.Body)
		}
		id := strings.TrimPrefix(res.Header().Get("Location"), "/decisions/")
		dec, err := s.svc.Get(org.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 6, 3, 9, 0, 0, 0, time.UTC); !dec.OpensAt.Equal(want) {
			t.Errorf("opens at %v, want %v: 10:00 in London in June is 09:00 UTC", dec.OpensAt, want)
		}
		if dec.Seats != 2 || dec.Method != tally.ScottishSTV || len(dec.Options) != 3 {
			t.Errorf("created %+v", dec)
		}
		page := "/decisions/" + id
		s.run(t, scenario{Name: "OtherGroupsOrganiserCannotManage", As: &orgB, Method: "POST", URL: page + "/withdraw", ExpectedStatus: 403})
		s.run(t, scenario{Name: "MemberCannotManage", As: &m1, Method: "POST", URL: page + "/discussion", ExpectedStatus: 403})
		s.run(t, scenario{Name: "Discussion", As: &org, Method: "POST", URL: page + "/discussion", ExpectedStatus: 303, ExpectedLocation: page})
		s.run(t, scenario{Name: "DiscussionShowsLondonTimes", As: &m1, URL: page, ExpectedStatus: 200,
			ExpectedContent: []string{"Wed 3 Jun 2026, 10:00 London time", "Voting opens at Wed 3 Jun 2026, 10:00 London time."},
			// issue 16: one date format on the page, the zone said once.
			NotExpectedContent: []string{"(UTC)", "(London time)", "10:00:00", "3 June 2026"}})
		s.clock.Set(dec.OpensAt)
		if _, err := s.svc.OpenVoting(s.system, id); err != nil {
			t.Fatal(err)
		}

		s.run(t, scenario{Name: "BallotForm", As: &m1, URL: page, ExpectedStatus: 200,
			ExpectedContent: []string{`data-live="/decisions/` + id + `/turnout/stream">0 of 3 have voted</span>`,
				`<select id="rank-1" name="rank_1">`, `<option value="3">3</option>`, `name="ballot" value="`, "Fixed when voting opened: 3 people."},
			NotExpectedContent: []string{`name="old_receipt"`, `name="receipt"`}})
		s.run(t, scenario{Name: "SupporterToldWhy", As: &sup, URL: page, ExpectedStatus: 200,
			ExpectedContent:    []string{"This ballot is for members of Hackney Momentum; you are a supporter."},
			NotExpectedContent: []string{`name="ballot"`}})
		t1 := s.ballotToken(t, id, m1)
		vote := url.Values{"ballot": {t1}, "rank_2": {"1"}, "rank_1": {"2"}, "rank_3": {""}}
		r1 := receiptIn(t, s.run(t, scenario{Name: "Vote", As: &m1, Method: "POST", URL: page + "/vote", Form: vote, ExpectedStatus: 200,
			ExpectedContent: []string{"</strong>. Keep it: you need it to check your ballot after the close and to change your vote."}}))
		s.run(t, scenario{Name: "SameFormAgainCountsOnce", As: &m1, Method: "POST", URL: page + "/vote", Form: vote, ExpectedStatus: 200,
			ExpectedContent: []string{`<strong id="receipt-code">` + r1 + `</strong>`}})
		s.run(t, scenario{Name: "TurnoutServerSide", As: &org, URL: page, ExpectedStatus: 200, ExpectedContent: []string{">1 of 3 have voted</span>"}})
		t2 := s.ballotToken(t, id, m2)
		s.run(t, scenario{Name: "DuplicatePreference", As: &m2, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t2}, "rank_1": {"1"}, "rank_3": {"1"}}, ExpectedStatus: 422,
			ExpectedContent: []string{"You gave preference 1 to two options", `<option value="1" selected>1</option>`, `name="ballot" value="` + t2 + `"`}})
		s.run(t, scenario{Name: "NothingRanked", As: &m2, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t2}}, ExpectedStatus: 422, ExpectedContent: []string{"Rank at least one option"}})
		s.run(t, scenario{Name: "SomeoneElsesToken", As: &m2, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t1}, "rank_1": {"1"}}, ExpectedStatus: 422,
			ExpectedContent: []string{"This ballot form is out of date or not yours."}})
		s.run(t, scenario{Name: "SecondVoter", As: &m2, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t2}, "rank_1": {"1"}, "rank_2": {"2"}}, ExpectedStatus: 200, ExpectedContent: []string{`id="receipt-code"`}})
		s.run(t, scenario{Name: "SupporterRefused", As: &sup, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {s.ballotToken(t, id, m1)}, "rank_1": {"1"}}, ExpectedStatus: 403,
			ExpectedContent: []string{"This ballot is for members of Hackney Momentum; you are a supporter."}})
		s.run(t, scenario{Name: "ChangeForm", As: &m1, URL: page, ExpectedStatus: 200,
			ExpectedContent: []string{"Change your vote", `<label for="f-old_receipt">Your receipt code</label>`}})
		t1b := s.ballotToken(t, id, m1)
		s.run(t, scenario{Name: "ChangeWrongReceipt", As: &m1, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t1b}, "old_receipt": {"K7QDM-2XP9W-HAB3C-R4TV6-E8YJN"}, "rank_3": {"1"}}, ExpectedStatus: 422,
			ExpectedContent: []string{"That is not the receipt code you were given for your vote in this decision."}})
		r1b := receiptIn(t, s.run(t, scenario{Name: "ChangeVote", As: &m1, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t1b}, "old_receipt": {strings.ToLower(r1)}, "rank_3": {"1"}}, ExpectedStatus: 200,
			ExpectedContent: []string{"Your vote is changed"}}))
		if r1b == r1 {
			t.Fatalf("the changed vote kept receipt %s", r1)
		}

		s.closeDecision(t, dec)
		s.run(t, scenario{Name: "VoteAfterClose", As: &org, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {t1}, "rank_1": {"1"}}, ExpectedStatus: 422,
			ExpectedContent: []string{"Voting closed at Fri 5 Jun 2026, 09:00 London time."}})
		results, err := s.svc.Results(org.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		body := s.run(t, scenario{Name: "Results", As: &m1, URL: page + "/results", ExpectedStatus: 200,
			ExpectedContent: []string{"<figure>", "<svg", `<th scope="col">Round 1</th>`, "reaching the quota", "<th scope=\"row\">Quota</th>", "<th scope=\"row\">Exhausted</th>",
				"2 of 3 voted (67%)", "Elected: " + strings.Join(results.Winners, ", "), `href="/decisions/` + id + `/ballots.blt"`,
				`action="/decisions/` + id + `/check"`},
			NotExpectedContent: []string{"Round 0", "round 0"}})
		if n := strings.Count(body, "<td><code>"); n != 2 {
			t.Errorf("published ballots: %d rows, want 2", n)
		}
		s.run(t, scenario{Name: "CheckerFindsChangedBallot", As: &m1, URL: page + "/check?receipt=" + url.QueryEscape(r1b), ExpectedStatus: 200,
			ExpectedContent: []string{"Your ballot was counted as cast", "1. Cat Cole"}})
		s.run(t, scenario{Name: "OldReceiptFindsNothing", As: &m1, URL: page + "/check?receipt=" + url.QueryEscape(r1), ExpectedStatus: 404,
			ExpectedContent: []string{"No ballot in this decision has that receipt code."}})
		s.run(t, scenario{Name: "CheckerNotACode", As: &m1, URL: page + "/check?receipt=hello", ExpectedStatus: 422,
			ExpectedContent: []string{"A receipt code has 25 letters and digits"}})
		s.run(t, scenario{Name: "BLT", As: &m1, URL: page + "/ballots.blt", ExpectedStatus: 200,
			ExpectedContent: []string{"3 2\n", `"Ann Able"`, `"Delegates to conference"`}})
		s.run(t, scenario{Name: "GroupsSupporterSeesResults", As: &sup, URL: page + "/results", ExpectedStatus: 200})
		s.run(t, scenario{Name: "OtherGroupRefusedResults", As: &orgB, URL: page + "/results", ExpectedStatus: 403})
		s.run(t, scenario{Name: "PublishNeedsStatement", As: &org, Method: "POST", URL: page + "/publish", ExpectedStatus: 422,
			ExpectedContent: []string{"Write the outcome statement"}})
		s.run(t, scenario{Name: "Publish", As: &org, Method: "POST", URL: page + "/publish",
			Form: url.Values{"outcome": {"Our delegates go to conference."}}, ExpectedStatus: 303, ExpectedLocation: page + "/results"})
		s.run(t, scenario{Name: "List", As: &m1, URL: "/decisions", ExpectedStatus: 200,
			ExpectedContent: []string{"Results published", "Delegates to conference", "Hackney Momentum"}})

		var coll struct {
			Embedded map[string][]struct {
				Method  string `json:"method"`
				Seats   int    `json:"seats"`
				Results struct {
					Elected    []string `json:"elected"`
					Turnout    int      `json:"turnout"`
					Electorate int      `json:"electorate"`
				} `json:"results"`
				Links struct {
					Ballots struct {
						Href string `json:"href"`
					} `json:"momentum:ballots"`
				} `json:"_links"`
			} `json:"_embedded"`
		}
		s.getJSON(t, "/api/v1/decisions?status=closed", s.admin, &coll)
		ds := coll.Embedded["momentum:decisions"]
		if len(ds) != 1 {
			t.Fatalf("API lists %d closed decisions, want 1", len(ds))
		}
		got := ds[0]
		if got.Method != "scottish-stv" || got.Seats != 2 || got.Results.Turnout != 2 || got.Results.Electorate != 3 ||
			!slices.Equal(got.Results.Elected, results.Winners) || len(got.Results.Elected) != 2 {
			t.Errorf("API decision %+v, want elected %v", got, results.Winners)
		}
		href := got.Links.Ballots.Href
		if !strings.HasSuffix(href, "/api/v1/decisions/"+id+"/ballots") {
			t.Fatalf("ballots link %q", href)
		}
		s.run(t, scenario{Name: "APIBallotsAreBLT", As: &s.admin, URL: strings.TrimPrefix(href, "https://act.example.org"), ExpectedStatus: 200,
			ExpectedContent: []string{"3 2\n", `"Cat Cole"`}})
		s.run(t, scenario{Name: "APIOtherGroup", As: &orgB, URL: "/api/v1/decisions/" + id, ExpectedStatus: 403})
	})
}

// TestProposalPages: a proposal's form keeps its input on an error, a
// block needs a reason, beside the field, and a named vote is published
// with names.
func TestProposalPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		g := s.group(t, "Hackney Momentum")
		m := s.person(t, "Mia Member", auth.RoleMember, "member")
		s.join(t, g, m, "member")
		s.run(t, scenario{Name: "NoTitle", As: &m, Method: "POST", URL: "/decisions",
			Form:           url.Values{"group": {g}, "kind": {"proposal"}, "body": {"We rent a stall."}, "required": {"2/3"}},
			ExpectedStatus: 422, ExpectedContent: []string{"Give the decision a title", "We rent a stall.", `<option value="2/3" selected>`}})
		dec := s.openDecision(t, m, decisions.Input{GroupID: g, Title: "Rent a stall", Kind: decisions.KindProposal, Named: true,
			Required: decisions.Share{Num: 2, Den: 3}})
		page := "/decisions/" + dec.ID
		s.run(t, scenario{Name: "ProposalBallot", As: &m, URL: page, ExpectedStatus: 200,
			ExpectedContent: []string{`name="position" value="block"`, "2/3 of those agreeing or disagreeing", "Named vote"}})
		tok := s.ballotToken(t, dec.ID, m)
		s.run(t, scenario{Name: "BlockNeedsReason", As: &m, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {tok}, "position": {"block"}}, ExpectedStatus: 422,
			ExpectedContent: []string{"Say why you block", `value="block" checked`}})
		s.run(t, scenario{Name: "Agree", As: &m, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {tok}, "position": {"agree"}}, ExpectedStatus: 200, ExpectedContent: []string{`id="receipt-code"`}})
		s.closeDecision(t, dec)
		s.run(t, scenario{Name: "NamedResults", As: &m, URL: page + "/results", ExpectedStatus: 200,
			ExpectedContent: []string{"Passed.", "Who voted what", "<strong>Mia Member</strong>: agree", "<svg", `href="/decisions/` + dec.ID + `/ballots.csv"`}})
	})
}
