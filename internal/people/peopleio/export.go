package peopleio

import (
	"context"
	"fmt"
	"io"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
)

// Export writes the people matching f as CSV in the canonical columns
// (peoplecsv.Writer), one row a person, and returns how many it wrote.
// What each row holds is what the viewer may see: people.Service.Each
// checks the permission, projects every person for the viewer (an
// organiser's export holds only the contact details people consented to)
// and audits the export. Importing the file again changes nothing.
//
// Errors: as people.Service.Each; and the writer's.
func Export(ctx context.Context, svc *people.Service, f people.Filter, w io.Writer) (int, error) {
	defs, err := svc.Fields(ctx)
	if err != nil {
		return 0, err
	}
	keys := make([]string, len(defs))
	for i, d := range defs {
		keys[i] = d.Key
	}
	cw := peoplecsv.NewWriter(w, keys)
	n := 0
	err = svc.Each(ctx, f, func(p *people.Person) error {
		rec := recordOf(p)
		n++
		return cw.Write(&rec)
	})
	if err != nil {
		return n, err
	}
	if err := cw.Flush(); err != nil {
		return n, fmt.Errorf("export people: %w", err)
	}
	return n, nil
}

// recordOf is a person as an export row.
func recordOf(p *people.Person) peoplecsv.Record {
	r := peoplecsv.Record{
		GivenName: p.GivenName, FamilyName: p.FamilyName,
		Emails: p.Emails, Phones: p.Phones,
		Address1: p.Address.Line1, Address2: p.Address.Line2, Locality: p.Address.Locality,
		Region: p.Address.Region, Postcode: p.Address.Postcode, District: p.Address.District,
		Country: p.Address.Country, Language: p.Language, Membership: p.MembershipStatus,
		MemberSince: p.MemberSince, Tags: p.Tags, Source: p.SourceDetail, Custom: p.CustomFields,
	}
	if len(r.Emails) == 0 && p.Email != "" {
		r.Emails = []string{p.Email}
	}
	if len(r.Phones) == 0 && p.Phone != "" {
		r.Phones = []string{p.Phone}
	}
	if p.Location != nil {
		lat, lng := p.Location.Lat, p.Location.Lng
		r.Latitude, r.Longitude = &lat, &lng
	}
	for ch, c := range p.Consents {
		if r.Consents == nil {
			r.Consents = map[string]string{}
		}
		r.Consents[ch] = c.Status
	}
	return r
}
