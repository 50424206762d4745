package timebound

import (
	"archive/zip"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// zones lists every zone of the Go toolchain's time zone database.
func zones(t *testing.T) []string {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatalf("the toolchain's zone database: %v", err)
	}
	defer zr.Close()
	var out []string
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			out = append(out, f.Name)
		}
	}
	if len(out) < 300 {
		t.Fatalf("only %d zones in the database", len(out))
	}
	return out
}

// TestEveryZone: the wall-clock times at the edges of years 0 and 9999 are
// out of range in every zone, and a time in 2026 is in range in every zone.
func TestEveryZone(t *testing.T) {
	for _, name := range zones(t) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, tm := range []time.Time{
			time.Date(0, 1, 1, 0, 0, 0, 0, loc), time.Date(0, 12, 31, 23, 30, 0, 0, loc),
			time.Date(9999, 1, 1, 0, 0, 0, 0, loc), time.Date(9999, 12, 31, 23, 30, 0, 0, loc),
			time.Date(1899, 12, 31, 0, 0, 0, 0, loc), time.Date(2200, 1, 2, 0, 0, 0, 0, loc),
		} {
			if In(tm) {
				t.Errorf("%s: %s is in range", name, tm)
			}
		}
		for _, tm := range []time.Time{time.Date(2026, 3, 9, 19, 0, 0, 0, loc), time.Date(1900, 1, 2, 0, 0, 0, 0, loc), time.Date(2199, 12, 30, 23, 30, 0, 0, loc)} {
			if !In(tm) {
				t.Errorf("%s: %s is out of range", name, tm)
			}
		}
	}
}

func TestCheckNamesTheField(t *testing.T) {
	honolulu, err := time.LoadLocation("Pacific/Honolulu")
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(9999, 12, 31, 23, 30, 0, 0, honolulu)
	if late.UTC().Year() != 10000 {
		t.Fatalf("the issue's case is in UTC year %d", late.UTC().Year())
	}
	bad := map[string]string{}
	if Check(bad, "date", late) || bad["date"] != Message {
		t.Errorf("Check(%s) = %v", late, bad)
	}
	bad = map[string]string{"date": "Enter the date."}
	Check(bad, "date", late)
	if bad["date"] != "Enter the date." {
		t.Errorf("Check replaced the field's first message: %q", bad["date"])
	}
	if !Check(map[string]string{}, "date", time.Time{}) {
		t.Error("the zero time (no time given) is the caller's to judge")
	}
	err = Err("start_date", late)
	if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)["start_date"] != Message {
		t.Errorf("Err = %v, fields %v", err, errs.FieldsOf(err))
	}
	if Err("start_date", time.Date(2026, 1, 1, 0, 0, 0, 0, honolulu)) != nil {
		t.Error("a 2026 time refused")
	}
}
