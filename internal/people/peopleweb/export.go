package peopleweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
)

// handleExport streams the people matching the list's filter as CSV, in
// the canonical columns the importer reads back. What each row holds is
// the service's projection for the viewer: an organiser's export has only
// the contact details people consented to, and no custom fields.
func (h *Handler) handleExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	choices, err := h.groupChoices(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	f, err := h.parseFilter(ctx, withGroup(ctx, r.URL.Query(), choices))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	f.After = ""
	defs, err := h.svc.Fields(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	keys := make([]string, len(defs))
	for i, d := range defs {
		keys[i] = d.Key
	}
	out := &lazyDownload{w: w, name: "people-" + h.today() + ".csv"}
	cw := peoplecsv.NewWriter(out, keys)
	err = h.svc.Each(ctx, f, func(p *people.Person) error { return cw.Write(toRecord(p)) })
	if err == nil {
		err = cw.Flush()
	}
	if err != nil && !out.started {
		// Nothing has been sent yet (the csv writer buffers), so the
		// person sees the error page rather than half a file.
		h.rend.Error(w, r, err)
	}
	// An error after the first bytes went out can only cut the file short;
	// the client sees a truncated download.
}

// today is the date for the export's file name.
func (h *Handler) today() string { return h.now().UTC().Format("2006-01-02") }

// lazyDownload sets the download's headers on its first write, so that an
// error before any data still gets a proper error page.
type lazyDownload struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (d *lazyDownload) Write(b []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		h.Set("Cache-Control", "private, no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(b)
}

// toRecord writes a (projected) person in the export's terms.
func toRecord(p *people.Person) *peoplecsv.Record {
	rec := &peoplecsv.Record{
		GivenName: p.GivenName, FamilyName: p.FamilyName,
		Emails: p.Emails, Phones: p.Phones,
		Address1: p.Address.Line1, Address2: p.Address.Line2, Locality: p.Address.Locality,
		Region: p.Address.Region, Postcode: p.Address.Postcode, District: p.Address.District,
		Country: p.Address.Country, Language: p.Language, Membership: p.MembershipStatus,
		MemberSince: p.MemberSince, Tags: p.Tags, Source: p.Source, Custom: p.CustomFields,
	}
	if len(rec.Emails) == 0 && p.Email != "" {
		rec.Emails = []string{p.Email}
	}
	if len(rec.Phones) == 0 && p.Phone != "" {
		rec.Phones = []string{p.Phone}
	}
	if p.Location != nil {
		lat, lng := p.Location.Lat, p.Location.Lng
		rec.Latitude, rec.Longitude = &lat, &lng
	}
	if len(p.Consents) > 0 {
		rec.Consents = make(map[string]string, len(p.Consents))
		for ch, c := range p.Consents {
			rec.Consents[ch] = c.Status
		}
	}
	return rec
}
