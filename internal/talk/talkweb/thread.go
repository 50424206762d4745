package talkweb

import (
	"net/http"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// threadPage is a thread with its comments and the forms around them.
type threadPage struct {
	T          *talk.Thread
	GroupSlug  string
	Started    string
	Zone       string
	Comments   []*commentView
	Moderates  bool
	SignedIn   bool
	CanComment bool
	// WhyNot says why there is no comment form (locked, archived).
	WhyNot string
	// Handles are a few @handles of people in the thread, for the hint.
	Handles []string
	Here    string // this page's path, where controls return
	Errors  []errorLink
	Unread  int
	// FirstUnread is the first comment the viewer has not read.
	FirstUnread string
	Visibility  string // who can read it, in words
	About       string // what it is attached to, in words ("a decision")
	// CanEdit offers the opening post's Edit form; Edited links its history.
	CanEdit, Edited bool
	Form            *web.Form
}

// commentView is a comment as the page draws it.
type commentView struct {
	talk.Comment
	When      string
	Replies   []*commentView
	Reactions []reactionView
	Others    []reactionView // emoji nobody has used yet, behind "React"
	Handle    string
	Parent    string // the top-level comment a reply answers (for the reply form)
	// MentionsYou is set when the comment @mentions the viewer.
	MentionsYou bool
	// P is the page, for the controls each comment offers.
	P *threadPage
}

// reactionView is one emoji button.
type reactionView struct {
	Emoji, Name string
	Count       int
	Mine        bool
}

// emojiNames label the reaction buttons for screen readers.
var emojiNames = map[string]string{"👍": "thumbs up", "❤️": "heart", "🎉": "celebrate", "🤔": "thinking", "👀": "looking", "👎": "thumbs down"}

// visibilityWords say who can read a thread.
var visibilityWords = map[string]string{talk.Public: "Everyone can read this", talk.Members: "The network's members can read this",
	talk.Group: "Only the group's members can read this"}

// errorLink is one line of the error summary at the top of the page,
// linking to the field it is about.
type errorLink struct{ Text, Href string }

func (h *Handler) handleThread(w http.ResponseWriter, r *http.Request) {
	h.thread(w, r, r.PathValue("id"), http.StatusOK, nil)
}

// thread renders a thread's page; form carries one of its forms' input and
// errors after a refused post (its "open" value names which form). A
// signed-in viewer's reading is recorded once the page is drawn.
func (h *Handler) thread(w http.ResponseWriter, r *http.Request, id string, status int, form *web.Form) {
	ctx := r.Context()
	t, cs, err := h.svc.Thread(ctx, id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	v := web.ViewerFrom(ctx)
	p := &threadPage{T: t, Started: h.local(t.CreatedAt), Zone: web.ZoneLabel(h.zone), SignedIn: v != nil,
		Moderates: h.moderates(ctx, t.GroupID), Here: "/talk/t/" + t.ID, Unread: t.Unread, Form: form,
		Visibility: visibilityWords[t.Visibility], About: subjectWords(t.SubjectKind)}
	if t.GroupID != "" {
		if g, err := h.groups.Get(ctx, t.GroupID); err == nil {
			p.GroupSlug = g.Slug
		}
	}
	switch {
	case v == nil:
	case t.Archived:
		p.WhyNot = "This discussion's group is archived: it can be read, but not added to."
	case t.Locked && !p.Moderates:
		p.WhyNot = "This discussion is locked, so nobody can comment."
	case !h.posts(ctx, t.GroupID):
		p.WhyNot = "Only the members of its audience can comment here."
	default:
		p.CanComment = true
	}
	// The opening post: its author edits it (not while locked), as do its
	// moderators; an attached discussion has none.
	if v != nil && !t.Archived && t.SubjectKind == "" {
		p.CanEdit = p.Moderates || (t.AuthorUserID == v.UserID && !t.Locked && h.posts(ctx, t.GroupID))
	}
	if t.SubjectKind == "" {
		if revs, err := h.svc.ThreadHistory(ctx, t.ID); err == nil && len(revs) > 0 {
			p.Edited = true
		}
	}
	p.Comments = h.tree(cs, p, v)
	for _, c := range cs {
		if c.Unread {
			p.FirstUnread = c.ID
			break
		}
	}
	p.Handles = handles(t, cs, v)
	p.Errors = errorLinks(form)
	h.rend.Page(w, r, status, "talk/thread", web.Page{Title: t.Title, Data: p, Form: form})
	if v != nil && status == http.StatusOK {
		// Reading is recorded after the page is drawn, so its unread
		// markers are the ones the viewer had. A failure here costs only a
		// marker, never the page.
		_ = h.svc.MarkRead(ctx, t.ID)
	}
}

// tree puts replies under their top-level comment, keeping the order the
// service gave (oldest first); a reply to a reply joins the same
// top-level comment.
func (h *Handler) tree(cs []talk.Comment, p *threadPage, v *web.Viewer) []*commentView {
	me := ""
	if v != nil {
		me = talk.Handle(v.Name)
	}
	var top []*commentView
	root := map[string]*commentView{} // comment id → its top-level comment
	for _, c := range cs {
		cv := &commentView{Comment: c, When: h.short(c.CreatedAt), Handle: talk.Handle(c.AuthorName), P: p}
		cv.Reactions, cv.Others = reactions(c.Reactions)
		cv.MentionsYou = me != "" && !c.Mine && slices.Contains(talk.Mentions(c.Body), me)
		parent := root[c.ParentID]
		if c.ParentID == "" || parent == nil {
			top = append(top, cv)
			root[c.ID] = cv
			cv.Parent = c.ID
			continue
		}
		parent.Replies = append(parent.Replies, cv)
		root[c.ID] = parent
		cv.Parent = parent.ID
	}
	return top
}

// reactions splits the emoji into those used (with counts) and the rest.
func reactions(rs []talk.Reaction) (used, others []reactionView) {
	got := map[string]talk.Reaction{}
	for _, r := range rs {
		got[r.Emoji] = r
	}
	for _, e := range talk.Reactions {
		rv := reactionView{Emoji: e, Name: emojiNames[e]}
		if r, ok := got[e]; ok && r.Count > 0 {
			rv.Count, rv.Mine = r.Count, r.Mine
			used = append(used, rv)
		} else {
			others = append(others, rv)
		}
	}
	return used, others
}

// handles are up to six @handles of the people in a thread, the viewer
// left out, for the comment form's hint.
func handles(t *talk.Thread, cs []talk.Comment, v *web.Viewer) []string {
	seen := map[string]bool{}
	if v != nil {
		seen[v.UserID] = true
	}
	var out []string
	add := func(userID, name string) {
		if userID == "" || seen[userID] || len(out) >= 6 {
			return
		}
		seen[userID] = true
		if h := talk.Handle(name); h != "" {
			out = append(out, "@"+h)
		}
	}
	add(t.AuthorUserID, t.AuthorName)
	for i := len(cs) - 1; i >= 0; i-- { // the latest voices first
		add(cs[i].AuthorUserID, cs[i].AuthorName)
	}
	return out
}

// errorLinks is the error summary: each field's message linking to its
// control (the control's id is the form's "open" name and the field).
func errorLinks(form *web.Form) []errorLink {
	if !form.HasErrors() {
		return nil
	}
	prefix := "f-"
	if o := form.Get("open"); o != "" {
		prefix = o + "-"
	}
	var out []errorLink
	for _, k := range []string{"", "title", "body", "parent_id", "reason", "days", "emoji", "user_id", "on"} {
		if msg := form.Error(k); msg != "" {
			href := ""
			if k != "" {
				href = "#" + prefix + k
			}
			out = append(out, errorLink{Text: msg, Href: href})
		}
	}
	return out
}

func (h *Handler) handleComment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in, err := commentInput(r)
	if err == nil {
		var c *talk.Comment
		if c, err = h.svc.Comment(r.Context(), id, in); err == nil {
			web.Redirect(w, r, "/talk/t/"+id+"#c-"+c.ID, "Your comment is posted.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.thread(w, r, id, code, form) })
}

// commentInput reads a comment form (body, parent_id).
func commentInput(r *http.Request) (talk.CommentInput, error) {
	r.ParseForm()
	in := talk.CommentInput{Body: r.PostFormValue("body"), ParentID: strings.TrimSpace(r.PostFormValue("parent_id"))}
	bad := map[string]string{}
	limit(bad, "body", in.Body, maxComment, "The comment")
	if strings.TrimSpace(in.Body) == "" {
		bad["body"] = "Write your comment."
	}
	limit(bad, "parent_id", in.ParentID, 100, "The comment answered")
	return in, errs.Fields(bad)
}
