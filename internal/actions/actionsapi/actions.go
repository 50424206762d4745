package actionsapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// ActionInput is a petition or form as a client sends it (Action
// Network's fields, and Momentum's under momentum:). A field left out
// keeps its stored value on PUT.
type ActionInput struct {
	Title          *string     `json:"title"`
	Description    *string     `json:"description"`
	PetitionText   *string     `json:"petition_text"` // a petition's text; description when not sent
	Target         *[]Target   `json:"target"`
	Slug           *string     `json:"momentum:slug"`
	Goal           *int        `json:"momentum:goal"`
	Comments       *bool       `json:"momentum:comments"`
	ConsentWording *string     `json:"momentum:consent_wording"`
	Tags           *[]string   `json:"momentum:tags"`
	Questions      *[]Question `json:"momentum:questions"`
	// Status is draft, open or closed; a new action is open (Action
	// Network's are live when created) unless it says draft.
	Status *string `json:"momentum:status"`
}

// input lays the request over base (nil to create) as the service's
// input, and returns the status asked for ("" for none).
func (ai *ActionInput) input(k kindInfo, base *actions.Action, groupID string) (actions.Input, string, error) {
	in := actions.Input{Kind: k.kind, GroupID: groupID}
	if base != nil {
		in = actions.Input{Kind: base.Kind, GroupID: base.GroupID, Slug: base.Slug, Title: base.Title, Target: base.Target,
			Text: base.Text, Goal: base.Goal, Comments: base.Comments, Questions: base.Questions,
			ConsentWording: base.ConsentWording, Tags: base.Tags, ThanksSubject: base.ThanksSubject,
			ThanksText: base.ThanksText, ThanksPage: base.ThanksPage}
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Title, ai.Title)
	set(&in.Text, ai.Description)
	if k.kind == actions.KindPetition {
		set(&in.Text, ai.PetitionText)
	}
	set(&in.Slug, ai.Slug)
	set(&in.ConsentWording, ai.ConsentWording)
	bad := map[string]string{}
	if ai.Target != nil {
		if k.kind != actions.KindPetition {
			bad["target"] = "A form has no target."
		}
		var names []string
		for _, t := range *ai.Target {
			if n := strings.TrimSpace(t.Name); n != "" {
				names = append(names, n)
			}
		}
		in.Target = strings.Join(names, ", ")
	}
	if ai.Goal != nil {
		in.Goal = *ai.Goal
	}
	if ai.Comments != nil {
		in.Comments = *ai.Comments
	}
	if ai.Tags != nil {
		in.Tags = *ai.Tags
	}
	if ai.Questions != nil {
		in.Questions = nil
		for _, q := range *ai.Questions {
			in.Questions = append(in.Questions, actions.Question{Key: q.Key, Label: q.Label, Kind: q.Kind,
				Choices: q.Choices, Required: q.Required, Field: q.Field})
		}
	}
	status := ""
	if ai.Status != nil {
		status = strings.TrimSpace(*ai.Status)
		if !slices.Contains([]string{actions.StatusDraft, actions.StatusOpen, actions.StatusClosed}, status) {
			bad["momentum:status"] = "Say draft, open or closed."
		}
	}
	return in, status, errs.Fields(bad)
}

// actionFields maps the service's field names to the JSON fields.
var actionFields = map[string]string{
	"text":            "description",
	"slug":            "momentum:slug",
	"goal":            "momentum:goal",
	"consent_wording": "momentum:consent_wording",
	"tags":            "momentum:tags",
	"group":           "group_id",
}

// renameFields names a service error's fields as the client sent them.
func renameFields(err error, m map[string]string, prefixes map[string]string) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	out := map[string]string{}
	for k, v := range f {
		name := k
		if n, ok := m[k]; ok {
			name = n
		} else {
			for from, to := range prefixes {
				if rest, ok := strings.CutPrefix(k, from); ok {
					name = to + rest
				}
			}
		}
		out[name] = v
	}
	return errs.Fields(out)
}

