package actionsweb

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// embedConfig is what the embed script draws: the script is one generic
// file (embed.js) called with this, as JSON.
type embedConfig struct {
	Attr       string       `json:"attr"` // the placeholder's attribute: data-momentum-act
	Key        string       `json:"key"`  // and its value: the slug (or event id)
	Title      string       `json:"title"`
	Target     string       `json:"target,omitempty"`
	Intro      string       `json:"intro,omitempty"` // sanitised HTML
	Count      int          `json:"count"`
	Goal       int          `json:"goal,omitempty"`
	CountLabel string       `json:"countLabel"`
	Open       bool         `json:"open"`
	Closed     string       `json:"closed"`
	Post       string       `json:"post"`
	Token      string       `json:"token"`
	Live       string       `json:"live,omitempty"`
	Page       string       `json:"page"`
	Fields     []embedField `json:"fields"`
	Submit     string       `json:"submit"`
}

// embedField is one control of the embedded form.
type embedField struct {
	Name         string   `json:"name"`
	Label        string   `json:"label"`
	Type         string   `json:"type"` // text, email, tel, number, date, textarea, checkbox, radio
	Required     bool     `json:"required,omitempty"`
	Choices      []choice `json:"choices,omitempty"`
	Autocomplete string   `json:"autocomplete,omitempty"`
	Value        string   `json:"value,omitempty"` // a radio group's default
}

type choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// actionFields are an action's controls, in the order the page shows them.
func actionFields(a *actions.Action) []embedField {
	fs := []embedField{
		{Name: "given_name", Label: "First name", Type: "text", Required: true, Autocomplete: "given-name"},
		{Name: "family_name", Label: "Last name", Type: "text", Autocomplete: "family-name"},
		{Name: "email", Label: "Email address", Type: "email", Required: true, Autocomplete: "email"},
		{Name: "postcode", Label: "Postcode", Type: "text", Autocomplete: "postal-code"},
	}
	if a.Kind == actions.KindForm {
		fs = append(fs, embedField{Name: "phone", Label: "Phone (optional)", Type: "tel", Autocomplete: "tel"})
	}
	for _, q := range a.Questions {
		f := embedField{Name: "a_" + q.Key, Label: q.Label, Required: q.Required}
		switch q.Kind {
		case actions.QNumber:
			f.Type = "number"
		case actions.QDate:
			f.Type = "date"
		case actions.QCheckbox:
			f.Type = "checkbox"
		case actions.QChoice:
			f.Type = "radio"
			for _, c := range q.Choices {
				f.Choices = append(f.Choices, choice{c, c})
			}
		default:
			f.Type = "text"
		}
		fs = append(fs, f)
	}
	if a.Comments {
		fs = append(fs, embedField{Name: "comment", Label: "Your comment (optional, shown on the petition's page)", Type: "textarea"})
	}
	if a.ConsentWording != "" {
		fs = append(fs, embedField{Name: "email_opt_in", Label: a.ConsentWording, Type: "checkbox"})
	}
	return fs
}

func (h *Handler) actionConfig(a *actions.Action) embedConfig {
	c := embedConfig{Attr: "data-momentum-act", Key: a.Slug, Title: a.Title, Target: a.Target,
		Intro: string(web.Markdown(a.Text)), Count: a.Count, Goal: a.Goal, CountLabel: "signatures",
		Open: a.Status == actions.StatusOpen, Closed: "This petition is closed.",
		Post: h.base + "/embed/act/" + a.Slug, Token: h.base + "/embed/act/" + a.Slug + "/token",
		Live: h.base + "/act/" + a.Slug + "/live", Page: h.publicURL(a), Fields: actionFields(a),
		Submit: "Sign the petition"}
	if a.Kind == actions.KindForm {
		c.CountLabel, c.Closed, c.Submit = "responses", "This form is closed.", "Send"
	}
	return c
}

// handleEmbedAct serves the script (GET /embed/act/{slug}.js) and the
// iframe page (GET /embed/act/{slug}).
func (h *Handler) handleEmbedAct(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if s, ok := strings.CutSuffix(slug, ".js"); ok {
		a, err := h.svc.Public(r.Context(), s)
		if err != nil {
			writeScriptError(w, r, err)
			return
		}
		writeScript(w, h.actionConfig(a))
		return
	}
	a, err := h.svc.Public(r.Context(), slug)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.embedPage(w, r, http.StatusOK, a, nil, "")
}

