package rctab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// dominionSplit writes the first n sessions of the dominion_alaska case's
// CvrExport.json into dir, cut into files named by nums with sizes, plus
// the manifests, and returns the case's config pointed at dir.
func dominionSplit(t *testing.T, dir string, names []string, sizes []int) *Config {
	t.Helper()
	suite := testenv.Refdata(t, "rctab", "test_data")
	src := filepath.Join(suite, "_shared", "dominion_alaska", "alaska_input_data")
	manifests, _ := filepath.Glob(filepath.Join(src, "*Manifest.json"))
	for _, m := range manifests {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(m)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(src, "CvrExport.json"))
	if err != nil {
		t.Fatal(err)
	}
	var export map[string]json.RawMessage
	if err := json.Unmarshal(raw, &export); err != nil {
		t.Fatal(err)
	}
	var sessions []json.RawMessage
	if err := json.Unmarshal(export["Sessions"], &sessions); err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		part, err := json.Marshal(sessions[:sizes[i]])
		if err != nil {
			t.Fatal(err)
		}
		sessions = sessions[sizes[i]:]
		export["Sessions"] = part
		b, err := json.Marshal(export)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := LoadConfig(filepath.Join(suite, "dominion_alaska", "dominion_alaska_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Sources[0].Path = dir
	return cfg
}

// ballotDump lists a Ballots' distinct records with their weights, in a
// stable order, to compare two reads.
func ballotDump(b *Ballots) []string {
	var out []string
	for g := 0; g < b.Groups(); g++ {
		out = append(out, fmt.Sprintf("%v x%d", b.group(g), b.weight[g]))
	}
	sort.Strings(out)
	return out
}

// TestReadDominionAllExports: a Dominion folder is read as RCTab reads
// it, every CvrExport*.json in it, whatever the numbers: files 1, 2, 3
// and 6 hold 25 ballots between them and all 25 are counted, the same
// records as the same sessions in one CvrExport.json.
func TestReadDominionAllExports(t *testing.T) {
	read := func(t *testing.T, names []string, sizes []int) *Ballots {
		t.Helper()
		cfg := dominionSplit(t, t.TempDir(), names, sizes)
		b, err := ReadBallots(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := read(t, []string{"CvrExport.json"}, []int{25})
	if one.Len() != 25 {
		t.Fatalf("one file: %d ballots, want 25", one.Len())
	}
	for _, tc := range []struct {
		name  string
		files []string
		sizes []int
	}{
		{"Gap", []string{"CvrExport_1.json", "CvrExport_2.json", "CvrExport_3.json", "CvrExport_6.json"}, []int{10, 5, 5, 5}},
		{"StartsAt1730", []string{"CvrExport_1730.json", "CvrExport_1731.json"}, []int{20, 5}},
		{"TenAfterTwo", []string{"CvrExport_2.json", "CvrExport_10.json"}, []int{24, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := read(t, tc.files, tc.sizes)
			if b.Len() != 25 {
				t.Fatalf("%v: %d ballots, want 25", tc.files, b.Len())
			}
			if got, want := strings.Join(ballotDump(b), "\n"), strings.Join(ballotDump(one), "\n"); got != want {
				t.Errorf("records differ from the one-file read:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	t.Run("NoExports", func(t *testing.T) {
		cfg := dominionSplit(t, t.TempDir(), nil, nil)
		_, err := ReadBallots(context.Background(), cfg, nil)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "CvrExport") {
			t.Fatalf("got %v, want a ParseError naming CvrExport", err)
		}
	})
}

func TestDominionExportOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"CvrExport_10.json", "CvrExport_2.json", "CvrExport.json", "CvrExport_b.json", "CvrExport_1730.json", "Other.json", "CvrExport_3.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := dominionExports(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f))
	}
	want := "CvrExport.json CvrExport_2.json CvrExport_10.json CvrExport_1730.json CvrExport_b.json"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
