package peopleio

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestNewNeedsEveryCollaborator: the Importer cannot be built half-wired
// (an organiser's import would otherwise skip the group membership); the
// error names what is missing.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	d := dbtest.NewSQLite(t)
	_, err := New(Deps{DB: d, Policy: auth.NewPolicy(), Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "missing Groups, Jobs") {
		t.Fatalf("New without collaborators: %v", err)
	}
	c := newCore(t, d)
	if _, err := New(Deps{DB: d, Policy: c.Policy, Groups: c.Groups, Jobs: c.Jobs}); err == nil || !strings.Contains(err.Error(), "Dir") {
		t.Fatalf("New without a folder: %v", err)
	}
}
