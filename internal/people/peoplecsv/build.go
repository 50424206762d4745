package peoplecsv

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/phone"
)

// recordBuilder gathers a row's cells into a Record. Cells are kept raw
// until finish, because some depend on others (a phone number is read in the
// row's country; a full name is split only when no first or last name is
// given).
type recordBuilder struct {
	rec      Record
	problems []string
	fullName string
	phones   []cell
	postcode cell
	lat, lng cell
	donation struct{ amount, date, id cell }
}

// cell is a non-blank value and the header of its column.
type cell struct{ col, v string }

func (b *recordBuilder) fail(col, format string, args ...any) {
	b.problems = append(b.problems, col+": "+fmt.Sprintf(format, args...))
}

// set records one cell. Blank cells say nothing.
func (b *recordBuilder) set(f Field, col, raw string) {
	v, ok := clean(raw)
	if !ok {
		b.fail(col, "holds characters that are not text")
		return
	}
	if v == "" {
		return
	}
	r := &b.rec
	first := func(dst *string) {
		if *dst == "" {
			*dst = v
		}
	}
	switch f {
	case GivenName:
		first(&r.GivenName)
	case FamilyName:
		first(&r.FamilyName)
	case FullName:
		first(&b.fullName)
	case Email:
		for _, e := range splitList(v) {
			addr, ok := normalizeEmail(e)
			if !ok {
				b.fail(col, "%s is not an email address", quote(e))
				continue
			}
			r.Emails = appendNew(r.Emails, addr)
		}
	case Phone:
		for _, p := range splitList(v) {
			b.phones = append(b.phones, cell{col, p})
		}
	case Address1:
		first(&r.Address1)
	case Address2:
		first(&r.Address2)
	case Locality:
		first(&r.Locality)
	case Region:
		first(&r.Region)
	case Postcode:
		if b.postcode.v == "" {
			b.postcode = cell{col, v}
		}
	case Country:
		c, ok := countryCode(v)
		if !ok {
			b.fail(col, "%s is not a country Momentum knows: use a two-letter code such as GB or IE", quote(v))
			return
		}
		if r.Country == "" {
			r.Country = c
		}
	case Latitude:
		b.lat = cell{col, v}
	case Longitude:
		b.lng = cell{col, v}
	case Language:
		l, ok := languageCode(v)
		if !ok {
			b.fail(col, "%s is not a language: use a code such as en or cy", quote(v))
			return
		}
		if r.Language == "" {
			r.Language = l
		}
	case Membership:
		s, ok := membership(v)
		if !ok {
			b.fail(col, "%s is not a membership status: use member, lapsed or supporter", quote(v))
			return
		}
		r.Membership = s
	case MemberSince:
		t, ok := parseDate(v)
		if !ok {
			b.fail(col, "%s is not a date: write it as 2024-03-31 or 31/03/2024", quote(v))
			return
		}
		r.MemberSince = &t
	case Tags:
		for _, t := range splitList(v) {
			if utf8.RuneCountInString(t) > 100 {
				b.fail(col, "a tag is longer than 100 characters")
				continue
			}
			r.Tags = appendNewFold(r.Tags, t)
		}
	case ConsentEmail, ConsentSMS, ConsentPhone, ConsentPost:
		s, ok := consent(v)
		if !ok {
			b.fail(col, "%s is not yes or no", quote(v))
			return
		}
		if r.Consents == nil {
			r.Consents = map[string]string{}
		}
		r.Consents[strings.TrimPrefix(string(f), "consent_")] = s
	case DonationAmount:
		b.donation.amount = cell{col, v}
	case DonationDate:
		b.donation.date = cell{col, v}
	case DonationID:
		b.donation.id = cell{col, v}
	case Source:
		first(&r.Source)
	default:
		if k, ok := f.CustomKey(); ok {
			if r.Custom == nil {
				r.Custom = map[string]string{}
			}
			if _, dup := r.Custom[k]; !dup {
				r.Custom[k] = v
			}
		}
	}
}

// finish settles the cells that depend on others and returns the record,
// or a *RowError listing every problem of the row.
func (b *recordBuilder) finish() (Record, error) {
	r := &b.rec
	if r.GivenName == "" && r.FamilyName == "" && b.fullName != "" {
		r.GivenName, r.FamilyName = splitName(b.fullName)
	}
	region := r.Country
	if region == "" {
		region = "GB"
	}
	for _, p := range b.phones {
		n, err := phone.Normalize(p.v, region)
		if err != nil {
			b.fail(p.col, "%s is not a phone number", quote(p.v))
			continue
		}
		r.Phones = appendNew(r.Phones, n)
	}
	if p := b.postcode; p.v != "" {
		if region == "GB" {
			pc, district, ok := geo.NormalizePostcode(p.v)
			if !ok {
				b.fail(p.col, "%s is not a UK postcode", quote(p.v))
			}
			r.Postcode, r.District = pc, district
		} else {
			r.Postcode = p.v
		}
	}
	b.location()
	b.donationCells()
	if len(b.problems) > 0 {
		return Record{Line: r.Line}, &RowError{Line: r.Line, Message: strings.Join(b.problems, "; ")}
	}
	if r.Empty() {
		return Record{Line: r.Line}, &RowError{Line: r.Line, Message: "the row has no name, email address or phone number"}
	}
	return *r, nil
}

func (b *recordBuilder) location() {
	if b.lat.v == "" && b.lng.v == "" {
		return
	}
	if b.lat.v == "" || b.lng.v == "" {
		c := b.lat.col + b.lng.col
		b.fail(c, "a position needs both a latitude and a longitude")
		return
	}
	lat, err1 := strconv.ParseFloat(b.lat.v, 64)
	lng, err2 := strconv.ParseFloat(b.lng.v, 64)
	switch {
	case err1 != nil || math.IsNaN(lat) || lat < -90 || lat > 90:
		b.fail(b.lat.col, "%s is not a latitude (-90 to 90)", quote(b.lat.v))
	case err2 != nil || math.IsNaN(lng) || lng < -180 || lng > 180:
		b.fail(b.lng.col, "%s is not a longitude (-180 to 180)", quote(b.lng.v))
	case lat == 0 && lng == 0:
		b.fail(b.lat.col, "0, 0 is not a real position")
	default:
		b.rec.Latitude, b.rec.Longitude = &lat, &lng
	}
}

func (b *recordBuilder) donationCells() {
	d := b.donation
	if d.amount.v == "" {
		if d.date.v != "" || d.id.v != "" {
			c := d.date.col
			if c == "" {
				c = d.id.col
			}
			b.fail(c, "a donation needs an amount")
		}
		return
	}
	pence, cur, ok := parseAmount(d.amount.v)
	if !ok {
		b.fail(d.amount.col, "%s is not an amount of money more than zero", quote(d.amount.v))
		return
	}
	if utf8.RuneCountInString(d.id.v) > 200 {
		b.fail(d.id.col, "is longer than 200 characters")
		return
	}
	don := &Donation{AmountPence: pence, Currency: cur, ExternalID: d.id.v}
	if d.date.v != "" {
		t, ok := parseDate(d.date.v)
		if !ok {
			b.fail(d.date.col, "%s is not a date: write it as 2024-03-31 or 31/03/2024", quote(d.date.v))
			return
		}
		don.Date = &t
	}
	b.rec.Donation = don
}
