package tally

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type schulzeCase struct {
	ID         string          `json:"id"`
	Candidates json.RawMessage `json:"candidates"`
	Ballots    []struct {
		Ranking string `json:"ranking"`
		Count   int64  `json:"count"`
	} `json:"ballots"`
	Expected map[string]json.RawMessage `json:"expected"`
}

// election builds the case's election: candidates are a string of single
// letters or a list of names; rankings use ">" and "=", or are a run of
// letters giving a full order.
func (sc schulzeCase) election(t *testing.T) *Election {
	t.Helper()
	var names []string
	var letters string
	if err := json.Unmarshal(sc.Candidates, &letters); err == nil {
		for _, r := range letters {
			names = append(names, string(r))
		}
	} else if err := json.Unmarshal(sc.Candidates, &names); err != nil {
		t.Fatalf("candidates: %v", err)
	}
	idx := map[string]int{}
	for i, n := range names {
		idx[n] = i
	}
	e := &Election{Title: sc.ID, Candidates: names, Seats: 1}
	for _, b := range sc.Ballots {
		s := strings.ReplaceAll(b.Ranking, " ", "")
		var ranks [][]int
		if !strings.ContainsAny(s, ">=") && len(s) > 1 && len(names[0]) == 1 {
			for _, r := range s {
				ranks = append(ranks, []int{idx[string(r)]})
			}
		} else {
			for _, grp := range strings.Split(s, ">") {
				var rank []int
				for _, n := range strings.Split(grp, "=") {
					c, ok := idx[n]
					if !ok {
						t.Fatalf("ballot %q names unknown candidate %q", b.Ranking, n)
					}
					rank = append(rank, c)
				}
				ranks = append(ranks, rank)
			}
		}
		e.Ballots.AddRanks(b.Count, ranks)
	}
	return e
}

func TestSchulzeVectors(t *testing.T) {
	dir := needRefdata(t, "condorcet-vectors")
	raw, err := os.ReadFile(filepath.Join(dir, "schulze_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []schulzeCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) == 0 {
		t.Fatal("no Schulze vectors")
	}
	strengths := map[string]Strength{"winning": WinningVotes, "margin": Margins, "ratio": Ratio}
	for _, sc := range file.Cases {
		t.Run(sc.ID, func(t *testing.T) {
			e := sc.election(t)
			checked := 0
			for key, val := range sc.Expected {
				kind := strings.TrimPrefix(key, "schulze_")
				measure, what, _ := strings.Cut(kind, "_")
				st, ok := strengths[measure]
				if !ok {
					t.Fatalf("unknown expectation %q", key)
				}
				res, err := CountSchulze(e, st)
				if err != nil {
					t.Fatal(err)
				}
				got := orderNames(res)
				switch what {
				case "winner":
					var want string
					if err := json.Unmarshal(val, &want); err != nil {
						t.Fatal(err)
					}
					if len(got[0]) != 1 || got[0][0] != want {
						t.Errorf("%s: winners %v, want %s", key, got[0], want)
					}
				case "order":
					want := parseOrder(t, val)
					if !slices.EqualFunc(got, want, slices.Equal) {
						t.Errorf("%s: order %v, want %v", key, got, want)
					}
				default:
					t.Fatalf("unknown expectation %q", key)
				}
				checked++
			}
			if checked == 0 {
				t.Error("case has no expectation")
			}
		})
	}
}

func orderNames(res *Result) [][]string {
	var out [][]string
	for _, g := range res.Order {
		var names []string
		for _, c := range g {
			names = append(names, res.Candidates[c])
		}
		slices.Sort(names)
		out = append(out, names)
	}
	return out
}

// parseOrder reads an expected order: a list whose items are names or
// lists of tied names.
func parseOrder(t *testing.T, raw json.RawMessage) [][]string {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, it := range items {
		var one string
		if json.Unmarshal(it, &one) == nil {
			out = append(out, []string{one})
			continue
		}
		var many []string
		if err := json.Unmarshal(it, &many); err != nil {
			t.Fatal(err)
		}
		slices.Sort(many)
		out = append(out, many)
	}
	return out
}
