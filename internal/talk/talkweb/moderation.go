package talkweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// queuePage is the moderation queue: flagged comments waiting for a
// moderator, and (for a group) its mutes.
type queuePage struct {
	Group   *groups.Group // nil: every group the viewer moderates
	Items   []queueItem
	Mutes   []muteView
	Groups  []groups.Membership // the groups the viewer moderates, to choose from
	Authors []author            // people the mute form offers
	Here    string
	Zone    string
	Errors  []errorLink
}

type queueItem struct {
	talk.QueueItem
	When  string
	Flags []flagView
}

type flagView struct {
	talk.Flag
	When string
}

type muteView struct {
	talk.Mute
	Until string
}

type author struct{ UserID, Name string }

func (h *Handler) handleQueue(w http.ResponseWriter, r *http.Request) {
	h.queue(w, r, http.StatusOK, nil)
}

// queue renders the moderation queue of ?group= (or of every group the
// viewer moderates); form carries a refused moderation form's input.
func (h *Handler) queue(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	ctx := r.Context()
	groupID := strings.TrimSpace(r.URL.Query().Get("group"))
	if groupID == "" && form != nil {
		groupID = form.Get("group_id")
	}
	p := queuePage{Zone: web.ZoneLabel(h.zone), Here: "/moderation", Errors: errorLinks(form)}
	if groupID != "" {
		g, err := h.groups.Get(ctx, groupID)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p.Group, p.Here = g, "/moderation?group="+url.QueryEscape(g.ID)
	}
	items, err := h.svc.Queue(ctx, groupID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	seen := map[string]bool{}
	for _, it := range items {
		qi := queueItem{QueueItem: it, When: h.short(it.Comment.CreatedAt)}
		for _, f := range it.Flags {
			qi.Flags = append(qi.Flags, flagView{Flag: f, When: h.short(f.CreatedAt)})
		}
		p.Items = append(p.Items, qi)
		if c := it.Comment; !seen[c.AuthorUserID] && c.AuthorUserID != "" {
			seen[c.AuthorUserID] = true
			p.Authors = append(p.Authors, author{UserID: c.AuthorUserID, Name: c.AuthorName})
		}
	}
	if p.Group != nil {
		ms, err := h.svc.Mutes(ctx, p.Group.ID)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		for _, m := range ms {
			p.Mutes = append(p.Mutes, muteView{Mute: m, Until: h.local(m.Until)})
		}
	}
	if web.ViewerFrom(ctx) != nil {
		if mine, err := h.groups.MyGroups(ctx); err == nil {
			for _, m := range activeOnly(mine) {
				if m.Role == groups.RoleOrganiser || m.Role == groups.RoleModerator {
					p.Groups = append(p.Groups, m)
				}
			}
		}
	}
	title := "Moderation"
	if p.Group != nil {
		title = "Moderation: " + p.Group.Name
	}
	h.rend.Page(w, r, status, "talk/moderation", web.Page{Title: title, Data: p, Form: form})
}

// maxMuteDays is the longest mute the form offers (the service's limit).
const maxMuteDays = 365

func (h *Handler) handleMute(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, err := h.groups.GetBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	r.ParseForm()
	in := talk.MuteInput{GroupID: g.ID, UserID: strings.TrimSpace(r.PostFormValue("user_id")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	bad := map[string]string{}
	days, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
	if perr != nil || days < 1 || days > maxMuteDays {
		bad["days"] = "Give a number of days from 1 to 365."
	}
	in.For = time.Duration(days) * 24 * time.Hour
	if in.UserID == "" || len(in.UserID) > 100 {
		bad["user_id"] = "Choose the person to mute."
	}
	limit(bad, "reason", in.Reason, maxReason, "The reason")
	if in.Reason == "" {
		bad["reason"] = "Say why: the person is told the reason."
	}
	err = errs.Fields(bad)
	if err == nil {
		err = h.svc.Mute(ctx, in)
	}
	r.PostForm.Set("group_id", g.ID)
	fallback := "/moderation?group=" + url.QueryEscape(g.ID)
	h.done(w, r, err, threadOf(r), back(r, fallback), "The person cannot post in "+g.Name+" for "+plural(days, "day")+".")
}

func (h *Handler) handleUnmute(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, err := h.groups.GetBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	err = h.svc.Unmute(ctx, g.ID, r.PathValue("user"))
	h.done(w, r, err, "", back(r, "/moderation?group="+url.QueryEscape(g.ID)), "The mute is lifted: they can post in "+g.Name+" again.")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// cocPage is the code of conduct.
type cocPage struct {
	Body    string
	Changed string
	IsAdmin bool
}

func (h *Handler) handleCodeOfConduct(w http.ResponseWriter, r *http.Request) {
	body, at, err := h.svc.CodeOfConduct(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	v := web.ViewerFrom(r.Context())
	p := cocPage{Body: body, IsAdmin: v != nil && v.IsAdmin}
	if !at.IsZero() {
		p.Changed = h.local(at)
	}
	h.rend.Page(w, r, http.StatusOK, "talk/coc", web.Page{Title: "Code of conduct", Data: p})
}

// adminOnly refuses the code of conduct's form to anyone but an admin
// (the service refuses the change itself).
func adminOnly(r *http.Request) error {
	v := web.ViewerFrom(r.Context())
	switch {
	case v == nil:
		return errs.E(errs.Unauthorized, "Log in to change the code of conduct.")
	case !v.IsAdmin:
		return errs.E(errs.Forbidden, "Only the network's admins change the code of conduct.")
	}
	return nil
}

func (h *Handler) handleCodeOfConductEdit(w http.ResponseWriter, r *http.Request) {
	if err := adminOnly(r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	body, _, err := h.svc.CodeOfConduct(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.cocForm(w, r, http.StatusOK, web.NewForm(url.Values{"body": {body}}))
}

func (h *Handler) cocForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	h.rend.Page(w, r, status, "talk/coc_edit", web.Page{Title: "Change the code of conduct", Form: form})
}

// maxCodeOfConduct bounds the code of conduct's text.
const maxCodeOfConduct = 50000

func (h *Handler) handleCodeOfConductSave(w http.ResponseWriter, r *http.Request) {
	if err := adminOnly(r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	r.ParseForm()
	body := r.PostFormValue("body")
	bad := map[string]string{}
	limit(bad, "body", body, maxCodeOfConduct, "The code of conduct")
	if strings.TrimSpace(body) == "" {
		bad["body"] = "Write the code of conduct."
	}
	err := errs.Fields(bad)
	if err == nil {
		err = h.svc.SetCodeOfConduct(r.Context(), body)
	}
	if err == nil {
		web.Redirect(w, r, "/code-of-conduct", "The code of conduct is saved. Every comment form links to it.")
		return
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.cocForm(w, r, code, form) })
}
