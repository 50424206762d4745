package peopleweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// personForm is what the new and edit pages draw.
type personForm struct {
	Person *people.Person // nil on the new page
	Fields []people.FieldDef
	Groups []groupChoice // new page: the group to add the person to
}

// customPrefix names the form fields of custom fields ("custom.<key>"), as
// the service names their errors.
const customPrefix = "custom."

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	h.newForm(w, r, http.StatusOK, web.NewForm(url.Values{"group": {r.URL.Query().Get("group")}}))
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	ctx := r.Context()
	defs, err := h.svc.Fields(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	choices, err := h.groupChoices(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	ids := make([]string, len(choices))
	for i, c := range choices {
		ids[i] = c.ID
	}
	if err := h.svc.MayCreate(ctx, ids); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "people/new", web.Page{Title: "Add a person",
		Data: personForm{Fields: defs, Groups: choices}, Form: form})
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	in, err := parseInput(r.PostForm)
	var p *people.Person
	if err == nil {
		in.GroupID = strings.TrimSpace(r.PostForm.Get("group"))
		p, err = h.svc.Create(r.Context(), in)
	}
	if err != nil {
		if isInput(err) {
			h.newForm(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, personURL(p.ID), "Person added.")
}

func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	h.editForm(w, r, http.StatusOK, nil)
}

// editForm draws the edit page with the person's current values, or with
// form (the input and its errors) after a refused save.
func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	ctx := r.Context()
	p, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	defs, err := h.svc.Fields(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(personValues(p))
	}
	h.rend.Page(w, r, status, "people/edit", web.Page{Title: "Edit " + p.Name(),
		Data: personForm{Person: p, Fields: defs}, Form: form})
}

func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	in, err := parseInput(r.PostForm)
	if err == nil {
		_, err = h.svc.Update(r.Context(), id, in)
	}
	if err != nil {
		if isInput(err) {
			h.editForm(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, personURL(id), "Saved.")
}

// parseInput reads the person form. Errors: errs.Fields naming location
// when the latitude or longitude is not a number; the service checks the
// rest.
func parseInput(v url.Values) (people.Input, error) {
	show := v.Get("show_name") == "true"
	in := people.Input{
		GivenName: v.Get("given_name"), FamilyName: v.Get("family_name"),
		Email: v.Get("email"), Phone: v.Get("phone"),
		Address: people.Address{Line1: v.Get("address_line1"), Line2: v.Get("address_line2"),
			Locality: v.Get("locality"), Region: v.Get("region"), Postcode: v.Get("postcode"), Country: v.Get("country")},
		Language: v.Get("language"),
		ShowName: &show,
	}
	for k := range v {
		if key, ok := strings.CutPrefix(k, customPrefix); ok {
			if in.CustomFields == nil {
				in.CustomFields = map[string]string{}
			}
			in.CustomFields[key] = v.Get(k)
		}
	}
	lat, lng := strings.TrimSpace(v.Get("latitude")), strings.TrimSpace(v.Get("longitude"))
	if lat != "" || lng != "" {
		a, errA := strconv.ParseFloat(lat, 64)
		b, errB := strconv.ParseFloat(lng, 64)
		if errA != nil || errB != nil {
			return in, errs.Fields(map[string]string{"location": "Give both a latitude and a longitude as numbers, like 51.545 and -0.056."})
		}
		in.Location = &geo.Point{Lat: a, Lng: b}
	}
	return in, nil
}

// personValues fills the edit form from what the viewer sees of p.
func personValues(p *people.Person) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("given_name", p.GivenName)
	set("family_name", p.FamilyName)
	set("email", p.Email)
	set("phone", p.Phone)
	set("address_line1", p.Address.Line1)
	set("address_line2", p.Address.Line2)
	set("locality", p.Address.Locality)
	set("region", p.Address.Region)
	set("postcode", p.Address.Postcode)
	set("country", p.Address.Country)
	set("language", p.Language)
	if p.Location != nil {
		set("latitude", strconv.FormatFloat(p.Location.Lat, 'f', -1, 64))
		set("longitude", strconv.FormatFloat(p.Location.Lng, 'f', -1, 64))
	}
	if p.ShowName {
		v.Set("show_name", "true")
	}
	for k, val := range p.CustomFields {
		set(customPrefix+k, val)
	}
	return v
}
