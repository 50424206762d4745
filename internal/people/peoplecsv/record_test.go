package peoplecsv

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// decodeOne decodes a file of a header and one row.
func decodeOne(t *testing.T, header, row string) (Record, error) {
	t.Helper()
	d, err := NewDecoder(strings.NewReader(header+"\n"+row+"\n"), nil)
	if err != nil {
		t.Fatalf("NewDecoder: %v", err)
	}
	rec, _, err := d.Next()
	if errors.Is(err, io.EOF) {
		t.Fatal("no row")
	}
	return rec, err
}

func ptr[T any](v T) *T { return &v }

func day(s string) *time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return &t
}

func TestRecords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, header, row string
		want              Record
		wantErr           string
	}{
		{"NamesTrimmedAndCollapsed", "First name,Last name,Email", "  Ann  Marie ,\" Smith\n\",ANN@Example.ORG ",
			Record{Line: 2, GivenName: "Ann Marie", FamilyName: "Smith", Emails: []string{"ann@example.org"}}, ""},
		{"FullNameSplitAtLastSpace", "Full name,Mobile", "Mary Ann Smith,07700 900123",
			Record{Line: 2, GivenName: "Mary Ann", FamilyName: "Smith", Phones: []string{"+447700900123"}}, ""},
		{"FirstAndLastWinOverFullName", "Name,First name,Email", "Jo Bloggs,Joanna,jo@x.org",
			Record{Line: 2, GivenName: "Joanna", Emails: []string{"jo@x.org"}}, ""},
		{"SeveralEmailsAndPhones", "Email,E-mail,Phone", "a@x.org; b@x.org,A@X.org,\"+44 20 7946 0000, 07700 900123\"",
			Record{Line: 2, Emails: []string{"a@x.org", "b@x.org"}, Phones: []string{"+442079460000", "+447700900123"}}, ""},
		{"Address", "Email,Address 1,Address 2,Town,County,Post code,Country", "a@x.org,1 High St,Flat 2,London,Greater London,e81dy,United Kingdom",
			Record{Line: 2, Emails: []string{"a@x.org"}, Address1: "1 High St", Address2: "Flat 2", Locality: "London", Region: "Greater London", Postcode: "E8 1DY", District: "E8", Country: "GB"}, ""},
		{"ForeignPostcodeKept", "Email,Postcode,Country,Phone", "a@x.org,D02 X285,ie,01 234 5678",
			Record{Line: 2, Emails: []string{"a@x.org"}, Postcode: "D02 X285", Country: "IE", Phones: []string{"+35312345678"}}, ""},
		{"Location", "Email,Lat,Lng", "a@x.org,51.5465,-0.0553",
			Record{Line: 2, Emails: []string{"a@x.org"}, Latitude: ptr(51.5465), Longitude: ptr(-0.0553)}, ""},
		{"MembershipLanguageSince", "Email,Member,Member since,Language", "a@x.org,Yes,31/03/2021,Welsh",
			Record{Line: 2, Emails: []string{"a@x.org"}, Membership: "member", MemberSince: day("2021-03-31"), Language: "cy"}, ""},
		{"TagsSplitAndDeduplicated", "Email,Tags", "a@x.org,\"Climate; housing, climate,, Rent strike\"",
			Record{Line: 2, Emails: []string{"a@x.org"}, Tags: []string{"Climate", "housing", "Rent strike"}}, ""},
		{"Consents", "Email,Email opt-in,SMS opt-in,Can phone,Post opt-in", "a@x.org,yes,N,,FALSE",
			Record{Line: 2, Emails: []string{"a@x.org"}, Consents: map[string]string{"email": "granted", "sms": "withdrawn", "post": "withdrawn"}}, ""},
		{"Donation", "Email,Amount,Donation date,Transaction id", "a@x.org,\"£1,234.5\",2024-03-31,ch_123",
			Record{Line: 2, Emails: []string{"a@x.org"}, Donation: &Donation{AmountPence: 123450, Currency: "GBP", Date: day("2024-03-31"), ExternalID: "ch_123"}}, ""},
		{"DonationInEuros", "Email,Donation amount", "a@x.org,€20",
			Record{Line: 2, Emails: []string{"a@x.org"}, Donation: &Donation{AmountPence: 2000, Currency: "EUR"}}, ""},
		{"SourceAndCustom", "Email,Source,custom:branch,custom:shoe_size", "a@x.org,Spring petition,Hackney,",
			Record{Line: 2, Emails: []string{"a@x.org"}, Source: "Spring petition", Custom: map[string]string{"branch": "Hackney"}}, ""},
		{"FormulaGuardRemoved", "First name,Phone", "'=cmd,'+447700900123",
			Record{Line: 2, GivenName: "=cmd", Phones: []string{"+447700900123"}}, ""},
		{"NameOnlyIsAccepted", "Name", "Ann Smith", Record{Line: 2, GivenName: "Ann", FamilyName: "Smith"}, ""},

		{"BadEmail", "Email,Name", "bob@,Bob", Record{}, "line 2: Email: 'bob@' is not an email address"},
		{"EveryProblemListed", "E-mail address,Post code,Mobile", "x@y,ZZZ,12", Record{},
			"line 2: E-mail address: 'x@y' is not an email address; Mobile: '12' is not a phone number; Post code: 'ZZZ' is not a UK postcode"},
		{"Nobody", "Email,Postcode,Tags", ",E8 1DY,x", Record{}, "line 2: the row has no name, email address or phone number"},
		{"BadCountry", "Email,Country", "a@x.org,Narnia", Record{}, "Country: 'Narnia' is not a country Momentum knows"},
		{"LatitudeWithoutLongitude", "Email,Latitude", "a@x.org,51.5", Record{}, "a position needs both a latitude and a longitude"},
		{"LatitudeOutOfRange", "Email,Latitude,Longitude", "a@x.org,91,0", Record{}, "Latitude: '91' is not a latitude"},
		{"NaN", "Email,Latitude,Longitude", "a@x.org,NaN,1", Record{}, "Latitude: 'NaN' is not a latitude"},
		{"BadConsent", "Email,Can email", "a@x.org,maybe", Record{}, "Can email: 'maybe' is not yes or no"},
		{"BadDate", "Email,Member since", "a@x.org,last spring", Record{}, "Member since: 'last spring' is not a date"},
		{"ZeroDonation", "Email,Amount", "a@x.org,0.00", Record{}, "Amount: '0.00' is not an amount of money more than zero"},
		{"DonationWithoutAmount", "Email,Donation id", "a@x.org,ch_1", Record{}, "Donation id: a donation needs an amount"},
		{"BadMembership", "Email,Membership status", "a@x.org,platinum", Record{}, "'platinum' is not a membership status"},
		{"ControlCharacters", "Email,Name", "a@x.org,\"Ann\x07\"", Record{}, "Name: holds characters that are not text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec, err := decodeOne(t, c.header, c.row)
			if c.wantErr != "" {
				var re *RowError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want a RowError saying %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rec, c.want) {
				t.Errorf("record:\n got %+v\nwant %+v", rec, c.want)
			}
		})
	}
}

