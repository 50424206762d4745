package peopleweb

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// pageSize is how many rows the admin pages show at a time.
const pageSize = 50

// duplicatesPage is pairs of likely duplicates for review.
type duplicatesPage struct {
	Pairs []dupPair
	Next  string
	After string // this page's cursor: where "not the same person" returns to
}

// dupPair is two records side by side: each side's button keeps that
// record and merges the other into it.
type dupPair struct {
	Reasons []string
	Sides   [2]dupSide
	A, B    string // the two ids, for "not the same person"
	Names   string // "Sam Smith and Samuel Smith", for screen readers
}

type dupSide struct {
	Person people.Person
	Other  string // the id of the record merged into this one
}

// reasonText says why two records look alike.
var reasonText = map[string]string{
	"email":         "the same email address",
	"phone":         "the same phone number",
	"name_postcode": "the same name at the same postcode",
}

func (h *Handler) handleDuplicates(w http.ResponseWriter, r *http.Request) {
	pairs, err := h.svc.Duplicates(r.Context(), r.URL.Query().Get("after"), pageSize)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := duplicatesPage{After: r.URL.Query().Get("after")}
	for _, dp := range pairs {
		pair := dupPair{Sides: [2]dupSide{{dp.A, dp.B.ID}, {dp.B, dp.A.ID}}, A: dp.A.ID, B: dp.B.ID,
			Names: dp.A.Name() + " and " + dp.B.Name()}
		for _, r := range dp.Reasons {
			pair.Reasons = append(pair.Reasons, cmp.Or(reasonText[r], r))
		}
		p.Pairs = append(p.Pairs, pair)
	}
	if len(pairs) == pageSize {
		p.Next = pairs[len(pairs)-1].Key
	}
	h.rend.Page(w, r, http.StatusOK, "people/duplicates", web.Page{Title: "Likely duplicates", Data: p})
}

func (h *Handler) handleMerge(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	keep := r.PostForm.Get("keep")
	if err := h.svc.Merge(r.Context(), keep, r.PostForm.Get("merge")); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, personURL(keep), "The two records are merged into this one.")
}

func (h *Handler) handleDistinct(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	if err := h.svc.MarkDistinct(r.Context(), r.PostForm.Get("a"), r.PostForm.Get("b")); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	next := "/people/duplicates"
	if after := r.PostForm.Get("after"); after != "" {
		next += "?after=" + url.QueryEscape(after)
	}
	web.Redirect(w, r, next, "Marked as two different people: the pair is no longer listed.")
}

// fieldsPage is the custom field definitions and the form to add one.
type fieldsPage struct {
	Fields []people.FieldDef
	Kinds  []string
}

func (h *Handler) handleFields(w http.ResponseWriter, r *http.Request) {
	h.fields(w, r, http.StatusOK, web.NewForm(url.Values{"kind": {people.KindText}}))
}

func (h *Handler) fields(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	defs, err := h.svc.ManageFields(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "people/fields", web.Page{Title: "Custom fields", Form: form,
		Data: fieldsPage{Fields: defs, Kinds: []string{people.KindText, people.KindNumber, people.KindDate, people.KindChoice}}})
}

func (h *Handler) handleFieldDefine(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	f := r.PostForm
	def := people.FieldDef{Key: f.Get("key"), Label: f.Get("label"), Kind: f.Get("kind"),
		Choices: strings.FieldsFunc(f.Get("choices"), func(r rune) bool { return r == '\n' || r == ',' })}
	if err := h.svc.DefineField(r.Context(), def); err != nil {
		if isInput(err) || errs.Is(err, errs.Conflict) {
			h.fields(w, r, http.StatusUnprocessableEntity, web.FormWithError(f, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/fields", "The field "+strings.TrimSpace(def.Label)+" is saved.")
}

// retentionPage lists supporters a retention rule flags for review.
type retentionPage struct {
	Years  int
	People []people.Person
	Next   string
}

// defaultRetentionYears is the rule the page starts with.
const defaultRetentionYears = 3

func (h *Handler) handleRetention(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := retentionPage{Years: defaultRetentionYears}
	form := web.NewForm(url.Values{"years": {strconv.Itoa(p.Years)}})
	var err error
	if y := strings.TrimSpace(q.Get("years")); y != "" {
		form.Values.Set("years", y)
		if p.Years, err = strconv.Atoi(y); err != nil {
			p.Years = -1 // the service names what is wrong with it
		}
	}
	p.People, err = h.svc.RetentionCandidates(r.Context(), p.Years, q.Get("after"), pageSize)
	if err != nil {
		if isInput(err) {
			h.rend.Page(w, r, http.StatusUnprocessableEntity, "people/retention",
				web.Page{Title: "Retention review", Data: p, Form: web.FormWithError(form.Values, err)})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	if len(p.People) == pageSize {
		p.Next = p.People[len(p.People)-1].ID
	}
	h.rend.Page(w, r, http.StatusOK, "people/retention", web.Page{Title: "Retention review", Data: p, Form: form})
}
