package tally

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestTextReportGolden pins the readable report of the seed election for
// every method that can count it; run with -update after a deliberate
// change and review the diff.
func TestTextReportGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		m    Method
	}{
		{"committee", ScottishSTV},
		{"committee", WIGM},
		{"committee", Schulze},
		{"small", Meek}, // equal rankings
	}
	for _, tt := range tests {
		m := tt.m
		t.Run(tt.file+"-"+string(m), func(t *testing.T) {
			res, err := Count(mustReadBLT(t, "testdata/"+tt.file+".blt"), m)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteText(&buf, res); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.file+"-"+string(m)+".txt")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("report differs from %s:\n%s", golden, buf.String())
			}
		})
	}
}
