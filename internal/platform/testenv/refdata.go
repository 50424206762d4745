package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Refdata returns the folder sub of the shared reference data — the test
// suites of other projects (Droop, RCTab, …) kept outside the repository,
// in ../shared/refdata beside the repository's root — or, when it is
// absent, skips the test (fails it in CI, through Missing). Every test that
// reads reference data goes through here, so that CI cannot pass while
// quietly comparing against nothing.
//
// Test files of the public tally library import this internal package too:
// only their tests do, so tally itself still builds from the standard
// library alone, and the skip-or-fail rule stays in one place.
func Refdata(t testing.TB, sub ...string) string {
	t.Helper()
	dir, err := refdataDir(sub...)
	if err != nil {
		Missing(t, "reference data", err.Error())
		return ""
	}
	return dir
}

// refdataDir finds ../shared/refdata/sub from the module's root.
func refdataDir(sub ...string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(append([]string{filepath.Dir(root), "shared", "refdata"}, sub...)...)
	st, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("put the shared reference data in %s (see its README): %w", dir, err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a folder", dir)
	}
	return dir, nil
}

// moduleRoot walks up from the working directory (the test's package
// folder) to the folder holding go.mod.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("no go.mod above " + wd)
		}
	}
}
