package groups

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func (h *Handler) handleDecision(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g, ok := h.group(w, r)
		if !ok {
			return
		}
		msg := "Request declined."
		if approve {
			msg = "Request approved: they are now a member."
		}
		h.doneMembers(w, r, g, h.svc.RequestDecision(r.Context(), g.ID, r.PathValue("person"), approve), msg)
	}
}

func (h *Handler) handleInvite(w http.ResponseWriter, r *http.Request) {
	if g, ok := h.group(w, r); ok {
		h.doneMembers(w, r, g, h.svc.InviteByEmail(r.Context(), g.ID, r.PostFormValue("email")),
			"Invitation recorded: it waits on their dashboard.")
	}
}

func (h *Handler) handleRole(w http.ResponseWriter, r *http.Request) {
	if g, ok := h.group(w, r); ok {
		h.doneMembers(w, r, g, h.svc.SetRole(r.Context(), g.ID, r.PathValue("person"), r.PostFormValue("role")), "Role changed.")
	}
}

func (h *Handler) handleArchive(w http.ResponseWriter, r *http.Request) {
	if g, ok := h.group(w, r); ok {
		h.done(w, r, g, h.svc.Archive(r.Context(), g.ID), g.Name+" is archived: kept and findable, but read-only.")
	}
}

func (h *Handler) handleRevive(w http.ResponseWriter, r *http.Request) {
	if g, ok := h.group(w, r); ok {
		h.done(w, r, g, h.svc.Revive(r.Context(), g.ID), g.Name+" is active again.")
	}
}

func (h *Handler) handleMerge(w http.ResponseWriter, r *http.Request) {
	g, ok := h.group(w, r)
	if !ok {
		return
	}
	into := r.PostFormValue("into")
	if into == "" {
		h.done(w, r, g, errs.Fields(map[string]string{"into": "Choose the group to merge into."}), "")
		return
	}
	h.done(w, r, g, h.svc.Merge(r.Context(), g.ID, into), g.Name+" was merged: its members and history moved.")
}

// formPage is the data of the new and edit forms.
type formPage struct {
	Group   *Group // nil on the new form
	Regions []Region
}

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	regions, err := h.svc.CreateForm(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	form := web.NewForm(url.Values{"kind": {KindLocal}, "join_policy": {JoinOpen}})
	h.rend.Page(w, r, http.StatusOK, "groups/new", web.Page{Title: "New group", Data: formPage{Regions: regions}, Form: form})
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	in, err := inputFromForm(r.PostForm)
	var g *Group
	if err == nil {
		g, err = h.svc.Create(r.Context(), in)
	}
	if errs.CodeOf(err) == errs.Invalid {
		regions, rerr := h.svc.CreateForm(r.Context())
		if rerr != nil {
			h.rend.Error(w, r, rerr)
			return
		}
		h.rend.Page(w, r, http.StatusUnprocessableEntity, "groups/new",
			web.Page{Title: "New group", Data: formPage{Regions: regions}, Form: web.FormWithError(r.PostForm, err)})
		return
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/groups/"+g.Slug, g.Name+" has been created. Invite its first organiser.")
}

func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	g, regions, err := h.svc.EditForm(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "groups/edit",
		web.Page{Title: "Edit " + g.Name, Data: formPage{Group: g, Regions: regions}, Form: web.NewForm(formValues(g))})
}

func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request) {
	g, regions, err := h.svc.EditForm(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	in, err := inputFromForm(r.PostForm)
	if err == nil {
		_, err = h.svc.Update(r.Context(), g.ID, in)
	}
	if errs.CodeOf(err) == errs.Invalid {
		h.rend.Page(w, r, http.StatusUnprocessableEntity, "groups/edit",
			web.Page{Title: "Edit " + g.Name, Data: formPage{Group: g, Regions: regions}, Form: web.FormWithError(r.PostForm, err)})
		return
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/groups/"+g.Slug, "Saved.")
}

// inputFromForm reads the group form. Districts are separated by commas or
// new lines (a full postcode has a space in it).
func inputFromForm(f url.Values) (Input, error) {
	in := Input{Name: f.Get("name"), Kind: f.Get("kind"), RegionID: f.Get("region_id"),
		Description: f.Get("description"), JoinPolicy: f.Get("join_policy")}
	in.Districts = strings.FieldsFunc(f.Get("districts"), func(r rune) bool { return r == ',' || r == '\n' || r == ';' })
	bad := map[string]string{}
	num := func(name, msg string) float64 {
		s := strings.TrimSpace(f.Get(name))
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			bad[name] = msg
		}
		return v
	}
	lat := num("centre_lat", "Enter a latitude like 51.545.")
	lng := num("centre_lng", "Enter a longitude like -0.056.")
	in.RadiusKm = num("radius_km", "Enter a distance in km, like 2.5.")
	if strings.TrimSpace(f.Get("centre_lat")+f.Get("centre_lng")) != "" {
		in.Centre = &geo.Point{Lat: lat, Lng: lng}
	}
	return in, errs.Fields(bad)
}

// formValues fills the edit form from a group.
func formValues(g *Group) url.Values {
	v := url.Values{"name": {g.Name}, "kind": {g.Kind}, "region_id": {g.RegionID}, "description": {g.Description},
		"join_policy": {g.JoinPolicy}, "districts": {strings.Join(g.Districts, ", ")}}
	if g.Centre != nil {
		v.Set("centre_lat", strconv.FormatFloat(g.Centre.Lat, 'f', -1, 64))
		v.Set("centre_lng", strconv.FormatFloat(g.Centre.Lng, 'f', -1, 64))
		v.Set("radius_km", strconv.FormatFloat(g.RadiusKm, 'f', -1, 64))
	}
	return v
}

type regionsPage struct{ Regions []Region }

func (h *Handler) handleRegions(w http.ResponseWriter, r *http.Request) {
	h.regions(w, r, http.StatusOK, nil)
}

func (h *Handler) regions(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	regions, err := h.svc.Regions(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "groups/regions", web.Page{Title: "Regions", Data: regionsPage{Regions: regions}, Form: form})
}

func (h *Handler) handleRegionCreate(w http.ResponseWriter, r *http.Request) {
	reg, err := h.svc.CreateRegion(r.Context(), r.PostFormValue("name"))
	if errs.CodeOf(err) == errs.Invalid {
		h.regions(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
		return
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/groups/regions", "Region "+reg.Name+" added.")
}
