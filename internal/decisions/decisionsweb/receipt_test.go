package decisionsweb

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestVoterCannotChooseReceipt: the ballot form carries no receipt, only a
// signed ballot token. A receipt the voter posts is ignored: the receipt
// page shows the server's code (25 characters of Crockford base32, 125
// bits), never the posted one. A token made up, or taken from another
// voter's form, is refused beside the form. The server's code finds the
// ballot after the close; the posted one finds nothing.
func TestVoterCannotChooseReceipt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		g := s.group(t, "Hackney Momentum")
		ann := s.person(t, "Ann Member", auth.RoleMember, "member")
		bob := s.person(t, "Bob Member", auth.RoleMember, "member")
		s.join(t, g, ann, "member")
		s.join(t, g, bob, "member")
		dec := s.openDecision(t, ann, decisions.Input{GroupID: g, Title: "Where shall we meet?", Kind: decisions.KindPoll,
			Options: []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}, Electorate: decisions.Electorate{MembersOnly: true}})
		page := "/decisions/" + dec.ID
		const chosen = "K7QDM-2XP9W-HAB3C-R4TV6-E8YJN" // what a vote buyer dictates

		s.run(t, scenario{Name: "FormHasNoReceipt", As: &ann, URL: page, ExpectedStatus: 200,
			ExpectedContent: []string{`name="ballot" value="`}, NotExpectedContent: []string{`name="receipt"`}})
		made := base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("x", 32)))
		for _, sc := range []scenario{
			{Name: "NoToken", Form: url.Values{"receipt": {chosen}, "option": {"1"}}},
			{Name: "MadeUpToken", Form: url.Values{"ballot": {made}, "option": {"1"}}},
			{Name: "ReceiptAsToken", Form: url.Values{"ballot": {chosen}, "option": {"1"}}},
			{Name: "AnothersToken", Form: url.Values{"ballot": {s.ballotToken(t, dec.ID, bob)}, "option": {"1"}}},
		} {
			sc.As, sc.Method, sc.URL, sc.ExpectedStatus = &ann, "POST", page+"/vote", 422
			sc.ExpectedContent = []string{`id="f-ballot-error"`, "This ballot form is out of date or not yours."}
			sc.NotExpectedContent = []string{chosen}
			s.run(t, sc)
		}
		vote := url.Values{"ballot": {s.ballotToken(t, dec.ID, ann)}, "receipt": {chosen}, "option": {"2"}}
		body := s.run(t, scenario{Name: "PostedReceiptIgnored", As: &ann, Method: "POST", URL: page + "/vote", Form: vote,
			ExpectedStatus: 200, NotExpectedContent: []string{chosen}})
		got := receiptIn(t, body) // five groups of five: 25 × 5 = 125 bits
		if got == chosen || len(strings.ReplaceAll(got, "-", "")) != 25 {
			t.Fatalf("receipt %q: want 25 characters the server chose", got)
		}
		bobs := receiptIn(t, s.run(t, scenario{Name: "AnotherVoter", As: &bob, Method: "POST", URL: page + "/vote",
			Form: url.Values{"ballot": {s.ballotToken(t, dec.ID, bob)}, "receipt": {chosen}, "option": {"1"}}, ExpectedStatus: 200}))
		if bobs == got {
			t.Fatalf("two voters got the same receipt %s", got)
		}
		s.closeDecision(t, dec)
		s.run(t, scenario{Name: "ServerCodeFindsBallot", As: &ann, URL: page + "/check?receipt=" + url.QueryEscape(got), ExpectedStatus: 200,
			ExpectedContent: []string{"Your ballot was counted as cast", "Pub"}})
		s.run(t, scenario{Name: "ChosenCodeFindsNothing", As: &ann, URL: page + "/check?receipt=" + url.QueryEscape(chosen), ExpectedStatus: 404,
			ExpectedContent: []string{"No ballot in this decision has that receipt code."}})
	})
}