// list serves GET /api/v1/petitions and /forms: newest first.
func (h *Handler) list(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := noFilter(q); err != nil {
			fail(w, r, err)
			return
		}
		p := hal.PageFrom(q)
		as, total, err := h.svc.APIList(r.Context(), k.kind, p.Offset(), p.Size)
		if err != nil {
			fail(w, r, err)
			return
		}
		items := make([]any, 0, len(as))
		for i := range as {
			items = append(items, h.action(k, &as[i]))
		}
		hal.Write(w, http.StatusOK, h.collection(r, k.many, p, total, items))
	}
}

// get serves GET /api/v1/petitions/{id} and /forms/{id}.
func (h *Handler) get(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := h.load(r, k)
		if err != nil {
			fail(w, r, err)
			return
		}
		hal.Write(w, http.StatusOK, h.action(k, a))
	}
}

// load reads the action of the URL, of kind k, that the caller manages.
func (h *Handler) load(r *http.Request, k kindInfo) (*actions.Action, error) {
	a, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if a.Kind != k.kind {
		return nil, errs.E(errs.NotFound, "There is no such %s.", strings.TrimSuffix(k.collection, "s"))
	}
	return a, nil
}

// create serves POST /api/v1/petitions and /forms: group_id= (a group
// token's own group when none is given) or the network's. 200 with the
// action (Location names it), open unless momentum:status says draft.
func (h *Handler) create(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var ai ActionInput
		if err := hal.DecodeJSON(w, r, &ai); err != nil {
			fail(w, r, err)
			return
		}
		groupID := r.URL.Query().Get("group_id")
		if p := auth.PrincipalFrom(ctx); groupID == "" && p.TokenGroupID != "" {
			groupID = p.TokenGroupID
		}
		in, status, err := ai.input(k, nil, groupID)
		if err != nil {
			fail(w, r, err)
			return
		}
		if ai.ConsentWording == nil {
			// The token's consent wording is what its forms say (issue 14).
			in.ConsentWording = auth.PrincipalFrom(ctx).ConsentWording
		}
		a, err := h.svc.Create(ctx, in)
		if err != nil {
			fail(w, r, renameFields(err, actionFields, map[string]string{"questions.": "momentum:questions."}))
			return
		}
		if status == "" {
			status = actions.StatusOpen
		}
		if status != a.Status {
			if err := h.svc.SetStatus(ctx, a.ID, status); err != nil {
				fail(w, r, err)
				return
			}
		}
		// 200, as Action Network answers a create; Location names it.
		w.Header().Set("Location", h.base+"/"+k.collection+"/"+a.ID)
		h.write(w, r, k, a.ID, http.StatusOK)
	}
}

// update serves PUT /api/v1/petitions/{id} and /forms/{id}: the fields
// sent replace the stored ones; momentum:status opens, closes or reopens.
func (h *Handler) update(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var ai ActionInput
		if err := hal.DecodeJSON(w, r, &ai); err != nil {
			fail(w, r, err)
			return
		}
		base, err := h.load(r, k)
		if err != nil {
			fail(w, r, err)
			return
		}
		in, status, err := ai.input(k, base, base.GroupID)
		if err != nil {
			fail(w, r, err)
			return
		}
		if _, err := h.svc.Update(ctx, base.ID, in); err != nil {
			fail(w, r, renameFields(err, actionFields, map[string]string{"questions.": "momentum:questions."}))
			return
		}
		if status != "" && status != base.Status {
			if err := h.svc.SetStatus(ctx, base.ID, status); err != nil {
				fail(w, r, err)
				return
			}
		}
		h.write(w, r, k, base.ID, http.StatusOK)
	}
}

// write reads the action back and writes it.
func (h *Handler) write(w http.ResponseWriter, r *http.Request, k kindInfo, id string, status int) {
	a, err := h.svc.Get(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, status, h.action(k, a))
}

// fail writes an error as the API's error body.
var fail = hal.Fail