// writeScript answers the embed script: embed.js called with c. It may be
// cached a few minutes (the count is fetched fresh with the token).
func writeScript(w http.ResponseWriter, c embedConfig) {
	b, err := json.Marshal(c) // escapes <, > and &, so it cannot end a script
	if err != nil {
		http.Error(w, "", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/javascript; charset=utf-8")
	hd.Set("Cache-Control", "public, max-age=300")
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	io.WriteString(w, embedScript)
	fmt.Fprintf(w, "(%s);\n", b)
}

// writeScriptError answers a script request for something that is not
// there with a script that does nothing, so the host page shows no error.
func writeScriptError(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(web.HTTPStatus(errs.CodeOf(err)))
	io.WriteString(w, "/* Momentum: "+strings.ReplaceAll(errs.MessageOf(err), "*/", "")+" */\n")
}

// frameable lets other sites show this response in an iframe: the site's
// policy forbids framing everywhere else.
func frameable(w http.ResponseWriter) {
	hd := w.Header()
	hd.Del("X-Frame-Options")
	hd.Set("Content-Security-Policy", strings.Replace(web.ContentSecurityPolicy, "frame-ancestors 'none'", "frame-ancestors *", 1))
}

// embedPageData is the iframe page.
type embedPageData struct {
	publicData
	Post       string
	Fields     []embedField
	Submit     string
	EmbeddedOn string
	Event      *eventSummary // an event's RSVP embed; nil for an action
	Thanks     template.HTML // set after a response: the form is replaced by it
}

func (h *Handler) embedPage(w http.ResponseWriter, r *http.Request, status int, a *actions.Action, form *web.Form, thanks template.HTML) {
	c := h.actionConfig(a)
	d := embedPageData{publicData: h.pageData(a), Post: "/embed/act/" + a.Slug, Fields: c.Fields, Submit: c.Submit,
		EmbeddedOn: embeddedOn(r), Thanks: thanks}
	d.Token = h.tokens.issue("act:" + a.Slug)
	h.renderEmbed(w, r, status, a.Title, d, form)
}

func (h *Handler) renderEmbed(w http.ResponseWriter, r *http.Request, status int, title string, d embedPageData, form *web.Form) {
	if form == nil {
		form = web.NewForm(nil)
	}
	frameable(w)
	h.rend.Page(w, r, status, "actions/embed", web.Page{Title: title, Data: d, Form: form})
}

// embeddedOn is the host of the page that shows the iframe: its Referer
// on the first load, the form's own field after that.
func embeddedOn(r *http.Request) string {
	if r.Method == http.MethodPost {
		if s := r.PostForm.Get("embedded_on"); validHost(s) {
			return s
		}
		return ""
	}
	if u, err := url.Parse(r.Referer()); err == nil && validHost(u.Host) {
		return u.Host
	}
	return ""
}

// source names where an embedded response came from: "embed: <host of the
// page>", from the Origin of a script's request, or for the iframe's own
// post the host its page was embedded on.
func (h *Handler) source(r *http.Request) string {
	host := originHost(r)
	if host == "" || h.sameSite(r) {
		host = embeddedOn(r)
	}
	if host == "" {
		return "embed"
	}
	return "embed: " + host
}

// cors answers a cross-origin caller: any site may embed, and no
// credentials are ever allowed (so the browser sends no cookie and shows
// the caller nothing a cookie would unlock).
func cors(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Add("Vary", "Origin")
	if o := r.Header.Get("Origin"); o != "" {
		hd.Set("Access-Control-Allow-Origin", o)
		hd.Set("Access-Control-Allow-Methods", "POST")
		hd.Set("Access-Control-Allow-Headers", "Content-Type")
		hd.Set("Access-Control-Max-Age", "600")
	}
}

// handlePreflight answers the CORS preflight of an embed's POST.
func (h *Handler) handlePreflight(w http.ResponseWriter, r *http.Request) {
	cors(w, r)
	w.Header().Set("Allow", "GET, POST, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// tokenAnswer is the fresh form token (and count) an embed fetches.
type tokenAnswer struct {
	Token string `json:"token"`
	Count int    `json:"count"`
	Open  bool   `json:"open"`
}

func (h *Handler) handleEmbedActToken(w http.ResponseWriter, r *http.Request) {
	cors(w, r)
	w.Header().Set("Cache-Control", "no-store")
	a, err := h.svc.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		web.JSONError(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, tokenAnswer{Token: h.tokens.issue("act:" + a.Slug), Count: a.Count, Open: a.Status == actions.StatusOpen})
}

// wantsJSON: the script asks for JSON; the iframe's plain form post gets a
// page.
func wantsJSON(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.Contains(r.Header.Get("Accept"), "application/json") || ct == "application/json"
}

// parseEmbedForm reads the posted fields: an urlencoded form, or a JSON
// object of strings (and booleans, for the boxes).
func parseEmbedForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		if err := r.ParseForm(); err != nil {
			return errs.Fields(map[string]string{"body": "The form could not be read: send it again."})
		}
		return nil
	}
	var m map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m); err != nil {
		return errs.Fields(map[string]string{"body": "The body is not a JSON object of fields."})
	}
	r.PostForm = url.Values{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			r.PostForm.Set(k, v)
		case bool:
			if v {
				r.PostForm.Set(k, "true")
			}
		case float64:
			r.PostForm.Set(k, fmt.Sprint(v))
		}
	}
	r.Form = r.PostForm
	return nil
}

