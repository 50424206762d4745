package decisions

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/tally"
)

// voters makes n members of group g.
func (e *env) voters(t *testing.T, g string, n int) []person {
	t.Helper()
	out := make([]person, n)
	for i := range out {
		out[i] = e.member(t, fmt.Sprintf("Member %03d", i))
		e.join(t, g, out[i], "member")
	}
	return out
}

// TestElectionCount: an STV election closes with the set tally elects
// from the same ballots, and the BLT download recounts to the same set.
func TestElectionCount(t *testing.T) {
	rankings := [][]int{{1, 2}, {1, 3}, {1, 2, 3}, {1}, {2, 1}, {2, 4}, {3, 4}, {3, 1}, {4, 3}, {4, 3, 2}, {1, 4}, {3}}
	for _, method := range []tally.Method{tally.ScottishSTV, tally.Meek} {
		t.Run(string(method), func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				g := e.group(t, "Hackney Momentum")
				org := e.member(t, "Olu Organiser")
				e.join(t, g, org, "organiser")
				vs := e.voters(t, g, len(rankings))
				dec := e.open(t, org, Input{GroupID: g, Title: "Officers", Kind: KindElection, Method: method, Seats: 2,
					Options:    []OptionInput{{Label: "Ann"}, {Label: "Bob"}, {Label: "Cat"}, {Label: "Dan"}},
					Electorate: Electorate{MembersOnly: true}})
				direct := &tally.Election{Title: "Officers", Candidates: []string{"Ann", "Bob", "Cat", "Dan"}, Seats: 2}
				for i, r := range rankings {
					e.vote(t, dec, vs[i], Choice{Ranking: r})
					idx := make([]int, len(r))
					for j, p := range r {
						idx[j] = p - 1
					}
					direct.Ballots.Add(1, idx...)
				}
				e.close(t, dec)
				res, err := e.svc.Results(org.ctx, dec.ID)
				wantCode(t, err, "")
				closed, _ := e.svc.Get(org.ctx, dec.ID)
				direct.TieOrder = closed.tieOrder
				want, err := tally.Count(direct, method)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(res.Winners, want.ElectedNames()) || !res.Decided || res.Turnout != len(rankings) || res.Electorate != len(rankings)+1 {
					t.Fatalf("winners %v (decided %v, turnout %d of %d), want %v, %d of %d",
						res.Winners, res.Decided, res.Turnout, res.Electorate, want.ElectedNames(), len(rankings), len(rankings)+1)
				}
				if !strings.HasPrefix(res.Summary, "Elected: "+strings.Join(want.ElectedNames(), ", ")) || res.Exhausted == "" {
					t.Fatalf("summary %q, exhausted %q", res.Summary, res.Exhausted)
				}
				var blt bytes.Buffer
				if err := e.svc.BallotsBLT(org.ctx, dec.ID, &blt); err != nil {
					t.Fatal(err)
				}
				back, err := tally.ReadBLT(&blt, "download.blt")
				if err != nil {
					t.Fatal(err)
				}
				recount, err := tally.Count(back, method)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(recount.ElectedNames(), res.Winners) {
					t.Fatalf("recount of the BLT elects %v, results say %v", recount.ElectedNames(), res.Winners)
				}
			})
		})
	}
}

// TestMinRepresentation: with one of two seats reserved for women, the
// count elects a woman the ballots alone would not, and tally explains it.
func TestMinRepresentation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org := e.member(t, "Olu Organiser")
		e.join(t, g, org, "organiser")
		rankings := [][]int{{1, 2}, {1, 2}, {1, 2}, {2, 1}, {2, 1}, {2, 1}, {3}, {1, 3}}
		vs := e.voters(t, g, len(rankings))
		dec := e.open(t, org, Input{GroupID: g, Title: "Delegates", Kind: KindElection, Seats: 2,
			Options:           []OptionInput{{Label: "Al"}, {Label: "Bo"}, {Label: "Cy", Category: "women"}},
			MinRepresentation: MinRepresentation{Category: "women", Seats: 1}, Electorate: Electorate{MembersOnly: true}})
		for i, r := range rankings {
			e.vote(t, dec, vs[i], Choice{Ranking: r})
		}
		e.close(t, dec)
		res, err := e.svc.Results(org.ctx, dec.ID)
		wantCode(t, err, "")
		if !slices.Contains(res.Winners, "Cy") || len(res.Winners) != 2 {
			t.Fatalf("winners %v, want Cy among two", res.Winners)
		}
	})
}

