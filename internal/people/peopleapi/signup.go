package peopleapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// SignupInput is the body of OSDI's person signup helper.
type SignupInput struct {
	Person     PersonInput `json:"person"`
	AddTags    []string    `json:"add_tags"`
	RemoveTags []string    `json:"remove_tags"`
	// Consent carries what the person agreed to; it is required when an
	// email address or phone number is sent with status "subscribed".
	Consent *SignupConsent `json:"consent"`
}

// SignupConsent is Momentum's addition to the signup helper: the words of
// the consent the person gave, kept word for word with the consent record.
type SignupConsent struct {
	Wording string `json:"wording"`
}

// handleSignup serves POST /api/v1/people/person_signup_helper: it matches
// an existing person by email, then phone, and updates them with what was
// sent (200), or creates them (201); then applies add_tags and remove_tags
// and records consent per channel from the statuses sent ("subscribed"
// grants with consent.wording, "unsubscribed" withdraws), with source
// "api: <token name>". The answer is the whole person.
func (h *Handler) handleSignup(w http.ResponseWriter, r *http.Request) {
	var in SignupInput
	if err := decodeJSON(w, r, &in); err != nil {
		fail(w, r, err)
		return
	}
	p, created, err := h.signup(r.Context(), &in)
	if err != nil {
		fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", h.base+"/people/"+p.ID)
	}
	hal.Write(w, status, h.personJSON(p))
}

// signup runs the helper as a series of service calls, each checked and in
// its own transaction (the people service has no single signup call yet).
// Everything that can be checked before writing is checked first, and each
// step is idempotent, so a client that retries after a failure ends with
// the same person.
func (h *Handler) signup(ctx context.Context, in *SignupInput) (*people.Person, bool, error) {
	const prefix = "person."
	wording := ""
	if in.Consent != nil {
		wording = strings.TrimSpace(in.Consent.Wording)
	}
	as, err := statuses(&in.Person, prefix)
	if err != nil {
		return nil, false, err
	}
	for _, a := range as {
		if a.status == subscribed && wording == "" {
			return nil, false, errs.Fields(map[string]string{"consent.wording": "Give the wording the person agreed to when they subscribed."})
		}
	}
	probe, err := in.Person.input(nil, prefix)
	if err != nil {
		return nil, false, err
	}
	if err := probe.Validate(); err != nil {
		return nil, false, renameFields(err, prefix)
	}
	p, created, err := h.matchOrCreate(ctx, &in.Person, probe)
	if err != nil {
		return nil, false, renameFields(err, prefix)
	}
	for _, t := range in.AddTags {
		if err := h.svc.Tag(ctx, p.ID, t); err != nil {
			return nil, false, renameTag(err, "add_tags")
		}
	}
	for _, t := range in.RemoveTags {
		if err := h.svc.Untag(ctx, p.ID, t); err != nil {
			return nil, false, renameTag(err, "remove_tags")
		}
	}
	cs, err := consentChanges(p, as, wording, source(ctx))
	if err != nil {
		return nil, false, err
	}
	if err := h.recordConsent(ctx, p.ID, cs); err != nil {
		return nil, false, err
	}
	p, err = h.svc.Get(ctx, p.ID)
	return p, created, err
}

// matchOrCreate finds the person by email, then phone, and updates them,
// or creates them. When another request creates the same person in the
// meantime, the create fails on the address and the person is matched.
func (h *Handler) matchOrCreate(ctx context.Context, pi *PersonInput, probe people.Input) (*people.Person, bool, error) {
	id, err := h.svc.Match(ctx, probe.Email, probe.Phone)
	if err == nil {
		p, err := h.update(ctx, id, pi)
		return p, false, err
	}
	if !errs.Is(err, errs.NotFound) {
		return nil, false, err
	}
	probe.Source, probe.SourceDetail = people.SourceAPI, tokenName(ctx)
	p, err := h.svc.Create(ctx, probe)
	if errs.Is(err, errs.Conflict) && probe.Email != "" {
		if id, err := h.svc.Match(ctx, probe.Email, ""); err == nil {
			p, err := h.update(ctx, id, pi)
			return p, false, err
		}
	}
	return p, err == nil, err
}

// update lays what was sent over the stored person.
func (h *Handler) update(ctx context.Context, id string, pi *PersonInput) (*people.Person, error) {
	base, err := h.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	in, err := pi.input(base, "") // the caller names the fields under person.
	if err != nil {
		return nil, err
	}
	return h.svc.Update(ctx, id, in)
}

// renameTag names the list a bad tag came from.
func renameTag(err error, field string) error {
	if f := errs.FieldsOf(err); f != nil && f["tag"] != "" {
		return errs.Fields(map[string]string{field: f["tag"]})
	}
	return err
}
