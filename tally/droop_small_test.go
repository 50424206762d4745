package tally

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// smallDroopCases lists Droop's small BLT cases that have a reference
// report for rule (e.g. "wigm-guarded-p18-g9-d18"). 42ubom.blt is 42u.blt
// with a byte-order mark, so it is checked against 42u's reports.
func smallDroopCases(t *testing.T, rule string) map[string]string {
	t.Helper()
	dir := needRefdata(t, "droop/test")
	cases := map[string]string{}
	for _, pat := range []string{"blt/*.blt", "blt/meek/*.blt"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range files {
			base := strings.TrimSuffix(filepath.Base(f), ".blt")
			repName := strings.TrimSuffix(base, "bom")
			sub := ""
			if strings.Contains(pat, "/meek/") {
				sub = "meek"
			}
			rep := filepath.Join(dir, "ref/report", sub, repName+"-"+rule+".txt")
			if _, err := os.Stat(rep); err == nil {
				cases[f] = rep
			}
		}
	}
	if len(cases) == 0 {
		t.Fatalf("no Droop reports for %s under %s", rule, dir)
	}
	return cases
}

func TestWIGMDroopReports(t *testing.T) {
	cases := smallDroopCases(t, "wigm-guarded-p18-g9-d18")
	if len(cases) < 8 {
		t.Errorf("found %d WIGM cases, want the 8 small BLT cases with reports", len(cases))
	}
	for blt, rep := range cases {
		t.Run(filepath.Base(blt), func(t *testing.T) {
			e := mustReadBLT(t, blt)
			res, err := CountWIGM(e)
			if err != nil {
				t.Fatal(err)
			}
			checkWIGMReport(t, res, rep)
		})
	}
}

func TestMeekDroopReports(t *testing.T) {
	cases := smallDroopCases(t, "meek-o9-guarded-p18-g9-d18")
	if len(cases) < 10 {
		t.Errorf("found %d Meek cases, want the 10 BLT cases with reports", len(cases))
	}
	for blt, rep := range cases {
		t.Run(filepath.Base(blt), func(t *testing.T) {
			e := mustReadBLT(t, blt)
			res, err := CountMeek(e)
			if err != nil {
				t.Fatal(err)
			}
			checkMeekReport(t, res, rep)
		})
	}
}

// checkMeekReport compares a Meek count with a Droop report: the number of
// rounds; in every round the tallies and quota at the end of its iteration
// (Droop's first snapshot of the round); the final tallies; the elected
// set.
func checkMeekReport(t *testing.T, res *Result, path string) {
	t.Helper()
	rep := parseDroopReport(t, path)
	if len(res.Rounds) != len(rep.Rounds) {
		t.Errorf("%d rounds, Droop %d", len(res.Rounds), len(rep.Rounds))
	}
	for i := range min(len(res.Rounds), len(rep.Rounds)) {
		snap := firstWithCands(rep.Rounds[i])
		if snap == nil {
			t.Fatalf("round %d of %s lists no candidates", i, path)
		}
		r := res.Rounds[i]
		compareTallies(t, "round "+itoa(i), res, r.Tallies, snap)
		if v, ok := snap.Fields["Quota"]; ok && r.Quota.String() != v {
			t.Errorf("round %d: quota %s, Droop %s", i, r.Quota, v)
		}
	}
	final := lastWithCands(rep.Rounds[len(rep.Rounds)-1])
	compareTallies(t, "final", res, res.Final, final)
	var want []string
	for n, ent := range final.Cands {
		if ent.State == "Elected" {
			want = append(want, n)
		}
	}
	if got, want := droopNames(res.ElectedNames()), droopNames(want); !slices.Equal(got, want) {
		t.Errorf("elected %v, Droop report %v", got, want)
	}
}
