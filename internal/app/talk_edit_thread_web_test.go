package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/talk"
)

// TestTalkEditThreadPages (issue 13), on both engines, as plain HTTP: the
// member who started a thread finds an Edit disclosure on its opening
// post, a refused edit keeps the text and names the field, a saved edit
// shows the new title with an "edited" link to the history, which keeps
// the old title and text; an outsider and the anonymous are refused; the
// organiser edits while it is locked, the author cannot.
func TestTalkEditThreadPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		tn := setUpTalk(t, n)
		u := n.URL
		mo := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: tn.memberID, Role: auth.RoleMember, Verified: true})
		th, err := n.App.Talk.StartThread(mo, talk.ThreadInput{GroupID: tn.group.ID, Title: "Our next meeting place", Body: "Where shall we meet?"})
		if err != nil {
			t.Fatal(err)
		}
		thread := u + "/talk/t/" + th.ID
		want(t, "author reads", apptest.Get(t, tn.member, thread), http.StatusOK, `action="/talk/t/`+th.ID+`/edit"`, `<label for="edit-thread-title">`)
		res := apptest.Get(t, tn.outsider, thread)
		refused(t, "outsider reads", res)
		want(t, "no history yet", apptest.Get(t, tn.member, thread+"/history"), http.StatusOK, "The opening post has not been changed.")

		want(t, "edit, empty title", apptest.PostForm(t, tn.member, thread+"/edit", url.Values{"title": {" "}, "body": {"Kept text"}}),
			http.StatusUnprocessableEntity, `href="#edit-thread-title"`, "Kept text", "Give the discussion a title.")
		want(t, "edit, too long", apptest.PostForm(t, tn.member, thread+"/edit", url.Values{"title": {strings.Repeat("x", 300)}, "body": {"b"}}),
			http.StatusUnprocessableEntity, `href="#edit-thread-title"`)
		want(t, "edit", apptest.PostForm(t, tn.member, thread+"/edit", url.Values{"title": {"Our meeting place in May"}, "body": {"Where shall we meet in **May**?"}}),
			http.StatusSeeOther)
		want(t, "edited", apptest.Get(t, tn.org, thread), http.StatusOK, "<h1>Our meeting place in May</h1>", "<strong>May</strong>",
			`href="/talk/t/`+th.ID+`/history">edited</a>`)
		want(t, "history", apptest.Get(t, tn.org, thread+"/history"), http.StatusOK, "Our next meeting place", "Where shall we meet?", "mo.member",
			`href="/talk/t/`+th.ID+`"`)
		refused(t, "history, outsider", apptest.Get(t, tn.outsider, thread+"/history"))
		refused(t, "edit, outsider", apptest.PostForm(t, tn.outsider, thread+"/edit", url.Values{"title": {"Mine"}, "body": {"Mine"}}))

		// The organiser (a moderator) edits any opening post; the anonymous must log in.
		want(t, "anonymous edit", apptest.PostForm(t, apptest.Client(t), thread+"/edit", url.Values{"title": {"x"}, "body": {"y"}}), http.StatusUnauthorized)

		// Locked: the organiser may edit, the author may not.
		want(t, "lock", apptest.PostForm(t, tn.org, thread+"/lock", url.Values{"on": {"1"}, "reason": {"Settled"}}), http.StatusSeeOther)
		if res := apptest.Get(t, tn.member, thread); strings.Contains(res.Body, `action="/talk/t/`+th.ID+`/edit"`) {
			t.Error("the author is offered Edit on a locked thread")
		}
		want(t, "edit when locked", apptest.PostForm(t, tn.member, thread+"/edit", url.Values{"title": {"Changed"}, "body": {"Changed"}}), http.StatusConflict)
		want(t, "organiser edits when locked", apptest.PostForm(t, tn.org, thread+"/edit", url.Values{"title": {"Our meeting place in May (settled)"}, "body": {"The library."}}),
			http.StatusSeeOther)
		want(t, "organiser's edit", apptest.Get(t, tn.member, thread), http.StatusOK, "Our meeting place in May (settled)")
	})
}
