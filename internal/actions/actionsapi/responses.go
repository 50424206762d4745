package actionsapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// Person is the part of an Action Network person the signature and
// submission helpers read.
type Person struct {
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	EmailAddresses []struct {
		Address string `json:"address"`
		Primary bool   `json:"primary"`
		Status  string `json:"status"`
	} `json:"email_addresses"`
	PhoneNumbers []struct {
		Number  string `json:"number"`
		Primary bool   `json:"primary"`
	} `json:"phone_numbers"`
	PostalAddresses []struct {
		Primary    bool   `json:"primary"`
		PostalCode string `json:"postal_code"`
		Locality   string `json:"locality"`
		Region     string `json:"region"`
		Country    string `json:"country"`
	} `json:"postal_addresses"`
	CustomFields map[string]any `json:"custom_fields"`
}

// RespondInput is the body of Action Network's record signature and record
// submission helpers.
type RespondInput struct {
	Person   Person   `json:"person"`
	AddTags  []string `json:"add_tags"`
	Comments string   `json:"comments"` // a petition's signature
	// Answers are a form's answers by question key (Momentum's); a
	// question mapped to a custom field is also answered by
	// person.custom_fields.
	Answers      map[string]any `json:"momentum:answers"`
	ReferrerData *struct {
		Source   string `json:"source"`
		Referrer string `json:"referrer"`
	} `json:"action_network:referrer_data"`
}

// respondFields maps Respond's field names to the helper's.
var respondFields = map[string]string{
	"given_name":  "person.given_name",
	"family_name": "person.family_name",
	"email":       "person.email_addresses.address",
	"phone":       "person.phone_numbers.number",
	"postcode":    "person.postal_addresses.postal_code",
	"locality":    "person.postal_addresses.locality",
	"comment":     "comments",
	"consent":     "person.email_addresses.status",
	"tags":        "add_tags",
}

// str writes a JSON value as an answer.
func str(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case nil:
		return "", true
	case bool:
		if v {
			return "yes", true
		}
		return "", true
	case float64:
		return fmt.Sprint(v), true
	}
	return "", false
}

// respond serves POST /api/v1/petitions/{id}/signatures and
// /forms/{id}/submissions, Action Network's record signature and record
// submission helpers: the person is matched by email, else phone, or
// created, tagged with the action's tags and add_tags, and the response
// recorded, in one transaction (actions.Service.Respond). An email
// address with status "subscribed" ticks the action's consent box, so
// consent is recorded with the action's own wording; an action without
// one cannot subscribe anyone (400). 200 with the response, as Action
// Network answers (the earlier one when the person had responded
// already); Location when it is new.
func (h *Handler) respond(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var in RespondInput
		if err := hal.DecodeJSON(w, r, &in); err != nil {
			fail(w, r, err)
			return
		}
		a, err := h.load(r, k)
		if err != nil {
			fail(w, r, err)
			return
		}
		rs := actions.Respond{GivenName: in.Person.GivenName, FamilyName: in.Person.FamilyName, Comment: in.Comments,
			Tags: in.AddTags, Source: source(ctx), Answers: map[string]string{}}
		bad := map[string]string{}
		for i, e := range in.Person.EmailAddresses {
			if e.Primary || i == 0 {
				rs.Email = e.Address
				switch strings.ToLower(strings.TrimSpace(e.Status)) {
				case "", "unsubscribed":
					rs.EmailOptIn = false
				case "subscribed":
					rs.EmailOptIn = true
					if strings.TrimSpace(a.ConsentWording) == "" {
						bad["person.email_addresses.status"] = fmt.Sprintf(`This %s has no consent wording, so it cannot subscribe anyone: set momentum:consent_wording first.`, a.Kind)
					}
				default:
					bad["person.email_addresses.status"] = "Say subscribed or unsubscribed."
				}
			}
			if e.Primary {
				break
			}
		}
		for i, n := range in.Person.PhoneNumbers {
			if n.Primary || i == 0 {
				rs.Phone = n.Number
			}
			if n.Primary {
				break
			}
		}
		for i, p := range in.Person.PostalAddresses {
			if p.Primary || i == 0 {
				rs.Postcode, rs.Locality, rs.Region, rs.Country = p.PostalCode, p.Locality, p.Region, p.Country
			}
			if p.Primary {
				break
			}
		}
		if k.kind == actions.KindForm {
			for _, q := range a.Questions {
				key, ok := strings.CutPrefix(q.Field, "custom.")
				if !ok {
					continue
				}
				if v, ok := in.Person.CustomFields[key]; ok {
					if s, ok := str(v); ok {
						rs.Answers[q.Key] = s
					}
				}
			}
		}
		for key, v := range in.Answers {
			s, ok := str(v)
			if !ok {
				bad["momentum:answers."+key] = "Give a string, a number or true/false."
				continue
			}
			rs.Answers[key] = s
		}
		if in.ReferrerData != nil {
			rs.Referrer = strings.TrimSpace(in.ReferrerData.Referrer)
		}
		if err := errs.Fields(bad); err != nil {
			fail(w, r, err)
			return
		}
		res, err := h.svc.Respond(ctx, a.ID, rs)
		if err != nil {
			fail(w, r, renameFields(err, respondFields, map[string]string{"answers.": "momentum:answers."}))
			return
		}
		// 200 either way, as Action Network answers its helpers; Location
		// says the response is new.
		code := http.StatusOK
		if !res.Duplicate {
			w.Header().Set("Location", h.base+"/"+k.collection+"/"+a.ID+"/"+k.responses+"/"+res.Response.ID)
		}
		// Read back, so the resource is the one GET answers.
		_, resp, err := h.svc.APIResponse(ctx, a.ID, res.Response.ID)
		if err != nil {
			fail(w, r, err)
			return
		}
		hal.Write(w, code, h.responseResource(k, a.ID, resp))
	}
}

