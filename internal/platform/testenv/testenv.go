// Package testenv decides what a test does when a real part it needs —
// PostgreSQL, chromium, the mailpit SMTP server — is not on this machine: it
// skips, saying what is missing and how to get it, except in CI (CI=true),
// where nothing may be skipped and the test fails instead.
//
// `go test ./...` hides the output of passing packages, so a skip message
// alone would go unseen. Missing therefore also writes one line per part per
// package to the terminal (/dev/tty) when there is one, so that a newcomer
// running the README's command learns which parts were skipped.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	mu     sync.Mutex
	noted  = map[string]bool{}
	ttyErr error
	tty    *os.File
)

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing fails the test in CI and skips it elsewhere. part names what is
// missing ("PostgreSQL"); how says how to provide it.
func Missing(t testing.TB, part, how string) {
	t.Helper()
	msg := fmt.Sprintf("%s is not available: %s", part, how)
	if InCI() {
		t.Fatalf("%s (in CI nothing may be skipped)", msg)
	}
	note(part, how)
	t.Skipf("skipped: %s", msg)
}

// note tells the person at the terminal, once per part in this test binary.
func note(part, how string) {
	mu.Lock()
	defer mu.Unlock()
	if noted[part] {
		return
	}
	noted[part] = true
	if tty == nil && ttyErr == nil {
		tty, ttyErr = os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	}
	if tty != nil {
		fmt.Fprintf(tty, "note: %s tests skipped in %s: %s\n", part, pkgName(), how)
	}
}

// pkgName is the test's package folder relative to the module root
// ("internal/platform/db"), found by walking up to go.mod.
func pkgName() string {
	wd, err := os.Getwd()
	if err != nil {
		return "this package"
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if rel, err := filepath.Rel(dir, wd); err == nil {
				return "./" + filepath.ToSlash(rel)
			}
			return wd
		}
		if filepath.Dir(dir) == dir {
			return wd
		}
	}
}