func TestWriterRoundTrip(t *testing.T) {
	t.Parallel()
	recs := []Record{
		{GivenName: "Ann Marie", FamilyName: "O'Neill", Emails: []string{"ann@example.org", "a.m@example.org"},
			Phones: []string{"+447700900123"}, Address1: "1 High St, Flat 2", Locality: "London", Postcode: "E8 1DY", District: "E8",
			Country: "GB", Latitude: ptr(51.5465), Longitude: ptr(-0.0553), Language: "cy", Membership: "member",
			MemberSince: day("2021-03-31"), Tags: []string{"climate", "rent strike"},
			Consents: map[string]string{"email": "granted", "sms": "withdrawn"},
			Source:   "Spring petition", Custom: map[string]string{"branch": "Hackney", "note": "=SUM(A1)"}},
		{GivenName: "-Bo", Emails: []string{"bo@example.org"}, Donation: &Donation{AmountPence: 1005, Currency: "EUR", Date: day("2024-01-02"), ExternalID: "ch_9"}},
		{FamilyName: "'Tis", Phones: []string{"+353123456789"}, Country: "IE", Postcode: "D02 X285"},
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, []string{"note", "branch"})
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\ufeffFirst name,Last name,Email,Phone,") {
		t.Errorf("export does not start with a BOM and the canonical header:\n%.80s", buf.String())
	}
	if !strings.Contains(buf.String(), "'=SUM(A1)") || !strings.Contains(buf.String(), "'+447700900123") {
		t.Errorf("formula-like cells are not guarded:\n%s", buf.String())
	}
	d, err := NewDecoder(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range recs {
		got, _, err := d.Next()
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		want.Line = i + 2
		if !reflect.DeepEqual(got, want) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if _, _, err := d.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last record: %v", err)
	}
}
