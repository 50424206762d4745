package peopleweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// timelinePage is how many timeline entries a record page shows at a time.
const timelinePage = 20

// recordPage is a person's record as the viewer may see it. A section the
// service refuses to this viewer (consent history and donations for
// organisers) is left out: its Shown flag is false.
type recordPage struct {
	Person *people.Person
	Fields []people.FieldDef
	// Manage: the viewer sees the timeline, so manages this person
	// (organisers and admins); it only decides which forms are drawn.
	Manage         bool
	Notes          []people.Note
	NotesShown     bool
	History        []people.ConsentChange
	HistoryShown   bool
	Donations      []people.Donation
	DonationsShown bool
	Timeline       []people.Action
	TimelineNext   string
	Groups         []groupChoice // for the note form
	// Admin: the viewer is an admin, so the page offers admins-only
	// notes, the membership form and the donation form.
	Admin    bool
	Channels []string
	Statuses []string
	// Failed names the form whose input is shown again with its errors.
	Failed string
	form   *web.Form
}

// FormFor returns the redrawn form for the named section, or nil, so one
// form's errors never show beside another form's fields of the same name.
func (p *recordPage) FormFor(name string) *web.Form {
	if p.Failed == name {
		return p.form
	}
	return nil
}

// GroupName names a note's group among the viewer's groups.
func (p *recordPage) GroupName(id string) string { return groupName(p.Groups, id) }

// record gathers a person's page. before pages the timeline.
func (h *Handler) record(ctx context.Context, id, before string) (*recordPage, error) {
	p, err := h.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	rp := &recordPage{Person: p, Channels: people.Channels,
		Statuses: []string{people.StatusSupporter, people.StatusMember, people.StatusLapsed}}
	if rp.Fields, err = h.svc.Fields(ctx); err != nil {
		return nil, err
	}
	var off bool
	rp.Timeline, err = h.svc.Timeline(ctx, id, before, timelinePage)
	if off, err = hidden(err); err != nil {
		return nil, err
	}
	rp.Manage = !off
	if len(rp.Timeline) == timelinePage {
		rp.TimelineNext = rp.Timeline[len(rp.Timeline)-1].ID
	}
	if !rp.Manage {
		return rp, nil // a member seeing a name: nothing more to show
	}
	rp.Notes, err = h.svc.Notes(ctx, id)
	if off, err = hidden(err); err != nil {
		return nil, err
	}
	rp.NotesShown = !off
	rp.History, err = h.svc.ConsentHistory(ctx, id)
	if off, err = hidden(err); err != nil {
		return nil, err
	}
	rp.HistoryShown = !off
	rp.Donations, err = h.svc.Donations(ctx, id)
	if off, err = hidden(err); err != nil {
		return nil, err
	}
	rp.DonationsShown = !off
	rp.Admin = viewerIsAdmin(ctx)
	if rp.Groups, err = h.groupChoices(ctx); err != nil {
		return nil, err
	}
	return rp, nil
}

func (h *Handler) handleShow(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, http.StatusOK, "", nil)
}

// show renders a person's record; failed and form redraw one of its forms
// after a refused POST.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, failed string, form *web.Form) {
	rp, err := h.record(r.Context(), r.PathValue("id"), r.URL.Query().Get("before"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	rp.Failed, rp.form = failed, form
	title := rp.Person.Name()
	if title == "" {
		title = "Person"
	}
	h.rend.Page(w, r, status, "people/show", web.Page{Title: title, Data: rp})
}

// personURL is the address of a person's record.
func personURL(id string) string { return "/people/" + url.PathEscape(id) }

// done finishes a POST on a person's record: back to the record with a
// flash, the record again with the section's form and its errors, or the
// error page.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, section string, err error, flash string) {
	switch {
	case err == nil:
		web.Redirect(w, r, personURL(r.PathValue("id"))+"#"+section, flash)
	case isInput(err):
		h.show(w, r, http.StatusUnprocessableEntity, section, web.FormWithError(r.PostForm, err))
	default:
		h.rend.Error(w, r, err)
	}
}

// UntagURL is the address of the form that takes tag off the person.
func (p *recordPage) UntagURL(tag string) string {
	return personURL(p.Person.ID) + "/tags/" + url.PathEscape(tag) + "/delete"
}

// Amount writes a donation for people: "£12.50", "EUR 3.00".
func (p *recordPage) Amount(d people.Donation) string {
	sym := map[string]string{"GBP": "£", "EUR": "€", "USD": "$"}[d.Currency]
	if sym == "" {
		sym = d.Currency + " "
	}
	return fmt.Sprintf("%s%d.%02d", sym, d.AmountPence/100, d.AmountPence%100)
}

// AddressText writes the address the viewer may see on one line: the
// postal address when shown, else the postcode district.
func (p *recordPage) AddressText() string {
	a := p.Person.Address
	var parts []string
	for _, s := range []string{a.Line1, a.Line2, a.Locality, a.Region, a.Postcode} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return a.District
	}
	if a.Country != "" && a.Country != "GB" {
		parts = append(parts, a.Country)
	}
	return strings.Join(parts, ", ")
}
