package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

var (
	threadInPath  = regexp.MustCompile(`^/talk/t/([^/#?]+)$`)
	commentInPath = regexp.MustCompile(`^/talk/t/([^/#?]+)#c-(.+)$`)
)

// talkNetwork is a group with an organiser and a member, an outsider in
// the network, and an admin.
type talkNetwork struct {
	n                            *apptest.Node
	group                        *groups.Group
	org, member, outsider, admin *http.Client
	orgID, memberID              string
}

func setUpTalk(t *testing.T, n *apptest.Node) talkNetwork {
	t.Helper()
	a := n.App
	sys := auth.WithSystem(context.Background())
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	tn := talkNetwork{n: n}
	tn.orgID = n.CreateUser(t, "olive.organiser@example.org", "olive organises the group", auth.RoleMember).ID
	tn.memberID = n.CreateUser(t, "mo.member@example.org", "mo is a member of the group", auth.RoleMember).ID
	n.CreateUser(t, "otto.outsider@example.org", "otto is in no group at all", auth.RoleMember)
	g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
	if err != nil {
		t.Fatal(err)
	}
	tn.group = g
	person := func(email string) string {
		id, err := a.People.Match(sys, email, "")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{
		{GroupID: g.ID, PersonID: person("olive.organiser@example.org"), Role: groups.RoleOrganiser},
		{GroupID: g.ID, PersonID: person("mo.member@example.org"), Role: groups.RoleMember}}); err != nil {
		t.Fatal(err)
	}
	tn.org, tn.member, tn.outsider, tn.admin = apptest.Client(t), apptest.Client(t), apptest.Client(t), apptest.Client(t)
	n.Login(t, tn.org, "olive.organiser@example.org", "olive organises the group")
	n.Login(t, tn.member, "mo.member@example.org", "mo is a member of the group")
	n.Login(t, tn.outsider, "otto.outsider@example.org", "otto is in no group at all")
	n.Login(t, tn.admin, adminEmail, adminPass)
	return tn
}

// want checks a response's status and that its body holds each text.
func want(t *testing.T, what string, res apptest.Response, code int, texts ...string) {
	t.Helper()
	if res.Status != code {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, res.Status, code, res.Body)
	}
	for _, s := range texts {
		if !strings.Contains(res.Body, s) {
			t.Errorf("%s: the page lacks %q\n%.6000s", what, s, res.Body)
		}
	}
}

// refused checks a refusal: 403, or 404 for a record the viewer may not
// know exists.
func refused(t *testing.T, what string, res apptest.Response) {
	t.Helper()
	if res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
		t.Fatalf("%s: status %d, want 403 or 404\n%.2000s", what, res.Status, res.Body)
	}
}

