package app_test

// Issue 13's acceptance tests share this world: a network with two groups,
// their organisers and members, a supporter and the anonymous, with content
// of every kind created the way people create it (the web forms, through
// HTTP, for threads, comments and documents; the services, as the existing
// tests do, for groups, events and decisions).

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
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// a13Account is a signed-in person of the acceptance worlds.
type a13Account struct {
	name, email, pass string
	user, person      string
	role              auth.Role
	// c is logged in (nil for the anonymous: a fresh client).
	c *http.Client
}

// a13User makes an account with a name of our choosing (apptest.CreateUser
// names people after their address), its person record a member or a
// supporter since a year ago, and a logged-in client.
func a13User(t *testing.T, n *apptest.Node, name, email string, role auth.Role) *a13Account {
	t.Helper()
	const pass = "issue thirteen acceptance passphrase"
	ctx := auth.WithSystem(reqctx.WithActor(context.Background(), reqctx.Actor{Label: "test"}))
	u, err := n.App.Auth.CreateAdmin(ctx, email, pass, name)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	if role != auth.RoleAdmin {
		if err := n.App.Auth.SetRole(ctx, u.ID, role); err != nil {
			t.Fatalf("set role of %s: %v", email, err)
		}
	}
	person, err := n.App.People.Match(ctx, email, "")
	if err != nil {
		t.Fatalf("person of %s: %v", email, err)
	}
	status := "member"
	if role == auth.RoleSupporter {
		status = "supporter"
	}
	if err := n.App.People.SetMembershipAt(ctx, person, status, time.Now().AddDate(-1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	acc := &a13Account{name: name, email: email, pass: pass, user: u.ID, person: person, role: role, c: apptest.Client(t)}
	n.Login(t, acc.c, email, pass)
	return acc
}

// as is the account's principal, for calling services as that person.
func (acc *a13Account) as() context.Context {
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: acc.user, Role: acc.role, Verified: true})
}

// a13TryPost posts a form as acc and returns the path it redirects to; on
// anything but a redirect it reports an error and returns false, so a world
// can go on without the item (and the test says what could not be made).
func a13TryPost(t *testing.T, n *apptest.Node, c *http.Client, path string, form url.Values) (string, bool) {
	t.Helper()
	res := apptest.PostForm(t, c, n.URL+path, form)
	if res.Status != http.StatusSeeOther && res.Status != http.StatusFound {
		t.Errorf("POST %s %v: status %d, want a redirect: %s", path, form, res.Status, a13MainText(res.Body))
		return "", false
	}
	loc := res.Header.Get("Location")
	if u, err := url.Parse(loc); err == nil && u.Host != "" {
		loc = u.RequestURI()
		if u.Fragment != "" {
			loc += "#" + u.Fragment
		}
	}
	return loc, true
}

// a13Post is a13TryPost that stops the test on failure.
func a13Post(t *testing.T, n *apptest.Node, c *http.Client, path string, form url.Values) string {
	t.Helper()
	loc, ok := a13TryPost(t, n, c, path, form)
	if !ok {
		t.FailNow()
	}
	return loc
}

// a13ID takes the id after prefix ("/talk/t/") out of a path; "" for a
// path "" (a post that failed, already reported).
func a13ID(t *testing.T, path, prefix string) string {
	t.Helper()
	if path == "" {
		return ""
	}
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `([0-9A-Za-z_-]+)`).FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("%q holds no %s{id}", path, prefix)
	}
	return m[1]
}

// a13StartThread starts a thread through POST /talk and returns its id
// ("" when that failed, reported).
func a13StartThread(t *testing.T, n *apptest.Node, acc *a13Account, groupID, title, body, vis string) string {
	t.Helper()
	loc, _ := a13TryPost(t, n, acc.c, "/talk", url.Values{"group_id": {groupID}, "title": {title}, "body": {body}, "visibility": {vis}})
	return a13ID(t, loc, "/talk/t/")
}

var a13CommentIDs = regexp.MustCompile(`id="c-([0-9A-Za-z_-]+)"`)

