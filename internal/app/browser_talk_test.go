package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/talk"
)

// TestBrowserTalkOnPhone is the discussion pages at 390 px (SQLite): a
// member opens a proposal under discussion, comments from its panel, goes
// to the whole discussion, opens a reply form (a <details>, no script
// needed) under the organiser's comment and replies mentioning them; the
// organiser is told by mail. Every page fits the phone's width.
func TestBrowserTalkOnPhone(t *testing.T) {
	tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 2 * time.Minute, Step: 30 * time.Second})
	n := apptest.Start(t, apptest.Options{})
	tn := setUpTalk(t, n)
	sys := auth.WithSystem(context.Background())
	now := time.Now().UTC()
	d, err := n.App.Decisions.Create(sys, decisions.Input{GroupID: tn.group.ID, Title: "Where we meet", Kind: decisions.KindProposal,
		OpensAt: now.Add(24 * time.Hour), ClosesAt: now.Add(48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.App.Decisions.StartDiscussion(sys, d.ID); err != nil {
		t.Fatal(err)
	}
	olive := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: tn.orgID, Role: auth.RoleMember, Verified: true})
	if _, _, err := n.App.Talk.CommentOn(olive, "decision", d.ID, talkCommentInput("I propose the library on Mare Street.")); err != nil {
		t.Fatal(err)
	}

	wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
	tab.Fill("#f-email", "mo.member@example.org")
	tab.Fill("#f-password", "mo is a member of the group")
	wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
	wantContains(t, tab, "header nav", "Discussions")

	wantStatus(t, "proposal", tab.Navigate(n.URL+"/decisions/"+d.ID), http.StatusOK)
	wantContains(t, tab, "#discussion", "Discussion (1 comment)")
	wantContains(t, tab, "#discussion", "I propose the library")
	wantFits(t, tab)
	tab.Screenshot("talk-decision-390.png")
	setValue(t, tab, "#discussion-body", "Is it step-free?")
	wantStatus(t, "comment from the panel", tab.ClickText("main", "Post the comment"), http.StatusOK)
	wantPath(t, tab, "/decisions/"+d.ID)
	wantContains(t, tab, "#discussion", "Discussion (2 comments)")

	wantStatus(t, "the whole discussion", tab.ClickText("main", "Read the whole discussion"), http.StatusOK)
	if !strings.HasPrefix(tab.Path(), "/talk/t/") {
		t.Fatalf("the discussion is at %s", tab.Path())
	}
	wantContains(t, tab, "main", "This discussion is about a decision")
	// The first reply form opens without script: a <details> element.
	if !browsertest.Eval[bool](tab, `(() => { const a = document.querySelector("li[id^='c-'] textarea[id^='reply-']"); if (!a) return false; a.closest("details").open = true; return true; })()`) {
		t.Fatal("no reply disclosure under the first comment")
	}
	id := browsertest.Eval[string](tab, `document.querySelector("li[id^='c-'] textarea[id^='reply-']").id`)
	setValue(t, tab, "#"+id, "Thanks @olive-organiser, I'll check with the library.")
	wantFits(t, tab)
	tab.Screenshot("talk-thread-390.png")
	wantStatus(t, "reply", tab.ClickText("main", "Post the reply"), http.StatusOK)
	wantContains(t, tab, "main", "I'll check with the library")
	wantFits(t, tab)

	thread := tab.Path()

	// The lists fit too, and show the thread.
	wantStatus(t, "discussions", tab.Navigate(n.URL+"/talk"), http.StatusOK)
	wantContains(t, tab, "main", "Following")
	wantContains(t, tab, "main", "Where we meet")
	wantFits(t, tab)
	wantStatus(t, "group's discussions", tab.Navigate(n.URL+"/groups/"+tn.group.Slug+"/talk"), http.StatusOK)
	wantContains(t, tab, "main", "Where we meet")
	wantFits(t, tab)
	tab.Screenshot("talk-group-390.png")

	// The organiser's controls: each opens without script and fits.
	wantStatus(t, "log out", tab.ClickText("header", "Log out"), http.StatusOK)
	wantStatus(t, "login page again", tab.Navigate(n.URL+"/login"), http.StatusOK)
	tab.Fill("#f-email", "olive.organiser@example.org")
	tab.Fill("#f-password", "olive organises the group")
	wantStatus(t, "log in as the organiser", tab.ClickText("main", "Log in"), http.StatusOK)
	wantStatus(t, "the thread as organiser", tab.Navigate(n.URL+thread), http.StatusOK)
	browsertest.Eval[bool](tab, `(() => { document.querySelectorAll("details").forEach(d => d.open = true); return true; })()`)
	wantContains(t, tab, "main", "Moderate this discussion")
	wantFits(t, tab)
	tab.Screenshot("talk-thread-organiser-390.png")
	wantStatus(t, "moderation", tab.Navigate(n.URL+"/moderation?group="+tn.group.ID), http.StatusOK)
	wantFits(t, tab)

	ms, err := n.App.Mail.Outbox(sys, mail.OutboxFilter{To: "olive.organiser@example.org", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	mentioned := false
	for _, m := range ms {
		if strings.Contains(m.Text, "I'll check with the library") {
			mentioned = true
		}
	}
	if !mentioned {
		t.Errorf("the organiser was not told of the mention; their mail: %d messages", len(ms))
	}
}

func talkCommentInput(body string) talk.CommentInput { return talk.CommentInput{Body: body} }
