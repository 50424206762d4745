package libraryweb

import (
	"strings"
	"testing"
)

// TestNewNeedsEveryCollaborator: the pages cannot be built without the
// service and the renderer.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := NewHandler(Deps{})
	if err == nil {
		t.Fatal("NewHandler with no deps: no error")
	}
	for _, name := range []string{"Library", "Renderer"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}
