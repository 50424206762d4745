package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestRefdataDir finds a folder that exists beside the repository and names
// the path it looked for when one does not.
func TestRefdataDir(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root %s has no go.mod", root)
	}
	_, err = refdataDir("no-such-suite-here")
	want := filepath.Join(filepath.Dir(root), "shared", "refdata", "no-such-suite-here")
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("missing folder: error %v, want one naming %s", err, want)
	}
}

// TestRefdataMissing runs Refdata for an absent folder in a child test: it
// skips outside CI and fails under CI=true, never passing silently.
func TestRefdataMissing(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				Refdata(rec, "no-such-suite-here")
			}()
			<-done
			switch {
			case ci == "true" && !rec.failed:
				t.Error("under CI=true a missing reference folder did not fail the test")
			case ci == "" && !rec.skipped:
				t.Error("outside CI a missing reference folder did not skip the test")
			case ci == "" && rec.failed:
				t.Error("outside CI a missing reference folder failed the test")
			}
		})
	}
}

// recorder notes Fatalf and Skipf instead of ending the real test; both end
// the goroutine that called them, as the testing package's would.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = true
	runtime.Goexit()
}
