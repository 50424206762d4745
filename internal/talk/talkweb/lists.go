package talkweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// pageSize is how many threads a list shows at once.
const pageSize = 30

// threadRow is a thread as a list shows it.
type threadRow struct {
	ID, Title, GroupName, AuthorName string
	Pinned, Locked, Archived, New    bool
	Unread, Comments                 int
	Last                             string
	About                            string // "a decision", "an event": attached threads
}

func (h *Handler) rows(ts []talk.Thread) []threadRow {
	out := make([]threadRow, 0, len(ts))
	for _, t := range ts {
		out = append(out, threadRow{ID: t.ID, Title: t.Title, GroupName: t.GroupName, AuthorName: t.AuthorName,
			Pinned: t.Pinned, Locked: t.Locked, Archived: t.Archived, New: t.New, Unread: t.Unread,
			Comments: t.CommentCount, Last: h.short(t.LastPostAt), About: subjectWords(t.SubjectKind)})
	}
	return out
}

// subjectWords names what a thread is attached to, for a list.
func subjectWords(kind string) string {
	switch kind {
	case talk.SubjectDecision:
		return "a decision"
	case talk.SubjectEvent:
		return "an event"
	case talk.SubjectMeeting:
		return "a meeting"
	}
	return ""
}

// listPage is /talk and a group's /groups/{slug}/talk.
type listPage struct {
	Group      *groups.Group // nil on the network's page
	Threads    []threadRow
	Following  []threadRow
	MyGroups   []groups.Membership
	Page       int
	Prev, Next int // the neighbouring pages; 0: none
	Moderates  bool
	StartURL   string
	Zone       string
	NeedsYou   int // unread comments in followed threads
	CanStart   bool
	ModerateAt string
}

// page reads ?page=N (1 and up; anything else is the first page).
func page(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 10000 {
		return 1
	}
	return n
}

func (h *Handler) handleNetwork(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := listPage{Page: page(r), StartURL: "/talk/new", Zone: web.ZoneLabel(h.zone), ModerateAt: "/moderation"}
	ts, err := h.svc.Threads(ctx, talk.ThreadFilter{Network: true, Limit: pageSize + 1, Offset: (p.Page - 1) * pageSize})
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Prev = p.Page - 1
	if len(ts) > pageSize {
		ts, p.Next = ts[:pageSize], p.Page+1
	}
	p.Threads = h.rows(ts)
	if v := web.ViewerFrom(ctx); v != nil {
		p.CanStart = h.posts(ctx, "")
		fs, err := h.svc.Threads(ctx, talk.ThreadFilter{Following: true, Limit: 20})
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p.Following = h.rows(fs)
		for _, f := range p.Following {
			p.NeedsYou += f.Unread
		}
		if p.MyGroups, err = h.groups.MyGroups(ctx); err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p.MyGroups = activeOnly(p.MyGroups)
		p.Moderates = v.IsAdmin || moderatesAny(p.MyGroups)
	}
	h.rend.Page(w, r, http.StatusOK, "talk/list", web.Page{Title: "Discussions", Data: p})
}

// activeOnly keeps the memberships that are active (not invitations or
// requests).
func activeOnly(ms []groups.Membership) []groups.Membership {
	var out []groups.Membership
	for _, m := range ms {
		if m.Status == groups.MemberActive {
			out = append(out, m)
		}
	}
	return out
}

func (h *Handler) handleGroup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, err := h.groups.GetBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := listPage{Group: g, Page: page(r), StartURL: "/talk/new?group=" + url.QueryEscape(g.ID), Zone: web.ZoneLabel(h.zone),
		ModerateAt: "/moderation?group=" + url.QueryEscape(g.ID)}
	ts, err := h.svc.Threads(ctx, talk.ThreadFilter{GroupID: g.ID, Limit: pageSize + 1, Offset: (p.Page - 1) * pageSize})
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Prev = p.Page - 1
	if len(ts) > pageSize {
		ts, p.Next = ts[:pageSize], p.Page+1
	}
	p.Threads = h.rows(ts)
	for _, t := range p.Threads {
		p.NeedsYou += t.Unread
	}
	p.CanStart = !g.Archived() && h.posts(ctx, g.ID)
	p.Moderates = h.moderates(ctx, g.ID)
	h.rend.Page(w, r, http.StatusOK, "talk/list", web.Page{Title: "Discussions in " + g.Name, Data: p})
}

// moderatesAny reports whether any of the memberships is an organiser's
// or a moderator's (the list page then links to the queue).
func moderatesAny(ms []groups.Membership) bool {
	for _, m := range ms {
		if m.Role == groups.RoleOrganiser || m.Role == groups.RoleModerator {
			return true
		}
	}
	return false
}

// newPage is the form to start a thread.
type newPage struct {
	Group *groups.Group // nil: a network thread
}

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	vis := talk.Members
	if r.URL.Query().Get("group") != "" {
		vis = talk.Group
	}
	h.newForm(w, r, http.StatusOK, web.NewForm(url.Values{"group_id": {r.URL.Query().Get("group")}, "visibility": {vis}}))
}

// newForm renders the form to start a thread in the form's group_id (or
// the network). Only a group's members (and admins) are offered a group's
// form; the service decides when it is sent.
func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	if web.ViewerFrom(r.Context()) == nil {
		h.rend.Error(w, r, errs.E(errs.Unauthorized, "Log in to start a discussion."))
		return
	}
	p := newPage{}
	title := "Start a discussion for the whole network"
	if id := strings.TrimSpace(form.Get("group_id")); id != "" {
		g, err := h.groups.Get(r.Context(), id)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		if !h.posts(r.Context(), g.ID) {
			h.rend.Error(w, r, errs.E(errs.Forbidden, "Only the members of %s can start its discussions.", g.Name))
			return
		}
		if g.Archived() {
			h.rend.Error(w, r, errs.E(errs.Conflict, "%s is archived: its discussions can be read but not added to.", g.Name))
			return
		}
		p.Group = g
		title = "Start a discussion in " + g.Name
	} else if !h.posts(r.Context(), "") {
		h.rend.Error(w, r, errs.E(errs.Forbidden, "The network's discussions are started by its members."))
		return
	}
	h.rend.Page(w, r, status, "talk/new", web.Page{Title: title, Data: p, Form: form})
}

// Limits on what people type, checked where it enters (the service checks
// its own too).
const (
	maxTitle   = talk.MaxTitle
	maxBody    = talk.MaxBody
	maxComment = talk.MaxComment
	maxReason  = talk.MaxReason
)

func (h *Handler) handleStart(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in := talk.ThreadInput{GroupID: strings.TrimSpace(r.PostFormValue("group_id")), Title: strings.TrimSpace(r.PostFormValue("title")),
		Body: r.PostFormValue("body"), Visibility: r.PostFormValue("visibility")}
	bad := map[string]string{}
	limit(bad, "title", in.Title, maxTitle, "The title")
	limit(bad, "body", in.Body, maxBody, "The opening post")
	if in.Title == "" {
		bad["title"] = "Give the discussion a title."
	}
	switch in.Visibility {
	case "", talk.Public, talk.Members, talk.Group:
	default:
		bad["visibility"] = "Choose who can read the discussion."
	}
	err := errs.Fields(bad)
	if err == nil {
		var t *talk.Thread
		if t, err = h.svc.StartThread(r.Context(), in); err == nil {
			web.Redirect(w, r, "/talk/t/"+t.ID, "Your discussion is started. You follow it, so you'll hear of replies.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.newForm(w, r, code, form) })
}
