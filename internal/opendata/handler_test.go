package opendata

import (
	"strings"
	"testing"
)

// TestNewNeedsEveryCollaborator: a missing collaborator is a start-up
// error naming it.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := NewHandler(Deps{BaseURL: "https://act.example.org", SiteName: "Momentum"})
	if err == nil || !strings.Contains(err.Error(), "Decisions") || !strings.Contains(err.Error(), "Renderer") {
		t.Fatalf("error %v, want the missing collaborators named", err)
	}
}

// TestCell guards exactly the cells a spreadsheet would run.
func TestCell(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-2": "'-2", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "plain": "plain", "": "", "a=b": "a=b", "'=x": "'=x"} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}
