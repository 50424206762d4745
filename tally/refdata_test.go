package tally

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// needRefdata returns a folder of the shared reference data, outside the
// repository; the test skips when it is absent, and fails in CI
// (testenv.Refdata, imported by tally's tests only, so the library itself
// stays standard library only).
func needRefdata(t testing.TB, sub string) string {
	t.Helper()
	return testenv.Refdata(t, sub)
}

func mustReadBLT(t testing.TB, path string) *Election {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := ReadBLT(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// droopEntry is one candidate line of a Droop report snapshot.
type droopEntry struct {
	State string // Elected, Pending, Hopeful, Defeated
	Value string
}

// droopSnapshot is one "Action:" block of a Droop report.
type droopSnapshot struct {
	Action string
	Cands  map[string]droopEntry
	Fields map[string]string // "Nontransferable votes", "Residual", "Quota", …
}

// droopReport is a Droop reference report split into rounds of snapshots.
type droopReport struct {
	Quota  string
	Rounds [][]droopSnapshot
}

func parseDroopReport(t testing.TB, path string) droopReport {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rep droopReport
	rep.Rounds = [][]droopSnapshot{nil}
	var cur *droopSnapshot
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "\tQuota: ") && len(rep.Rounds) == 1 && cur == nil:
			rep.Quota = strings.TrimPrefix(line, "\tQuota: ")
		case strings.HasPrefix(line, "Round "):
			rep.Rounds = append(rep.Rounds, nil)
			cur = nil
		case strings.HasPrefix(line, "Action: "):
			r := &rep.Rounds[len(rep.Rounds)-1]
			*r = append(*r, droopSnapshot{Action: strings.TrimPrefix(line, "Action: "),
				Cands: map[string]droopEntry{}, Fields: map[string]string{}})
			cur = &(*r)[len(*r)-1]
		case cur != nil && strings.HasPrefix(line, "\t"):
			body := strings.TrimPrefix(line, "\t")
			key, val, ok := strings.Cut(body, ":")
			if !ok {
				continue
			}
			val = strings.TrimSpace(val)
			switch key {
			case "Elected", "Pending", "Hopeful", "Defeated":
				i := strings.LastIndex(val, " (")
				if i < 0 {
					t.Fatalf("%s: odd line %q", path, line)
				}
				names, v := val[:i], strings.TrimSuffix(val[i+2:], ")")
				if key == "Defeated" && strings.Contains(names, ", ") {
					continue // zero-vote defeated candidates, listed together
				}
				cur.Cands[names] = droopEntry{State: key, Value: v}
			default:
				cur.Fields[key] = val
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rep
}

// lastWithCands returns the last snapshot of a round that lists candidates.
func lastWithCands(snaps []droopSnapshot) *droopSnapshot {
	for i := len(snaps) - 1; i >= 0; i-- {
		if len(snaps[i].Cands) > 0 {
			return &snaps[i]
		}
	}
	return nil
}

// firstWithCands returns the first snapshot of a round that lists
// candidates.
func firstWithCands(snaps []droopSnapshot) *droopSnapshot {
	for i := range snaps {
		if len(snaps[i].Cands) > 0 {
			return &snaps[i]
		}
	}
	return nil
}

// compareTallies checks every elected, pending and hopeful candidate in a
// Droop snapshot against our tallies, value by value. Defeated candidates'
// values are skipped: Droop shows them at various points of their removal.
func compareTallies(t *testing.T, what string, res *Result, tallies []Decimal, snap *droopSnapshot) {
	t.Helper()
	idx := map[string]int{}
	for i, n := range res.Candidates {
		idx[droopName(n)] = i
	}
	for name, ent := range snap.Cands {
		if ent.State == "Defeated" {
			continue
		}
		i, ok := idx[droopName(name)]
		if !ok {
			t.Errorf("%s: Droop lists unknown candidate %q", what, name)
			continue
		}
		if got := tallies[i].String(); got != ent.Value {
			t.Errorf("%s: %s has %s, Droop %s (%s, after %q)", what, name, got, ent.Value, ent.State, snap.Action)
		}
	}
}

// droopName normalises a candidate name the way Droop prints it: Droop
// collapses runs of spaces inside a name ("Ellen   Hurcombe" in Canal
// ward's BLT), and its summary also trims them.
func droopName(s string) string { return strings.Join(strings.Fields(s), " ") }

func droopNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = droopName(n)
	}
	slices.Sort(out)
	return out
}