// embedAnswer is the JSON answer to an embed's successful POST.
type embedAnswer struct {
	OK         bool   `json:"ok"`
	Pending    bool   `json:"pending"`
	Duplicate  bool   `json:"duplicate"`
	Message    string `json:"message"`
	ThanksHTML string `json:"thanks_html"` // sanitised
	Count      int    `json:"count"`
}

// embedError is the JSON answer to a refused one: the API's error body,
// with fields named as the form names them.
type embedError struct {
	Error struct {
		Code    errs.Code         `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

func writeEmbedError(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	if code == "" || web.HTTPStatus(code) >= 500 {
		web.JSONError(w, r, err) // logs it, and shows nothing of it
		return
	}
	var e embedError
	e.Error.Code, e.Error.Message = code, errs.MessageOf(err)
	if f := errs.FieldsOf(err); len(f) > 0 {
		e.Error.Fields = formNames(f)
	}
	status := web.HTTPStatus(code)
	if code == errs.Invalid {
		status = http.StatusUnprocessableEntity
	}
	web.JSON(w, status, e)
}

func (h *Handler) handleEmbedActPost(w http.ResponseWriter, r *http.Request) {
	cors(w, r)
	asJSON := wantsJSON(r)
	a, err := h.svc.Public(r.Context(), r.PathValue("slug"))
	if err == nil {
		err = parseEmbedForm(r)
	}
	if err != nil {
		if asJSON {
			writeEmbedError(w, r, err)
		} else {
			h.rend.Error(w, r, err)
		}
		return
	}
	resp, err := h.respondFrom(r, a, h.source(r))
	var res *actions.Result
	if err == nil {
		res, err = h.svc.Respond(r.Context(), a.ID, resp)
	}
	if err != nil {
		switch {
		case asJSON:
			writeEmbedError(w, r, err)
		case errs.CodeOf(err) == errs.Invalid:
			form := web.FormWithError(r.PostForm, err)
			form.Errors = formNames(form.Errors)
			h.embedPage(w, r, http.StatusUnprocessableEntity, a, form, "")
		default:
			h.rend.Error(w, r, err)
		}
		return
	}
	ans := h.thanks(a, res)
	if fresh, err := h.svc.Public(r.Context(), a.ID); err == nil {
		a, ans.Count = fresh, fresh.Count
	}
	if asJSON {
		web.JSON(w, http.StatusOK, ans)
		return
	}
	h.embedPage(w, r, http.StatusOK, a, nil, template.HTML(ans.ThanksHTML))
}

// thanks is what a responder sees after responding.
func (h *Handler) thanks(a *actions.Action, res *actions.Result) embedAnswer {
	ans := embedAnswer{OK: true, Pending: res.Pending, Duplicate: res.Duplicate, Count: a.Count}
	switch {
	case res.Pending:
		ans.Message = "Thank you. Please check your email: we have sent you a link to confirm."
	case res.Duplicate:
		ans.Message = "Thank you: you had already responded, and that still counts."
	case a.Kind == actions.KindForm:
		ans.Message = "Thank you: your answers are in."
	default:
		ans.Message = "Thank you for signing!"
	}
	if a.ThanksPage != "" && !res.Pending {
		ans.ThanksHTML = string(web.Markdown(a.ThanksPage))
	} else {
		ans.ThanksHTML = "<p>" + template.HTMLEscapeString(ans.Message) + "</p>"
	}
	return ans
}
