package site

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestNewNeedsEveryCollaborator: the site service cannot be built
// half-wired; the error names what is missing.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := New(Deps{DB: dbtest.NewSQLite(t), Policy: auth.NewPolicy()})
	if err == nil || !strings.Contains(err.Error(), "missing Auth, Memberships, Figures, Panels") {
		t.Fatalf("New without collaborators: %v", err)
	}
}
