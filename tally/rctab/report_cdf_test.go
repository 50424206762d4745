package rctab

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCDFVotes(t *testing.T) {
	for _, tc := range []struct {
		in    string
		whole int64
		frac  string
	}{
		{"1", 1, ""},
		{"1.0000", 1, ""},
		{"0.5000", 0, ".5000"},
		{"1.2500", 1, ".2500"},
		{"0", 0, ""},
		{"0.0000", 0, ""},
	} {
		d, err := ParseDecimal(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		whole, frac := cdfVotes(d)
		if whole != tc.whole || frac != tc.frac {
			t.Errorf("cdfVotes(%s) = %d, %q; want %d, %q", tc.in, whole, frac, tc.whole, tc.frac)
		}
	}
}

// cdfFixture writes a six-ballot generic CSV contest asking for CDF
// output: B is eliminated in round 1 and ballot 5 (B, then A) moves to A,
// who wins in round 2. Ballots 1 and 2 are identical.
func cdfFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	csv := "id,A,B,C\nr1,1,2,\nr2,1,2,\nr3,,2,1\nr4,,,1\nr5,2,1,\nr6,1,,\n"
	if err := os.WriteFile(filepath.Join(dir, "fixture.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := `{
  "tabulatorVersion": "2.0.0",
  "outputSettings": {"contestName": "Fixture", "contestJurisdiction": "Here", "generateCdfJson": true},
  "cvrFileSources": [{"filePath": "fixture.csv", "provider": "genericCsv", "firstVoteColumnIndex": "2",
    "firstVoteRowIndex": "2", "idColumnIndex": "1"}],
  "candidates": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
  "rules": {"tiebreakMode": "useCandidateOrder", "overvoteRule": "exhaustImmediately",
    "winnerElectionMode": "singleWinnerMajority", "numberOfWinners": "1", "decimalPlacesForVoteArithmetic": "4",
    "minimumVoteThreshold": "0", "maxSkippedRanksAllowed": "1", "maxRankingsAllowed": "3"}
}`
	path := filepath.Join(dir, "fixture_config.json")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type cdfOut struct {
	CVR []struct {
		BallotPrePrintedID string `json:"BallotPrePrintedId"`
		CurrentSnapshotID  string `json:"CurrentSnapshotId"`
		CVRSnapshot        []struct {
			ID         string `json:"@id"`
			Type       string `json:"Type"`
			CVRContest []struct {
				CVRContestSelection []struct {
					ContestSelectionID string `json:"ContestSelectionId"`
					SelectionPosition  []struct {
						IsAllocable string `json:"IsAllocable"`
						Rank        int    `json:"Rank"`
					} `json:"SelectionPosition"`
				} `json:"CVRContestSelection"`
			} `json:"CVRContest"`
		} `json:"CVRSnapshot"`
	} `json:"CVR"`
}

// allocable returns the selections marked allocable in a snapshot.
func allocable(t *testing.T, out *cdfOut, cvr, snap int) []string {
	t.Helper()
	var got []string
	for _, sel := range out.CVR[cvr].CVRSnapshot[snap].CVRContest[0].CVRContestSelection {
		for _, p := range sel.SelectionPosition {
			if p.IsAllocable == "yes" {
				got = append(got, sel.ContestSelectionID)
			}
		}
	}
	return got
}

// TestCDFOutputFollowsTheCount checks the CDF JSON written beside a count:
// one CVR per record (identical ballots are not merged), an original
// snapshot and one per round, and in each round the candidate the ballot
// counts for.
func TestCDFOutputFollowsTheCount(t *testing.T) {
	t.Parallel()
	path := cdfFixture(t)
	out := t.TempDir()
	res, err := Run(context.Background(), path, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tabulations[0].Rounds) != 2 {
		t.Fatalf("fixture counted in %d rounds, want 2", len(res.Tabulations[0].Rounds))
	}
	data, err := os.ReadFile(filepath.Join(out, "fixture_cdf_cvr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got cdfOut
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.CVR) != 6 {
		t.Fatalf("%d CVRs, want one per record (6)", len(got.CVR))
	}
	seen := map[string]bool{}
	for i, c := range got.CVR {
		if seen[c.BallotPrePrintedID] {
			t.Errorf("CVR %d: id %s used twice", i, c.BallotPrePrintedID)
		}
		seen[c.BallotPrePrintedID] = true
		if len(c.CVRSnapshot) != 3 || c.CVRSnapshot[0].Type != "original" || c.CVRSnapshot[2].Type != "interpreted" {
			t.Fatalf("CVR %d: want an original and two interpreted snapshots, got %d", i, len(c.CVRSnapshot))
		}
		if !strings.HasSuffix(c.CurrentSnapshotID, "-round-2") {
			t.Errorf("CVR %d: CurrentSnapshotId %s, want the last round's", i, c.CurrentSnapshotID)
		}
	}
	for _, tc := range []struct {
		cvr, round int
		want       string
	}{
		{0, 1, "cs-a"}, {1, 2, "cs-a"}, {2, 1, "cs-c"}, {2, 2, "cs-c"},
		{4, 1, "cs-b"}, {4, 2, "cs-a"}, // ballot 5 moves when B is eliminated
	} {
		if a := allocable(t, &got, tc.cvr, tc.round); len(a) != 1 || a[0] != tc.want {
			t.Errorf("ballot %d round %d counts for %v, want %s", tc.cvr+1, tc.round, a, tc.want)
		}
	}
	if a := allocable(t, &got, 4, 0); len(a) != 0 {
		t.Errorf("the original snapshot marks %v allocable; RCTab says unknown", a)
	}
	// ballot 5 ranks B first: selections are listed by rank
	sels := got.CVR[4].CVRSnapshot[0].CVRContest[0].CVRContestSelection
	if len(sels) != 2 || sels[0].ContestSelectionID != "cs-b" || sels[1].ContestSelectionID != "cs-a" {
		t.Errorf("ballot 5's selections are not in rank order: %+v", sels)
	}
}

// TestConvertKeepsEveryRecord converts the fixture: the CSV lists every
// record in order with its rankings, "undervote" where a rank is empty.
func TestConvertKeepsEveryRecord(t *testing.T) {
	t.Parallel()
	path := cdfFixture(t)
	out := t.TempDir()
	if err := Convert(context.Background(), path, out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "fixture.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	want := []string{
		"Source Filepath,CVR Provider,Contest Id,RCTab CVR Id,Tabulator Id,Batch Id,Vendor Id,Precinct,Precinct Portion,Rank 1,Rank 2,Rank 3",
		"fixture.csv,genericCsv,,fixture.csv-1,,,r1,,,A,B,undervote",
		"fixture.csv,genericCsv,,fixture.csv-2,,,r2,,,A,B,undervote",
		"fixture.csv,genericCsv,,fixture.csv-3,,,r3,,,C,B,undervote",
		"fixture.csv,genericCsv,,fixture.csv-4,,,r4,,,C,undervote,undervote",
		"fixture.csv,genericCsv,,fixture.csv-5,,,r5,,,B,A,undervote",
		"fixture.csv,genericCsv,,fixture.csv-6,,,r6,,,A,undervote,undervote",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), data)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
	cdf, err := os.ReadFile(filepath.Join(out, "fixture_cdf_cvr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got cdfOut
	if err := json.Unmarshal(cdf, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.CVR) != 6 || len(got.CVR[0].CVRSnapshot) != 1 || got.CVR[0].CurrentSnapshotID != "ballot-fixture.csv-1" {
		t.Errorf("a conversion writes only the original snapshot of each of the 6 records; got %d CVRs", len(got.CVR))
	}
}
