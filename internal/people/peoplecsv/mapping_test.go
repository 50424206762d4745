package peoplecsv

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDetectMappingCommonHeaders(t *testing.T) {
	t.Parallel()
	cases := map[string]Field{
		"First name": GivenName, "first_name": GivenName, "Given Name": GivenName, "Forename": GivenName,
		"Last name": FamilyName, "SURNAME": FamilyName, "Family name": FamilyName,
		"Name": FullName, "Full name": FullName,
		"Email": Email, "Email address": Email, "E-mail": Email, "e-mail address": Email,
		"Phone": Phone, "Mobile": Phone, "Mobile number": Phone, "Telephone": Phone,
		"Address 1": Address1, "Address line 1": Address1, "Street": Address1, "Address 2": Address2,
		"Town": Locality, "City": Locality, "County": Region, "Region": Region,
		"Postcode": Postcode, "Post code": Postcode, "ZIP": Postcode, "Country": Country,
		"Latitude": Latitude, "Lat": Latitude, "Longitude": Longitude, "Lng": Longitude, "Lon": Longitude,
		"Language": Language, "Membership status": Membership, "Member": Membership, "Member since": MemberSince,
		"Tags": Tags, "Email opt-in": ConsentEmail, "Email consent": ConsentEmail, "Can email": ConsentEmail,
		"SMS opt-in": ConsentSMS, "Phone opt-in": ConsentPhone, "Post opt-in": ConsentPost, "Can post": ConsentPost,
		"Donation amount": DonationAmount, "Amount": DonationAmount, "Donation date": DonationDate,
		"Donation id": DonationID, "Transaction ID": DonationID, "Source": Source,
		"custom:shoe_size": CustomField("shoe_size"), "Custom: Branch ": CustomField("branch"),
		"custom:Not Valid!": Ignore, "Favourite colour": Ignore, "": Ignore,
	}
	for header, want := range cases {
		t.Run(header, func(t *testing.T) {
			m := DetectMapping([]string{"ignored", header})
			if got := m.Field(1); got != want {
				t.Errorf("%q detected as %q, want %q", header, got, want)
			}
		})
	}
}

func TestEveryLabelIsDetected(t *testing.T) {
	t.Parallel()
	for _, f := range KnownFields() {
		if got := detectField(f.Label); got != f.Field {
			t.Errorf("label %q detected as %q, want %q", f.Label, got, f.Field)
		}
		for _, a := range f.Aliases {
			if got := detectField(a); got != f.Field {
				t.Errorf("alias %q of %s detected as %q", a, f.Field, got)
			}
		}
	}
}

func TestMappingFieldsAndSpecRoundTrip(t *testing.T) {
	t.Parallel()
	header := []string{"Email", "Notes", "First name", "custom:branch", "Email", "Tags"}
	m := DetectMapping(header)
	want := []Field{GivenName, Email, Tags, CustomField("branch")}
	if got := m.Fields(); !reflect.DeepEqual(got, want) {
		t.Errorf("Fields() = %v, want %v", got, want)
	}
	spec := m.Spec()
	if spec["#1"] != "email" || spec["#5"] != "email" || spec["Notes"] != "" {
		t.Errorf("Spec() = %v: duplicate headers should be #n, ignored columns empty", spec)
	}
	parsed, err := ParseMapping(spec)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Resolve(header, &parsed)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, m) {
		t.Errorf("Resolve(ParseMapping(Spec())) = %+v, want %+v", again, m)
	}
}

func TestParseMappingAndResolve(t *testing.T) {
	t.Parallel()
	header := []string{"Mail", "Who", "Mobile", "Extra"}
	cases := []struct {
		name    string
		spec    map[string]string
		want    []Field // per column
		wantErr string
	}{
		{"DetectionOnly", nil, nil, "none of"},
		{"ByHeaderCaseInsensitive", map[string]string{"mail": "email", "WHO": "name"}, []Field{Email, FullName, Phone, Ignore}, ""},
		{"ByColumnNumber", map[string]string{"#1": "email", "#4": "custom:extra"}, []Field{Email, Ignore, Phone, CustomField("extra")}, ""},
		{"LabelsAccepted", map[string]string{"Mail": "Email address", "Mobile": "ignore"}, []Field{Email, Ignore, Ignore, Ignore}, ""},
		{"UnknownField", map[string]string{"Mail": "e-mail-ish"}, nil, `"Mail": "e-mail-ish" is not a field`},
		{"BadColumnNumber", map[string]string{"#0": "email"}, nil, `"#0" is not a column number`},
		{"MissingColumn", map[string]string{"Telephone": "phone"}, nil, `names a column "Telephone", but the file has no such column`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var over *Mapping
			var err error
			if c.spec != nil {
				var m Mapping
				m, err = ParseMapping(c.spec)
				over = &m
			}
			if err == nil {
				var m Mapping
				if c.name == "DetectionOnly" {
					_, err = Resolve([]string{"Mail", "Who"}, nil)
				} else {
					m, err = Resolve(header, over)
				}
				if err == nil {
					var got []Field
					for i := range header {
						got = append(got, m.Field(i))
					}
					if !reflect.DeepEqual(got, c.want) {
						t.Errorf("fields = %v, want %v", got, c.want)
					}
				}
			}
			if c.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
		})
	}
	var fe *FormatError
	if _, err := Resolve([]string{"x"}, nil); !errors.As(err, &fe) {
		t.Errorf("headerless: %v is not a *FormatError", err)
	}
}