// TestProposalCount: required shares, the simple-majority tie, blocks
// and quorum, each with the outcome stated.
func TestProposalCount(t *testing.T) {
	cases := []struct {
		name     string
		required Share
		quorum   int
		votes    []tally.Position
		want     string
		decided  bool
	}{
		{"TwoThirdsMetExactly", Share{2, 3}, 0, []tally.Position{"agree", "agree", "agree", "agree", "disagree", "disagree"}, "Passed.", true},
		{"TwoThirdsMissed", Share{2, 3}, 0, []tally.Position{"agree", "agree", "agree", "disagree", "disagree"}, "Not passed.", true},
		{"SimpleMajorityTie", Share{}, 0, []tally.Position{"agree", "disagree", "abstain"}, "Not passed.", true},
		{"SimpleMajority", Share{}, 0, []tally.Position{"agree", "agree", "disagree"}, "Passed.", true},
		{"Blocked", Share{}, 0, []tally.Position{"agree", "agree", "agree", "block"}, "Blocked.", true},
		{"QuorumNotReached", Share{}, 50, []tally.Position{"agree", "agree", "agree"}, "Not decided: quorum not reached.", false},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		vs := e.voters(t, g, 10)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				dec := e.open(t, vs[0], Input{GroupID: g, Title: "Proposal " + c.name, Kind: KindProposal,
					Required: c.required, QuorumPercent: c.quorum, Electorate: Electorate{MembersOnly: true}})
				for i, pos := range c.votes {
					e.vote(t, dec, vs[i], Choice{Position: pos, Reason: "reasons"})
				}
				e.close(t, dec)
				res, err := e.svc.Results(vs[1].ctx, dec.ID)
				wantCode(t, err, "")
				if !strings.HasPrefix(res.Summary, c.want) || res.Decided != c.decided || res.Electorate != 10 {
					t.Fatalf("summary %q decided %v electorate %d; want %q, %v, 10", res.Summary, res.Decided, res.Electorate, c.want, c.decided)
				}
			})
		}
	})
}

// TestPollOutcomes: a poll that misses its quorum says so; a tie is broken
// by lot and the outcome says so; the CSV download lists every ballot.
func TestPollOutcomes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		vs := e.voters(t, g, 4)
		t.Run("QuorumNotReached", func(t *testing.T) {
			in := poll(g)
			in.QuorumPercent = 60
			dec := e.open(t, vs[0], in)
			e.vote(t, dec, vs[0], Choice{Option: 1})
			e.vote(t, dec, vs[1], Choice{Option: 1})
			e.close(t, dec)
			res, err := e.svc.Results(vs[0].ctx, dec.ID)
			wantCode(t, err, "")
			if res.Decided || !strings.Contains(res.Summary, "quorum not reached. 2 of 4 voted; the quorum is 60%") {
				t.Fatalf("summary %q decided %v", res.Summary, res.Decided)
			}
		})
		t.Run("TieExplained", func(t *testing.T) {
			dec := e.open(t, vs[0], poll(g))
			e.vote(t, dec, vs[0], Choice{Option: 1})
			e.vote(t, dec, vs[1], Choice{Option: 2})
			e.close(t, dec)
			res, err := e.svc.Results(vs[0].ctx, dec.ID)
			wantCode(t, err, "")
			if !res.Decided || len(res.Ties) != 1 || !strings.Contains(res.Summary, "A tie was broken: ") || !strings.Contains(res.Summary, "by lot") {
				t.Fatalf("summary %q ties %v; want the tie broken by lot explained", res.Summary, res.Ties)
			}
			var out bytes.Buffer
			if err := e.svc.BallotsCSV(vs[0].ctx, dec.ID, &out); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || !slices.Equal(rows[0], []string{"fingerprint", "choice"}) || rows[1][0] > rows[2][0] {
				t.Fatalf("CSV %v, want a header and two ballots in fingerprint order", rows)
			}
			if err := e.svc.BallotsBLT(vs[0].ctx, dec.ID, &out); err == nil {
				t.Fatal("a poll downloaded as BLT")
			}
		})
	})
}
