package tally

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// mkElection builds an election from "weight:ranking" specs such as
// "4:A>B", candidates named by single letters.
func mkElection(t *testing.T, names string, seats int, specs ...string) *Election {
	t.Helper()
	e := &Election{Title: "test", Seats: seats}
	idx := map[rune]int{}
	for i, r := range names {
		e.Candidates = append(e.Candidates, string(r))
		idx[r] = i
	}
	for _, s := range specs {
		w, rk, _ := strings.Cut(s, ":")
		var ranks [][]int
		for _, grp := range strings.Split(rk, ">") {
			var rank []int
			for _, r := range strings.Split(grp, "=") {
				rank = append(rank, idx[rune(r[0])])
			}
			ranks = append(ranks, rank)
		}
		var n int64
		for _, d := range w {
			n = n*10 + int64(d-'0')
		}
		e.Ballots.AddRanks(n, ranks)
	}
	return e
}

func TestIRV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		e       *Election
		winner  string
		rounds  int
		lastTie Reason
	}{
		{"MajorityFirstRound", mkElection(t, "AB", 1, "5:A", "4:B>A"), "A", 1, ""},
		{"TransferDecides", mkElection(t, "ABC", 1, "4:A", "3:B>C", "2:C>B"), "B", 2, ""},
		{"ExhaustedBallotsLeaveMajorityOfRest", mkElection(t, "ABC", 1, "4:A", "3:B", "2:C"), "A", 2, ""},
		// B and C tie on 2 with no earlier round to separate them: B, first
		// in the tie order, is eliminated by lot and its ballots give A 5 of 7.
		{"TieByLot", mkElection(t, "ABC", 1, "3:A", "2:B>A", "2:C"), "A", 2, ReasonTieLot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := CountIRV(tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.ElectedNames(); !slices.Equal(got, []string{tt.winner}) {
				t.Errorf("elected %v, want %s", got, tt.winner)
			}
			if len(res.Rounds) != tt.rounds {
				t.Errorf("%d rounds, want %d", len(res.Rounds), tt.rounds)
			}
			if tt.lastTie != "" {
				found := false
				for _, rd := range res.Rounds {
					for _, ev := range rd.Events {
						if ev.Kind == EventTie && ev.Reason == tt.lastTie && ev.Candidate == 1 {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("no tie-break by %s eliminating B", tt.lastTie)
				}
			}
		})
	}
	_, err := CountIRV(mkElection(t, "AB", 2, "1:A"))
	var ce *CountError
	if !errors.As(err, &ce) {
		t.Errorf("two-seat IRV: error %v, want *CountError", err)
	}
}

func TestTotalsMethods(t *testing.T) {
	t.Parallel()
	e := mkElection(t, "ABCD", 2, "5:A>B", "4:B>C>D", "3:C>B", "1:D=A")
	tests := []struct {
		name    string
		count   func(*Election) (*Result, error)
		tallies []string
		elected []string
	}{
		{"Plurality", CountPlurality, []string{"5", "4", "3", "0"}, []string{"A", "B"}},
		{"Approval", CountApproval, []string{"6", "12", "7", "5"}, []string{"B", "C"}},
		// Borda points: first 3, second 2, third 1; D=A share first place.
		{"Score", CountScore, []string{"18", "28", "17", "7"}, []string{"B", "A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.count(e)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range res.Final {
				got = append(got, v.String())
			}
			if !slices.Equal(got, tt.tallies) {
				t.Errorf("tallies %v, want %v", got, tt.tallies)
			}
			if g := res.ElectedNames(); !slices.Equal(g, tt.elected) {
				t.Errorf("elected %v, want %v", g, tt.elected)
			}
		})
	}
}

func TestScoreBallots(t *testing.T) {
	t.Parallel()
	res, err := CountScoreBallots("budget", []string{"Park", "Library", "Pool"}, 1, 5,
		[]ScoreBallot{{Scores: []int{5, 3, 0}, Count: 10}, {Scores: []int{0, 4, 5}, Count: 12}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.ElectedNames(); !slices.Equal(got, []string{"Library"}) {
		t.Errorf("elected %v, want Library (78 points)", got)
	}
	if _, err := CountScoreBallots("x", []string{"a"}, 1, 5, []ScoreBallot{{Scores: []int{6}, Count: 1}}); err == nil {
		t.Error("a score above the maximum was accepted")
	}
}

func TestDecideProposal(t *testing.T) {
	t.Parallel()
	half, _ := ParseFixed("0.5", 2)
	threeQ, _ := ParseFixed("0.75", 2)
	rules := ConsensusRules{Quorum: half, Required: threeQ}
	tests := []struct {
		name string
		v    ProposalVotes
		want Outcome
		why  string
	}{
		{"Passes", ProposalVotes{Eligible: 20, Agree: 9, Abstain: 2, Disagree: 3}, Passed, "9 agreed and 3 disagreed (0.75 agree"},
		{"AnyBlockBlocks", ProposalVotes{Eligible: 20, Agree: 19, Block: 1}, Blocked, "1 member(s) blocked"},
		{"NoQuorum", ProposalVotes{Eligible: 20, Agree: 9}, NoQuorum, "9 of 20 eligible members took a position (0.45)"},
		{"QuorumExactlyMet", ProposalVotes{Eligible: 20, Agree: 10}, Passed, "quorum met"},
		{"ShareShort", ProposalVotes{Eligible: 10, Agree: 5, Disagree: 2}, Rejected, "0.71 agree); 0.75 is required"},
		{"OnlyAbstentions", ProposalVotes{Eligible: 4, Abstain: 4}, Rejected, "0 agreed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := DecideProposal(tt.v, rules)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tt.want {
				t.Errorf("outcome %s, want %s (%v)", res.Outcome, tt.want, res.Reasons)
			}
			if !strings.Contains(strings.Join(res.Reasons, "; "), tt.why) {
				t.Errorf("reasons %q do not say %q", res.Reasons, tt.why)
			}
		})
	}
	if _, err := DecideProposal(ProposalVotes{Eligible: 1, Agree: 2}, rules); err == nil {
		t.Error("more positions than members was accepted")
	}
}

// TestReports checks the text and JSON reports of a small Scottish count
// say what a reader needs: winners, quota, transfers and reasons.
func TestReports(t *testing.T) {
	t.Parallel()
	e := mkElection(t, "ABCD", 2, "6:A>B", "2:B>C", "3:C>D", "1:D>C")
	res, err := CountScottishSTV(e)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Quota:      5.00000", "A has 6.00000 votes, reaching the quota of 5.00000",
		"A's surplus of 1.00000 is transferred", "Elected: A, C", "D has the fewest votes"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method  string   `json:"method"`
		Seats   int      `json:"seats"`
		Elected []string `json:"elected"`
		Rounds  []struct {
			Round   int `json:"round"`
			Tallies []struct {
				Candidate, Votes, Status string
			} `json:"tallies"`
			Events []struct {
				Kind, Candidate, Reason string
				Transfer                *struct {
					From, Value string
					To          []struct{ Candidate, Votes string }
				}
			} `json:"events"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Method != "scottish-stv" || got.Seats != 2 || !slices.Equal(got.Elected, []string{"A", "C"}) {
		t.Errorf("JSON header %s %d %v", got.Method, got.Seats, got.Elected)
	}
	if len(got.Rounds) < 2 || got.Rounds[1].Events[0].Transfer == nil || got.Rounds[1].Events[0].Transfer.Value != "0.16666" {
		t.Errorf("JSON round 1 should transfer A's surplus at 0.16666:\n%s", raw)
	}
}