// TestTalkPages walks the discussion pages as plain HTTP (no JavaScript),
// on both engines: a member starts a thread in their group (a refused
// form keeps its text and names the field), the organiser comments with a
// mention, the member replies, reacts and unfollows, the organiser edits
// (the history keeps the old text), pins, locks with a reason, hides a
// reported comment with a reason and mutes; the member and an outsider are
// refused each moderator's act, and the outsider the group's thread.
func TestTalkPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		tn := setUpTalk(t, n)
		u := n.URL
		g := tn.group

		want(t, "network list", apptest.Get(t, tn.member, u+"/talk"), http.StatusOK, "Following", "Start a discussion", `href="/groups/`+g.Slug+`/talk"`)
		want(t, "nav", apptest.Get(t, tn.member, u+"/dashboard"), http.StatusOK, `<a href="/talk">Discussions</a>`)
		want(t, "group list, empty", apptest.Get(t, tn.member, u+"/groups/"+g.Slug+"/talk"), http.StatusOK, "No discussions yet", "/talk/new?group="+g.ID)
		want(t, "new form", apptest.Get(t, tn.member, u+"/talk/new?group="+g.ID), http.StatusOK, `<label for="f-title">`, `href="/code-of-conduct"`)
		refused(t, "new form, outsider", apptest.Get(t, tn.outsider, u+"/talk/new?group="+g.ID))

		// A refused thread keeps what was written and names the field.
		res := apptest.PostForm(t, tn.member, u+"/talk", url.Values{"group_id": {g.ID}, "title": {""}, "body": {"Where shall we meet?"}, "visibility": {"group"}})
		want(t, "start, no title", res, http.StatusUnprocessableEntity, `href="#f-title"`, "Where shall we meet?")
		res = apptest.PostForm(t, tn.member, u+"/talk", url.Values{"group_id": {g.ID}, "title": {"Our next meeting place"},
			"body": {"Where shall we meet? **Ideas welcome**."}, "visibility": {"group"}})
		m := threadInPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("start: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
		}
		thread := u + "/talk/t/" + m[1]
		tid := m[1]
		refused(t, "outsider reads the group's thread", apptest.Get(t, tn.outsider, thread))
		want(t, "organiser's list", apptest.Get(t, tn.org, u+"/groups/"+g.Slug+"/talk"), http.StatusOK, "Our next meeting place", "New", "Moderation queue")

		// The organiser comments, mentioning the member.
		want(t, "organiser reads", apptest.Get(t, tn.org, thread), http.StatusOK, "<strong>Ideas welcome</strong>", "Moderate this discussion", `<label for="f-body">Your comment</label>`, "@mo-member")
		res = apptest.PostForm(t, tn.org, thread+"/comments", url.Values{"body": {"The library, @mo-member?"}})
		cm := commentInPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || cm == nil {
			t.Fatalf("comment: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
		}
		orgComment := cm[2]
		want(t, "empty comment", apptest.PostForm(t, tn.org, thread+"/comments", url.Values{"body": {"  "}}), http.StatusUnprocessableEntity, `href="#f-body"`, "Error:")

		// The member sees it as new, replies and reacts.
		want(t, "member's dashboard", apptest.Get(t, tn.member, u+"/dashboard"), http.StatusOK, "Our next meeting place", "1 new comment")
		want(t, "member reads", apptest.Get(t, tn.member, thread), http.StatusOK, `id="c-`+orgComment+`"`, "The library, @mo-member?", "New", "Mentions you", "Reply", "Report to the moderators")
		res = apptest.PostForm(t, tn.member, thread+"/comments", url.Values{"body": {"Yes, the library works for me."}, "parent_id": {orgComment}})
		rm := commentInPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || rm == nil {
			t.Fatalf("reply: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
		}
		reply := rm[2]
		want(t, "react", apptest.PostForm(t, tn.member, u+"/talk/c/"+orgComment+"/react",
			url.Values{"emoji": {"👍"}, "on": {"1"}, "thread": {tid}, "next": {"/talk/t/" + tid + "#c-" + orgComment}}), http.StatusSeeOther)
		want(t, "react, unknown emoji", apptest.PostForm(t, tn.member, u+"/talk/c/"+orgComment+"/react",
			url.Values{"emoji": {"<script>"}, "on": {"1"}, "thread": {tid}}), http.StatusUnprocessableEntity)
		page := apptest.Get(t, tn.member, thread)
		want(t, "after the reply", page, http.StatusOK, `id="c-`+reply+`"`, "Replies to olive.organiser", `aria-pressed="true" aria-label="thumbs up: 1, including you">👍 1`)
		if strings.Index(page.Body, `id="c-`+reply+`"`) < strings.Index(page.Body, `id="c-`+orgComment+`"`) {
			t.Error("the reply comes before the comment it answers")
		}
		// The start's author follows; unfollowing says so.
		want(t, "unfollow", apptest.PostForm(t, tn.member, thread+"/follow", url.Values{"on": {"0"}}), http.StatusSeeOther)
		want(t, "unfollowed", apptest.Get(t, tn.member, thread), http.StatusOK, "Follow it to be told of new comments.")
		want(t, "follow, bad value", apptest.PostForm(t, tn.member, thread+"/follow", url.Values{"on": {"maybe"}}), http.StatusUnprocessableEntity)

		// Edit and history.
		refused(t, "edit another's comment", apptest.PostForm(t, tn.member, u+"/talk/c/"+orgComment+"/edit", url.Values{"body": {"Mine now"}, "thread": {tid}}))
		want(t, "edit, empty", apptest.PostForm(t, tn.org, u+"/talk/c/"+orgComment+"/edit", url.Values{"body": {""}, "thread": {tid}, "open": {"edit-" + orgComment}}),
			http.StatusUnprocessableEntity, `href="#edit-`+orgComment+`-body"`)
		want(t, "edit", apptest.PostForm(t, tn.org, u+"/talk/c/"+orgComment+"/edit", url.Values{"body": {"The library on Mare Street, @mo-member?"}, "thread": {tid},
			"next": {"/talk/t/" + tid + "#c-" + orgComment}}), http.StatusSeeOther)
		want(t, "edited", apptest.Get(t, tn.member, thread), http.StatusOK, "The library on Mare Street", `href="/talk/c/`+orgComment+`/history?thread=`+tid+`">edited</a>`)
		want(t, "history", apptest.Get(t, tn.member, u+"/talk/c/"+orgComment+"/history?thread="+tid), http.StatusOK, "The library, @mo-member?", `href="/talk/t/`+tid+`#c-`+orgComment+`"`)

		// Pin: the organiser's, not the member's.
		refused(t, "pin as member", apptest.PostForm(t, tn.member, thread+"/pin", url.Values{"on": {"1"}}))
		want(t, "pin", apptest.PostForm(t, tn.org, thread+"/pin", url.Values{"on": {"1"}}), http.StatusSeeOther)
		want(t, "pinned", apptest.Get(t, tn.member, u+"/groups/"+g.Slug+"/talk"), http.StatusOK, "Pinned")
		want(t, "group page", apptest.Get(t, tn.member, u+"/groups/"+g.Slug), http.StatusOK, "Discussions", `href="/talk/t/`+tid+`"`, `href="/groups/`+g.Slug+`/talk"`)

		// Flag, the queue, hide with a reason.
		want(t, "flag, no reason", apptest.PostForm(t, tn.org, u+"/talk/c/"+reply+"/flag", url.Values{"reason": {""}, "thread": {tid}, "open": {"flag-" + reply}}),
			http.StatusUnprocessableEntity, `href="#flag-`+reply+`-reason"`)
		refused(t, "flag as outsider", apptest.PostForm(t, tn.outsider, u+"/talk/c/"+reply+"/flag", url.Values{"reason": {"Spam"}}))
		want(t, "flag", apptest.PostForm(t, tn.org, u+"/talk/c/"+reply+"/flag", url.Values{"reason": {"Off topic and rude"}, "thread": {tid}}), http.StatusSeeOther)
		refused(t, "queue as member", apptest.Get(t, tn.member, u+"/moderation?group="+g.ID))
		want(t, "queue", apptest.Get(t, tn.org, u+"/moderation?group="+g.ID), http.StatusOK, "Off topic and rude", "Yes, the library works for me.", "Hide the comment")
		want(t, "queue, every group", apptest.Get(t, tn.org, u+"/moderation"), http.StatusOK, "Off topic and rude")
		refused(t, "hide as member", apptest.PostForm(t, tn.member, u+"/talk/c/"+orgComment+"/hide", url.Values{"reason": {"No"}, "thread": {tid}}))
		want(t, "hide, no reason", apptest.PostForm(t, tn.org, u+"/talk/c/"+reply+"/hide", url.Values{"reason": {""}, "from": {"queue"}, "group_id": {g.ID}, "open": {"hide-" + reply}}),
			http.StatusUnprocessableEntity, `href="#hide-`+reply+`-reason"`)
		want(t, "hide", apptest.PostForm(t, tn.org, u+"/talk/c/"+reply+"/hide", url.Values{"reason": {"Personal remarks"}, "next": {"/moderation?group=" + g.ID}}), http.StatusSeeOther)
		res = apptest.Get(t, tn.member, thread)
		want(t, "hidden", res, http.StatusOK, "Hidden by a moderator: Personal remarks")
		if strings.Contains(res.Body, "Yes, the library works for me.") {
			t.Error("the member still reads the hidden comment")
		}
		want(t, "queue after", apptest.Get(t, tn.org, u+"/moderation?group="+g.ID), http.StatusOK, "Nothing is waiting")
		want(t, "unhide", apptest.PostForm(t, tn.org, u+"/talk/c/"+reply+"/unhide", url.Values{"thread": {tid}}), http.StatusSeeOther)
		want(t, "unhidden", apptest.Get(t, tn.member, thread), http.StatusOK, "Yes, the library works for me.")

		// Lock with a reason: the member can no longer comment.
		refused(t, "lock as member", apptest.PostForm(t, tn.member, thread+"/lock", url.Values{"on": {"1"}, "reason": {"Enough"}}))
		want(t, "lock, no reason", apptest.PostForm(t, tn.org, thread+"/lock", url.Values{"on": {"1"}, "open": {"lock"}}), http.StatusUnprocessableEntity, `href="#lock-reason"`)
		want(t, "lock", apptest.PostForm(t, tn.org, thread+"/lock", url.Values{"on": {"1"}, "reason": {"We decided: the library"}}), http.StatusSeeOther)
		want(t, "locked", apptest.Get(t, tn.member, thread), http.StatusOK, "Locked by a moderator: We decided: the library", "nobody can comment")
		want(t, "comment when locked", apptest.PostForm(t, tn.member, thread+"/comments", url.Values{"body": {"But…"}}), http.StatusConflict)
		want(t, "unlock", apptest.PostForm(t, tn.org, thread+"/lock", url.Values{"on": {"0"}}), http.StatusSeeOther)

		// Mute: the member cannot post in the group for a while.
		mutes := u + "/groups/" + g.Slug + "/mutes"
		refused(t, "mute as member", apptest.PostForm(t, tn.member, mutes, url.Values{"user_id": {tn.orgID}, "days": {"3"}, "reason": {"No"}}))
		want(t, "mute, bad days", apptest.PostForm(t, tn.org, mutes, url.Values{"user_id": {tn.memberID}, "days": {"9999"}, "reason": {"Heated"}, "thread": {tid}, "open": {"mute-" + reply}}),
			http.StatusUnprocessableEntity, `href="#mute-`+reply+`-days"`)
		want(t, "mute", apptest.PostForm(t, tn.org, mutes, url.Values{"user_id": {tn.memberID}, "days": {"3"}, "reason": {"Cooling off"}}), http.StatusSeeOther)
		want(t, "mutes listed", apptest.Get(t, tn.org, u+"/moderation?group="+g.ID), http.StatusOK, "Cooling off", "Lift the mute")
		refused(t, "muted member comments", apptest.PostForm(t, tn.member, thread+"/comments", url.Values{"body": {"Hello?"}}))
		want(t, "unmute", apptest.PostForm(t, tn.org, mutes+"/"+tn.memberID+"/delete", nil), http.StatusSeeOther)
		want(t, "unmuted member comments", apptest.PostForm(t, tn.member, thread+"/comments", url.Values{"body": {"Thanks, see you there."}}), http.StatusSeeOther)

		// The code of conduct: everyone reads it, admins change it.
		want(t, "code of conduct", apptest.Get(t, apptest.Client(t), u+"/code-of-conduct"), http.StatusOK)
		refused(t, "change it as organiser", apptest.Get(t, tn.org, u+"/admin/code-of-conduct"))
		want(t, "change it, empty", apptest.PostForm(t, tn.admin, u+"/admin/code-of-conduct", url.Values{"body": {""}}), http.StatusUnprocessableEntity, `href="#f-body"`)
		want(t, "change it", apptest.PostForm(t, tn.admin, u+"/admin/code-of-conduct", url.Values{"body": {"# Our code\n\nBe **kind**."}}), http.StatusSeeOther)
		want(t, "changed", apptest.Get(t, tn.member, u+"/code-of-conduct"), http.StatusOK, "<strong>kind</strong>")
	})
}

