package actionsweb

import (
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// publicData is a petition's or form's public page (and its thank-you page).
type publicData struct {
	Action      *actions.Action
	URL         string // the page's public address
	Description string // for the Open Graph card
	Share       []shareLink
	Comments    []actions.Response
	Token       string // the signed form token
	Open        bool
	Live        string // the live count's stream
	SiteName    string
	// The thank-you page's.
	Pending, Already bool
	Confirmed        bool
}

func (h *Handler) handlePublic(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.public(w, r, http.StatusOK, a, nil)
}

func (h *Handler) public(w http.ResponseWriter, r *http.Request, status int, a *actions.Action, form *web.Form) {
	d := h.pageData(a)
	if a.Comments {
		// A failing comment list does not take the petition down.
		d.Comments, _ = h.svc.PublicComments(r.Context(), a.ID, 10)
	}
	d.Token = h.tokens.issue("act:" + a.Slug)
	if form == nil {
		form = web.NewForm(nil)
	}
	h.rend.Page(w, r, status, "actions/public", web.Page{Title: a.Title, Data: d, Form: form})
}

func (h *Handler) pageData(a *actions.Action) publicData {
	u := h.publicURL(a)
	return publicData{Action: a, URL: u, Description: description(a),
		Share: shareLinks(a.Title, u), Open: a.Status == actions.StatusOpen, Live: "/act/" + a.Slug + "/live",
		SiteName: h.siteName}
}

// description is the Open Graph card's text: the target and the start of
// the text, without Markdown's marks.
func description(a *actions.Action) string {
	s := strings.NewReplacer("#", "", "*", "", "_", "", "`", "", ">", "", "[", "", "]", "").Replace(a.Text)
	s = strings.Join(strings.Fields(s), " ")
	if a.Target != "" {
		s = "To " + a.Target + ". " + s
	}
	return errs.Clip(s, 200)
}

func (h *Handler) handleSign(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	r.ParseForm()
	resp, err := h.respondFrom(r, a, "page")
	var res *actions.Result
	if err == nil {
		res, err = h.svc.Respond(r.Context(), a.ID, resp)
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			form := web.FormWithError(r.PostForm, err)
			form.Errors = formNames(form.Errors)
			h.public(w, r, http.StatusUnprocessableEntity, a, form)
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/act/"+a.Slug+"/thanks"+thanksQuery(res), http.StatusSeeOther)
}

func thanksQuery(res *actions.Result) string {
	switch {
	case res.Pending:
		return "?pending=1"
	case res.Duplicate:
		return "?already=1"
	}
	return ""
}

// respondFrom reads a signature or submission from a form (the page's, the
// iframe's or the script's): the token must be this action's and valid.
func (h *Handler) respondFrom(r *http.Request, a *actions.Action, source string) (actions.Respond, error) {
	v := r.PostForm
	resp := actions.Respond{
		GivenName: v.Get("given_name"), FamilyName: v.Get("family_name"), Email: v.Get("email"),
		Phone: v.Get("phone"), Postcode: v.Get("postcode"), Comment: v.Get("comment"),
		EmailOptIn: v.Get("email_opt_in") == "true", Source: source, Referrer: errs.Clip(r.Referer(), 500),
		Honeypot: v.Get("website"), RemoteAddr: h.clientIP(r),
	}
	for _, q := range a.Questions {
		if ans := strings.TrimSpace(v.Get("a_" + q.Key)); ans != "" {
			if resp.Answers == nil {
				resp.Answers = map[string]string{}
			}
			resp.Answers[q.Key] = ans
		}
	}
	at, err := h.tokens.check("act:"+a.Slug, v.Get("rendered"))
	if err != nil {
		return resp, err
	}
	resp.RenderedAt = at
	return resp, nil
}

// handleActSub serves /act/{slug}/thanks, /act/{slug}/live and
// /act/confirm/{token}.
func (h *Handler) handleActSub(w http.ResponseWriter, r *http.Request) {
	slug, page := r.PathValue("slug"), r.PathValue("page")
	switch {
	case slug == "confirm":
		h.handleConfirm(w, r, page)
	case page == "thanks":
		h.handleThanks(w, r, slug)
	case page == "live":
		h.handleLive(w, r, slug)
	default:
		h.rend.NotFound(w, r)
	}
}

func (h *Handler) handleThanks(w http.ResponseWriter, r *http.Request, slug string) {
	a, err := h.svc.Public(r.Context(), slug)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	d := h.pageData(a)
	q := r.URL.Query()
	d.Pending, d.Already = q.Get("pending") == "1", q.Get("already") == "1"
	h.rend.Page(w, r, http.StatusOK, "actions/thanks", web.Page{Title: "Thank you", Data: d})
}

// handleConfirm follows the double opt-in link in the confirmation mail.
// It is a GET, as the mail's link is: the token (256 bits, used once) is
// the credential.
func (h *Handler) handleConfirm(w http.ResponseWriter, r *http.Request, token string) {
	a, err := h.svc.Confirm(r.Context(), token)
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			err = errs.E(errs.NotFound, "This confirmation link is not valid any more. It may have been used already.")
		}
		h.rend.Error(w, r, err)
		return
	}
	d := h.pageData(a)
	d.Confirmed = true
	h.rend.Page(w, r, http.StatusOK, "actions/thanks", web.Page{Title: "Confirmed", Data: d})
}

// handleLive streams the count of an open or closed action: each message
// is the count as digits. Anyone may read it, from any site (the embed's
// script listens too), without credentials.
func (h *Handler) handleLive(w http.ResponseWriter, r *http.Request, slug string) {
	a, err := h.svc.Public(r.Context(), slug)
	if err != nil {
		web.JSONError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	live.ServeSSE(w, r, countBroker{Broker: h.live, svc: h.svc, id: a.ID}, actions.Topic(a.ID))
}
