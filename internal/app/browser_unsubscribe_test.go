package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
)

// TestBrowserUnsubscribe: the unsubscribe link on a 390 px phone with
// JavaScript as the page has it (none needed): the page asks first, the
// button unsubscribes, the confirmation offers to undo it, and the undo
// works.
func TestBrowserUnsubscribe(t *testing.T) {
	n := apptest.Start(t, apptest.Options{})
	tok := "fedcba9876543210fedcba9876543210"
	feedbackRecipient(t, n.App, "robin@example.org", tok)
	tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true})
	if st := tab.Navigate(n.URL + "/u/" + tok); st != http.StatusOK {
		t.Fatalf("GET: %d", st)
	}
	if h := tab.Text("h1"); h != "Unsubscribe?" || !strings.Contains(tab.Text("main"), "r•••@example.org") {
		t.Fatalf("page: %q\n%s", h, tab.Text("main"))
	}
	tab.Screenshot("unsubscribe-ask.png")
	if st := tab.Click("main form button"); st != http.StatusOK {
		t.Fatalf("unsubscribe: %d", st)
	}
	if h := tab.Text("h1"); h != "You are unsubscribed" {
		t.Fatalf("after the button: %q", h)
	}
	tab.Screenshot("unsubscribe-done.png")
	if w := browsertest.Eval[int](tab, "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px phone", w)
	}
	if st := tab.Click("main form button"); st != http.StatusOK {
		t.Fatalf("resubscribe: %d", st)
	}
	if h := tab.Text("h1"); h != "Welcome back" {
		t.Fatalf("after resubscribing: %q", h)
	}
}
