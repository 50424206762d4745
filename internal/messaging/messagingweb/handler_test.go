package messagingweb

import (
	"strings"
	"testing"
)

// TestNewNeedsEveryCollaborator: the pages refuse to be built without what
// they need, naming it, rather than failing on the first request.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := NewHandler(Deps{})
	if err == nil {
		t.Fatal("NewHandler built the pages with nothing")
	}
	for _, name := range []string{"Messaging", "Groups", "People", "Events", "Decisions", "Renderer", "Live", "Zone"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("the error %q does not name %s", err, name)
		}
	}
}
