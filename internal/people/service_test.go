package people

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestNewServiceNeedsEveryCollaborator: a people service cannot be built
// half-wired; the error names what is missing.
func TestNewServiceNeedsEveryCollaborator(t *testing.T) {
	d := dbtest.NewSQLite(t)
	if _, err := NewService(Deps{DB: d, Policy: auth.NewPolicy()}); err == nil ||
		!strings.Contains(err.Error(), "missing Accounts, Mail, Groups, Movers") {
		t.Fatalf("NewService without collaborators: %v", err)
	}
	if _, err := NewService(Deps{}); err == nil || !strings.Contains(err.Error(), "DB, Policy") {
		t.Fatalf("NewService with nothing: %v", err)
	}
}