// TestTalkOnDecision: a decision under discussion shows its discussion
// first, with a comment form; a comment posted there starts the thread
// and comes back to the decision's page; the attached thread's page
// links to the decision.
func TestTalkOnDecision(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		tn := setUpTalk(t, n)
		u := n.URL
		sys := auth.WithSystem(context.Background())
		now := time.Now().UTC()
		d, err := n.App.Decisions.Create(sys, decisions.Input{GroupID: tn.group.ID, Title: "Where we meet", Kind: decisions.KindPoll,
			OpensAt: now.Add(24 * time.Hour), ClosesAt: now.Add(48 * time.Hour), Options: []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.App.Decisions.StartDiscussion(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		page := apptest.Get(t, tn.member, u+"/decisions/"+d.ID)
		want(t, "decision page", page, http.StatusOK, "Discussion (0 comments)", `action="/talk/on/decision/`+d.ID+`"`, "under discussion: say what you think", `href="/code-of-conduct"`)
		if strings.Index(page.Body, `id="discussion"`) > strings.Index(page.Body, `id="vote-h"`) {
			t.Error("under discussion, the discussion should come before the ballot")
		}
		want(t, "attached, empty", apptest.Get(t, tn.member, u+"/talk/on/decision/"+d.ID), http.StatusOK, "Nobody has commented on this decision yet")
		want(t, "attached, bad kind", apptest.Get(t, tn.member, u+"/talk/on/petition/"+d.ID), http.StatusNotFound)
		refused(t, "attached, outsider", apptest.Get(t, tn.outsider, u+"/talk/on/decision/"+d.ID))
		want(t, "comment, empty", apptest.PostForm(t, tn.member, u+"/talk/on/decision/"+d.ID, url.Values{"body": {""}}), http.StatusUnprocessableEntity, `href="#f-body"`)
		res := apptest.PostForm(t, tn.member, u+"/talk/on/decision/"+d.ID, url.Values{"body": {"I prefer the library: it has step-free access."},
			"next": {"/decisions/" + d.ID + "#discussion"}})
		want(t, "comment on the decision", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/decisions/"+d.ID+"#discussion" {
			t.Errorf("after commenting: to %q, want back to the decision", loc)
		}
		want(t, "decision page after", apptest.Get(t, tn.org, u+"/decisions/"+d.ID), http.StatusOK, "Discussion (1 comment)", "it has step-free access", "Read the whole discussion")
		res = apptest.Get(t, tn.org, u+"/talk/on/decision/"+d.ID)
		m := threadInPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("attached: %d %q", res.Status, res.Header.Get("Location"))
		}
		want(t, "attached thread", apptest.Get(t, tn.org, u+"/talk/t/"+m[1]), http.StatusOK, `href="/decisions/`+d.ID+`"`, "it has step-free access")

		// An event's page has its discussion panel too.
		day := now.AddDate(0, 0, 3)
		e, err := n.App.Events.Create(sys, events.Input{GroupID: tn.group.ID, Title: "Stall on Saturday", Visibility: events.Public,
			Place: events.Place{Name: "Ridley Road"}, Start: time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, time.UTC),
			End: time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		want(t, "event page", apptest.Get(t, tn.member, u+"/events/"+e.ID), http.StatusOK, "Discussion (0 comments)", `action="/talk/on/event/`+e.ID+`"`)
		want(t, "comment on the event", apptest.PostForm(t, tn.member, u+"/talk/on/event/"+e.ID, url.Values{"body": {"I can bring the table."},
			"next": {"/events/" + e.ID + "#discussion"}}), http.StatusSeeOther)
		want(t, "event page after", apptest.Get(t, apptest.Client(t), u+"/events/"+e.ID), http.StatusOK, "Discussion (1 comment)", "I can bring the table.", "Log in to join the discussion")
	})
}