// responses serves GET /api/v1/petitions/{id}/signatures and
// /forms/{id}/submissions: newest first, paged by number (fast at any
// depth).
func (h *Handler) responses(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := noFilter(q); err != nil {
			fail(w, r, err)
			return
		}
		a, err := h.load(r, k)
		if err != nil {
			fail(w, r, err)
			return
		}
		p := hal.PageFrom(q)
		rs, total, err := h.svc.APIResponses(r.Context(), a.ID, p.Offset(), p.Size, q.Get("after"))
		if err != nil {
			fail(w, r, renameFields(err, nil, nil))
			return
		}
		items := make([]Response, 0, len(rs))
		next := ""
		for i := range rs {
			items = append(items, h.responseResource(k, a.ID, &rs[i]))
			next = rs[i].ID
		}
		hal.Write(w, http.StatusOK, h.cursorCollection(r, k.resps, p, total, items, next))
	}
}

// response serves GET /api/v1/petitions/{id}/signatures/{rid} and
// /forms/{id}/submissions/{rid}.
func (h *Handler) response(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := h.load(r, k)
		if err != nil {
			fail(w, r, err)
			return
		}
		_, resp, err := h.svc.APIResponse(r.Context(), a.ID, r.PathValue("rid"))
		if err != nil {
			fail(w, r, err)
			return
		}
		hal.Write(w, http.StatusOK, h.responseResource(k, a.ID, resp))
	}
}

// personResponses serves GET /api/v1/people/{id}/signatures and
// /people/{id}/submissions: the person's responses to the actions the
// caller manages, newest first.
func (h *Handler) personResponses(k kindInfo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := noFilter(q); err != nil {
			fail(w, r, err)
			return
		}
		p := hal.PageFrom(q)
		rs, total, err := h.svc.APIPersonResponses(r.Context(), r.PathValue("id"), k.kind, p.Offset(), p.Size)
		if err != nil {
			fail(w, r, err)
			return
		}
		items := make([]Response, 0, len(rs))
		for i := range rs {
			items = append(items, h.responseResource(k, rs[i].ActionID, &rs[i]))
		}
		hal.Write(w, http.StatusOK, h.collection(r, k.resps, p, total, items))
	}
}
