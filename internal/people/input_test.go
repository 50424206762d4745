package people

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/geo"
)

func TestInputValidate(t *testing.T) {
	long := strings.Repeat("a", 201)
	tests := []struct {
		name  string
		in    Input
		field string // "" when valid
		msg   string
	}{
		{"Valid", Input{GivenName: "Ada", Email: "ada@example.org"}, "", ""},
		{"PhoneOnly", Input{Phone: "07700 900123"}, "", ""},
		{"NothingToIdentify", Input{Address: Address{Locality: "Hackney"}}, "given_name", "name, an email"},
		{"GivenNameTooLong", Input{GivenName: strings.Repeat("é", 101)}, "given_name", "100"},
		{"FamilyNameTooLong", Input{GivenName: "A", FamilyName: strings.Repeat("é", 101)}, "family_name", "100"},
		{"EmailInvalid", Input{GivenName: "A", Email: "not-an-email"}, "email", "name@example.org"},
		{"EmailNoDot", Input{GivenName: "A", Email: "a@localhost"}, "email", "name@example.org"},
		{"PhoneInvalid", Input{GivenName: "A", Phone: "call me"}, "phone", "phone number"},
		{"PostcodeInvalid", Input{GivenName: "A", Address: Address{Postcode: "XYZ"}}, "postcode", "UK postcode"},
		{"ForeignPostcodeKept", Input{GivenName: "A", Address: Address{Postcode: "75011", Country: "FR"}}, "", ""},
		{"CountryInvalid", Input{GivenName: "A", Address: Address{Country: "GBR"}}, "country", "two-letter"},
		{"LineTooLong", Input{GivenName: "A", Address: Address{Line1: long}}, "address_line1", "200"},
		{"LocationInvalid", Input{GivenName: "A", Location: &geo.Point{Lat: 95, Lng: 0}}, "location", "latitude"},
		{"LanguageInvalid", Input{GivenName: "A", Language: "English"}, "language", "language code"},
		{"SourceInvalid", Input{GivenName: "A", Source: "carrier pigeon"}, "source", "import, signup"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantField(t, err, tc.field, tc.msg)
		})
	}
}

func TestInputNormalises(t *testing.T) {
	in := Input{GivenName: "  Ada ", Email: " Ada@Example.ORG ", Phone: "07700 900123",
		Address: Address{Postcode: "e81dy"}, Language: ""}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	want := Input{GivenName: "Ada", Email: "ada@example.org", Phone: "+447700900123", Language: "en", Source: SourceAdmin,
		Address: Address{Postcode: "E8 1DY", District: "E8", Country: "GB"}}
	if in.GivenName != want.GivenName || in.Email != want.Email || in.Phone != want.Phone || in.Address != want.Address ||
		in.Language != want.Language || in.Source != want.Source {
		t.Fatalf("normalised = %+v\nwant %+v", in, want)
	}
}

func TestKeys(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"EmailPlusTag", EmailKey("Jo+news@Example.org"), "jo@example.org"},
		{"GmailDots", EmailKey("j.o.smith@googlemail.com"), "josmith@gmail.com"},
		{"OtherDomainsKeepDots", EmailKey("j.o@example.org"), "j.o@example.org"},
		{"NameSpacesAndCase", NameKey("  Mary-Jane ", "O'Brien"), "mary jane obrien"},
		{"NameAccents", NameKey("Zoë", "Ávila"), "zoë ávila"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.a != tc.b {
				t.Fatalf("got %q, want %q", tc.a, tc.b)
			}
		})
	}
}

func TestFieldValues(t *testing.T) {
	defs := []FieldDef{{Key: "shirt", Kind: KindChoice, Choices: []string{"S", "M"}}, {Key: "age", Kind: KindNumber},
		{Key: "since", Kind: KindDate}, {Key: "bio", Kind: KindText}}
	tests := []struct {
		name   string
		values map[string]string
		field  string
		want   map[string]string
	}{
		{"Valid", map[string]string{"shirt": "M", "age": " 42.0", "since": "2024-02-29", "bio": "hi"}, "",
			map[string]string{"shirt": "M", "age": "42", "since": "2024-02-29", "bio": "hi"}},
		{"EmptyDropped", map[string]string{"shirt": ""}, "", map[string]string{}},
		{"UnknownKey", map[string]string{"hat": "x"}, "custom.hat", nil},
		{"NotAChoice", map[string]string{"shirt": "XL"}, "custom.shirt", nil},
		{"NotANumber", map[string]string{"age": "old"}, "custom.age", nil},
		{"NotADate", map[string]string{"since": "29/02/2024"}, "custom.since", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := checkCustom(defs, tc.values)
			if tc.field != "" {
				wantField(t, err, tc.field, "")
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Fatalf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
	t.Run("DefinitionInvalid", func(t *testing.T) {
		f := FieldDef{Key: "Bad Key", Label: "", Kind: "colour"}
		err := f.Validate()
		for _, field := range []string{"key", "label", "kind"} {
			wantField(t, err, field, "")
		}
		f = FieldDef{Key: "size", Label: "Size", Kind: KindChoice}
		wantField(t, f.Validate(), "choices", "at least one")
	})
}
