package tally

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestScottishSTVGlasgow2007(t *testing.T) {
	dir := needRefdata(t, "droop")
	raw, err := os.ReadFile(filepath.Join(dir, "expected_scotland_summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Wards []struct {
			BLT     string   `json:"blt"`
			Ballots int64    `json:"ballots"`
			Elected []string `json:"droop_scotland_elected"`
			Report  string   `json:"report"`
		} `json:"wards"`
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Wards) < 21 {
		t.Fatalf("summary lists %d wards, want at least the 21 Glasgow wards", len(sum.Wards))
	}
	for _, w := range sum.Wards {
		name := strings.TrimSuffix(filepath.Base(w.BLT), ".blt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := mustReadBLT(t, filepath.Join(dir, w.BLT))
			res, err := CountScottishSTV(e)
			if err != nil {
				t.Fatal(err)
			}
			if res.Ballots != w.Ballots {
				t.Errorf("counted %d ballots, want %d", res.Ballots, w.Ballots)
			}
			got := droopNames(res.ElectedNames())
			want := droopNames(w.Elected)
			if !slices.Equal(got, want) {
				t.Errorf("elected %v, Droop elected %v", got, want)
			}
			checkWIGMReport(t, res, filepath.Join(dir, w.Report))
		})
	}
}

// checkWIGMReport compares a WIGM-family count (Scottish STV, WIGM) with a
// Droop report: quota, number of rounds, and at the end of every round each
// continuing or elected candidate's vote, the non-transferable votes and
// the residual; then the final elected set.
func checkWIGMReport(t *testing.T, res *Result, path string) {
	t.Helper()
	rep := parseDroopReport(t, path)
	if got := res.Quota.String(); got != rep.Quota {
		t.Errorf("quota %s, Droop %s", got, rep.Quota)
	}
	if len(res.Rounds) != len(rep.Rounds) {
		t.Errorf("%d rounds, Droop %d", len(res.Rounds), len(rep.Rounds))
	}
	for i := range min(len(res.Rounds), len(rep.Rounds)) {
		snap := lastWithCands(rep.Rounds[i])
		if snap == nil {
			t.Fatalf("round %d of %s lists no candidates", i, path)
		}
		r := res.Rounds[i]
		compareTallies(t, "round "+itoa(i), res, r.Tallies, snap)
		if v, ok := snap.Fields["Nontransferable votes"]; ok && r.Exhausted.String() != v {
			t.Errorf("round %d: non-transferable %s, Droop %s", i, r.Exhausted, v)
		}
		if v, ok := snap.Fields["Residual"]; ok && r.Residual.String() != v {
			t.Errorf("round %d: residual %s, Droop %s", i, r.Residual, v)
		}
	}
	final := lastWithCands(rep.Rounds[len(rep.Rounds)-1])
	var want []string
	for n, ent := range final.Cands {
		if ent.State == "Elected" {
			want = append(want, n)
		}
	}
	got := droopNames(res.ElectedNames())
	want = droopNames(want)
	if !slices.Equal(got, want) {
		t.Errorf("elected %v, Droop report %v", got, want)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
