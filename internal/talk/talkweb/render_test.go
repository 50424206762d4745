package talkweb

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// render draws a page as a signed-in member (viewer nil: anonymous) and
// returns its HTML.
func render(t *testing.T, name string, v *web.Viewer, p web.Page) string {
	t.Helper()
	rend, err := web.NewRenderer(nil, web.RendererOptions{SiteName: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "talk"); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/talk", nil)
	if v != nil {
		req = req.WithContext(web.WithViewer(req.Context(), v))
	}
	rec := httptest.NewRecorder()
	rend.Page(rec, req, http.StatusOK, name, p)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d\n%s", name, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func has(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

var member = &web.Viewer{UserID: "u-me", Name: "Mo Member"}

func sampleThread() (*talk.Thread, []talk.Comment) {
	at := time.Date(2026, 3, 9, 19, 0, 0, 0, time.UTC)
	th := &talk.Thread{ID: "t1", GroupID: "g1", GroupName: "Hackney", Title: "Where do we meet?", Body: "Ideas **welcome**.",
		Visibility: talk.Group, AuthorUserID: "u-olive", AuthorName: "Olive Organiser", CommentCount: 3, CreatedAt: at,
		Locked: true, LockReason: "Decided", Unread: 1}
	cs := []talk.Comment{
		{ID: "c1", ThreadID: "t1", AuthorUserID: "u-ben", AuthorName: "Ben Bloggs", Body: "The library.", CreatedAt: at,
			Reactions: []talk.Reaction{{Emoji: "👍", Count: 2, Mine: true}}, Edited: true},
		{ID: "c2", ThreadID: "t1", ParentID: "c1", Depth: 1, AuthorUserID: "u-me", AuthorName: "Mo Member", Body: "Agreed", Mine: true, CreatedAt: at},
		{ID: "c3", ThreadID: "t1", ParentID: "c2", Depth: 1, AuthorUserID: "u-cy", AuthorName: "Cy", Hidden: true, HiddenReason: "Rude", CreatedAt: at, Unread: true},
	}
	return th, cs
}

// TestThreadPageRenders draws a thread with replies, reactions, a hidden
// comment and a lock, as a moderator after a refused reply: the reply's
// form is open with the text kept and the error named.
func TestThreadPageRenders(t *testing.T) {
	h := &Handler{zone: time.UTC}
	th, cs := sampleThread()
	form := web.FormWithError(url.Values{"open": {"reply-c1"}, "body": {"my draft"}}, errs.Fields(map[string]string{"body": "Too long."}))
	p := &threadPage{T: th, GroupSlug: "hackney", Moderates: true, SignedIn: true, CanComment: true, Here: "/talk/t/t1", Form: form,
		Visibility: visibilityWords[th.Visibility], Unread: 1, FirstUnread: "c3"}
	cs[0].Body = "The library, @mo-member?"
	p.Comments = h.tree(cs, p, member)
	p.Handles = handles(th, cs, member)
	p.Errors = errorLinks(form)
	page := render(t, "talk/thread", member, web.Page{Title: th.Title, Data: p, Form: form})
	has(t, page, `id="c-c1"`, `id="c-c2"`, `id="c-c3"`, "Hidden by a moderator: Rude", "Locked by a moderator: Decided",
		`href="#reply-c1-body"`, ">my draft</textarea>", "Too long.", "@olive-organiser", "@ben-bloggs", `href="/talk/c/c1/history?thread=t1"`,
		`action="/groups/hackney/mutes"`, `action="/talk/c/c1/hide"`, `action="/talk/t/t1/pin"`, `href="/code-of-conduct"`, "Go to the new comment", "Mentions you")
	// The hint offers the people in the thread, the viewer left out.
	has(t, page, "like @olive-organiser, @cy, @ben-bloggs: they are told")
	if len(p.Comments) != 1 || len(p.Comments[0].Replies) != 2 {
		t.Errorf("tree: %d top-level, want 1 with 2 replies", len(p.Comments))
	}
}

func TestOtherPagesRender(t *testing.T) {
	g := &groups.Group{ID: "g1", Slug: "hackney", Name: "Hackney"}
	render(t, "talk/list", member, web.Page{Title: "Discussions", Data: listPage{Threads: []threadRow{{ID: "t1", Title: "Hello", Unread: 2}},
		CanStart: true, StartURL: "/talk/new", Next: 2}})
	render(t, "talk/list", nil, web.Page{Title: "Discussions in Hackney", Data: listPage{Group: g}})
	render(t, "talk/new", member, web.Page{Title: "Start", Data: newPage{Group: g}, Form: web.NewForm(url.Values{"visibility": {"group"}})})
	render(t, "talk/attached", member, web.Page{Title: "Discuss this decision", Data: attachedPage{Kind: "decision", ID: "d1", What: "decision",
		SubjectURL: "/decisions/d1", Action: "/talk/on/decision/d1", SignedIn: true}})
	render(t, "talk/history", member, web.Page{Title: "History", Data: historyPage{Revisions: []revisionView{{Revision: talk.Revision{Body: "old"}}}}})
	render(t, "talk/coc", nil, web.Page{Title: "Code of conduct", Data: cocPage{Body: "# Be kind"}})
	render(t, "talk/coc_edit", member, web.Page{Title: "Change", Form: web.NewForm(nil)})
	q := render(t, "talk/moderation", member, web.Page{Title: "Moderation", Data: queuePage{Group: g,
		Items:   []queueItem{{QueueItem: talk.QueueItem{Comment: talk.Comment{ID: "c1", AuthorUserID: "u1", AuthorName: "Ben", Body: "rude"}, ThreadID: "t1", ThreadTitle: "T"}, Flags: []flagView{{Flag: talk.Flag{Reason: "Insult", ByName: "Ann"}}}}},
		Mutes:   []muteView{{Mute: talk.Mute{UserID: "u2", Name: "Cy", Reason: "spam"}}},
		Authors: []author{{UserID: "u1", Name: "Ben"}}}})
	has(t, q, "Insult", `action="/groups/hackney/mutes/u2/delete"`, `action="/talk/c/c1/dismiss"`)
}
