package feedbackweb

import (
	"strings"
	"testing"
)

func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := NewHandler(Deps{})
	if err == nil || !strings.Contains(err.Error(), "Feedback") || !strings.Contains(err.Error(), "Renderer") {
		t.Fatalf("err %v, want it to name Feedback and Renderer", err)
	}
}

// TestOneClickPatternsAreExact: only the one-click POST and the webhooks
// pass the cross-origin check; the resubscribe button is not among them.
func TestOneClickPatternsAreExact(t *testing.T) {
	want := map[string]bool{"POST /u/{token}": true, "POST /hooks/mail/{provider}": true}
	if len(OneClickPatterns) != len(want) {
		t.Fatalf("patterns %q", OneClickPatterns)
	}
	for _, p := range OneClickPatterns {
		if !want[p] {
			t.Fatalf("unexpected bypass %q", p)
		}
	}
}
