package peopleapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// SignupInput is the body of Action Network's person signup helper
// (POST /people).
type SignupInput struct {
	Person     PersonInput `json:"person"`
	AddTags    []string    `json:"add_tags"`
	RemoveTags []string    `json:"remove_tags"`
	// Consent is Momentum's addition: the words of the consent the person
	// gave, when they are not the token's (auth.APIToken.ConsentWording).
	Consent *SignupConsent `json:"consent"`
}

// SignupConsent is the wording of the consent a person gave, kept word for
// word with the consent record.
type SignupConsent struct {
	Wording string `json:"wording"`
}

// personKeys are the person fields a bare-person body (the API before issue
// 14) holds at its top level.
var personKeys = []string{"given_name", "family_name", "email_addresses", "phone_numbers", "postal_addresses",
	"languages_spoken", "custom_fields"}

// handleSignup serves POST /api/v1/people and its alias POST
// /api/v1/people/person_signup_helper, Action Network's signup helper: it
// matches a person by email, then phone, and updates them with what was
// sent, or creates them; applies add_tags and remove_tags; and records
// consent per channel from the statuses sent. It is one transaction
// (people.Signup): a 4xx has changed nothing. The answer is the whole
// person, 200 whether created or matched, as Action Network answers; a
// created person's address is in Location.
//
// A body without "person" is read as a bare person (the API before issue
// 14), unless it also holds the helper's fields.
func (h *Handler) handleSignup(w http.ResponseWriter, r *http.Request) {
	in, prefix, err := decodeSignup(w, r)
	if err != nil {
		fail(w, r, err)
		return
	}
	p, created, err := h.signup(r.Context(), in, prefix, r.URL.Query().Get("group_id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	if created {
		w.Header().Set("Location", h.base+"/people/"+p.ID)
	}
	hal.Write(w, http.StatusOK, h.personJSON(p))
}

// decodeSignup reads a signup body, or a bare person; prefix is where the
// person's fields are ("person." or "").
func decodeSignup(w http.ResponseWriter, r *http.Request) (*SignupInput, string, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, hal.MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, "", errs.Fields(map[string]string{"body": "The body is larger than 1 MB."})
	} else if err != nil {
		return nil, "", errs.Fields(map[string]string{"body": "The body could not be read."})
	}
	decode := func(v any) error {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(raw))
		return decodeJSON(w, r2, v)
	}
	var keys map[string]json.RawMessage
	if err := decode(&keys); err != nil {
		return nil, "", err
	}
	_, wrapped := keys["person"]
	var top []string
	for _, k := range personKeys {
		if _, ok := keys[k]; ok {
			top = append(top, k)
		}
	}
	in := &SignupInput{}
	switch {
	case wrapped && len(top) > 0:
		return nil, "", errs.Fields(map[string]string{top[0]: "Put the person's fields inside \"person\", not beside it."})
	case wrapped:
		return in, "person.", decode(in)
	}
	for _, k := range []string{"add_tags", "remove_tags", "consent"} {
		if _, ok := keys[k]; ok {
			return nil, "", errs.Fields(map[string]string{"person": "Send the person as \"person\" beside " + k + "."})
		}
	}
	return in, "", decode(&in.Person)
}

// signup runs the helper through people.Signup.
func (h *Handler) signup(ctx context.Context, in *SignupInput, prefix, groupID string) (*people.Person, bool, error) {
	pin, err := in.Person.input(nil, prefix)
	if err != nil {
		return nil, false, err
	}
	as, err := statuses(&in.Person, prefix)
	if err != nil {
		return nil, false, err
	}
	wording := tokenWording(ctx)
	if in.Consent != nil && strings.TrimSpace(in.Consent.Wording) != "" {
		wording = strings.TrimSpace(in.Consent.Wording)
	}
	probe := pin
	if err := probe.Validate(); err != nil {
		return nil, false, renameFields(err, prefix)
	}
	current, known, err := h.current(ctx, probe.Email, probe.Phone)
	if err != nil {
		return nil, false, err
	}
	cs, err := signupConsents(current, known, probe.Email != "", as, wording, source(ctx))
	if err != nil {
		return nil, false, err
	}
	pin.Source, pin.SourceDetail = people.SourceAPI, tokenName(ctx)
	pin.GroupID = groupID
	if p := auth.PrincipalFrom(ctx); p != nil && pin.GroupID == "" {
		pin.GroupID = p.TokenGroupID
	}
	res, err := h.svc.Signup(ctx, people.Signup{Person: pin, AddTags: in.AddTags, RemoveTags: in.RemoveTags,
		Consents: cs, DefineFields: h.svc.CanDefineFields(ctx), Overwrite: true})
	if err != nil {
		return nil, false, renameSignup(err, prefix)
	}
	p, err := h.svc.Get(ctx, res.PersonID)
	return p, res.Created, err
}

// current finds the person a signup will match, to know their consent;
// known is false when the viewer may not look people up (a group token):
// then what is stored is unknown.
func (h *Handler) current(ctx context.Context, email, phone string) (p *people.Person, known bool, err error) {
	id, err := h.svc.Match(ctx, email, phone)
	switch {
	case errs.Is(err, errs.NotFound):
		return nil, true, nil
	case errs.Is(err, errs.Forbidden):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	p, err = h.svc.Get(ctx, id)
	if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		return nil, false, nil
	}
	return p, err == nil, err
}

// renameSignup names a signup's field errors as the client sent them: the
// person's under prefix, the helper's own (add_tags, remove_tags,
// consent) as they are.
func renameSignup(err error, prefix string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	person, own := map[string]string{}, map[string]string{}
	for f, msg := range e.Fields {
		if f == "add_tags" || f == "remove_tags" || strings.HasPrefix(f, "consent.") {
			own[f] = msg
		} else {
			person[f] = msg
		}
	}
	out := &errs.Error{Code: e.Code, Message: e.Message, Err: e.Err, Fields: own}
	if len(person) > 0 {
		var r *errs.Error
		if errors.As(renameFields(&errs.Error{Code: e.Code, Fields: person}, prefix), &r) {
			for f, msg := range r.Fields {
				out.Fields[f] = msg
			}
		}
	}
	return out
}