// a13Comment posts a comment (a reply when parent is set) to a thread
// through its form and returns the thread's and the comment's ids: from
// the redirect's #c-{id}, else the last comment on the thread's page before
// body's distinctive word; both "" when the redirect is not to the thread
// or the post failed (reported).
func a13Comment(t *testing.T, n *apptest.Node, acc *a13Account, path, parent, body, word string) (threadID, commentID string) {
	t.Helper()
	threadID, commentID, _ = a13TryComment(t, n, acc, path, parent, body, word)
	return threadID, commentID
}

// a13TryComment is a13Comment that also says whether the comment was
// posted.
func a13TryComment(t *testing.T, n *apptest.Node, acc *a13Account, path, parent, body, word string) (threadID, commentID string, posted bool) {
	t.Helper()
	loc, ok := a13TryPost(t, n, acc.c, path, url.Values{"body": {body}, "parent_id": {parent}})
	if !ok {
		return "", "", false
	}
	if !strings.Contains(loc, "/talk/t/") {
		return "", "", true // back to the subject's page: fine, the caller needs no ids
	}
	if i := strings.Index(loc, "#c-"); i >= 0 {
		return a13ID(t, loc, "/talk/t/"), loc[i+3:], true
	}
	threadID = a13ID(t, loc, "/talk/t/")
	page := apptest.Get(t, acc.c, n.URL+"/talk/t/"+threadID)
	at := strings.Index(page.Body, word)
	if at < 0 {
		t.Errorf("the thread page does not show the comment with %q\n%.3000s", word, page.Body)
		return threadID, "", true
	}
	ids := a13CommentIDs.FindAllStringSubmatchIndex(page.Body[:at], -1)
	if len(ids) == 0 {
		t.Errorf("no id=\"c-…\" before the comment with %q on /talk/t/%s", word, threadID)
		return threadID, "", true
	}
	last := ids[len(ids)-1]
	return threadID, page.Body[last[2]:last[3]], true
}

// a13Decision makes a proposal in a group ("" for the network) and takes
// it to the stage wanted: "draft", "discussion", "closed", "published" or
// "public" (published, its record public).
// Before voting opens, comment (when not nil) is called so the discussion
// is written while it is "Under discussion", as members would.
func a13Decision(t *testing.T, n *apptest.Node, by *a13Account, groupID, title, body, stage string, comment func(id string)) string {
	t.Helper()
	a := n.App
	sys := auth.WithSystem(context.Background())
	now := time.Now().UTC().Truncate(time.Second)
	d, err := a.Decisions.Create(by.as(), decisions.Input{GroupID: groupID, Title: title, Body: body, Kind: decisions.KindProposal,
		// Members only: the electorate (who may also see a decision) is
		// then exactly its audience; a network decision's would otherwise
		// take in supporters.
		Electorate: decisions.Electorate{MembersOnly: true},
		OpensAt:    now.Add(time.Hour), ClosesAt: now.Add(2 * time.Hour)})
	if err != nil {
		t.Fatalf("create decision %q: %v", title, err)
	}
	if stage == "draft" {
		return d.ID
	}
	if _, err := a.Decisions.StartDiscussion(by.as(), d.ID); err != nil {
		t.Fatalf("discuss %q: %v", title, err)
	}
	if comment != nil {
		comment(d.ID)
	}
	if stage == "discussion" {
		return d.ID
	}
	if _, err := a.DB.Exec(context.Background(), `UPDATE decisions SET opens_at = ? WHERE id = ?`, now.Add(-time.Minute), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.OpenVoting(sys, d.ID); err != nil {
		t.Fatalf("open voting on %q: %v", title, err)
	}
	if _, err := a.DB.Exec(context.Background(), `UPDATE decisions SET closes_at = ? WHERE id = ?`, time.Now().UTC().Add(-time.Second), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.Close(sys, d.ID); err != nil {
		t.Fatalf("close %q: %v", title, err)
	}
	if stage == "published" || stage == "public" {
		record := decisions.MembersRecord
		if stage == "public" {
			record = decisions.PublicRecord
		}
		if _, err := a.Decisions.Publish(by.as(), d.ID, "Agreed: "+title+".", record); err != nil {
			t.Fatalf("publish %q: %v", title, err)
		}
	}
	return d.ID
}

var a13Tags = regexp.MustCompile(`(?s)<[^>]*>|\s+`)

// a13MainText is the text of a page's main element, for short messages.
func a13MainText(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	s := strings.TrimSpace(a13Tags.ReplaceAllString(body, " "))
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
