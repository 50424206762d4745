package people

import (
	"reflect"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// fullPerson has a value in every field.
func fullPerson(consents ...string) *Person {
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	p := &Person{ID: "p1", UserID: "u1", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada@example.org",
		Phone: "+447700900123", Emails: []string{"ada@example.org", "ada@work.example"}, Phones: []string{"+447700900123"},
		Address:  Address{Line1: "1 Mare St", Locality: "London", Postcode: "E8 1DY", District: "E8", Country: "GB"},
		Location: &geo.Point{Lat: 51.5, Lng: -0.05}, Language: "en", MembershipStatus: StatusMember, MemberSince: &at,
		LastActiveAt: &at, Ladder: LadderActive, Source: SourceImport, SourceDetail: "march.csv",
		CustomFields: map[string]string{"shirt": "M"}, ShowName: true, Tags: []string{"volunteer"},
		Consents: map[string]Consent{}, CreatedAt: at, UpdatedAt: at}
	for _, ch := range consents {
		p.Consents[ch] = Consent{Channel: ch, Status: ConsentGranted, Source: "form", Wording: "Yes", ChangedAt: at}
	}
	return p
}

func TestProject(t *testing.T) {
	withdrawn := fullPerson()
	withdrawn.Consents[ChannelEmail] = Consent{Channel: ChannelEmail, Status: ConsentWithdrawn, Source: "unsubscribe"}
	tests := []struct {
		name   string
		p      *Person
		access Access
		ok     bool
		check  func(t *testing.T, in, out *Person)
	}{
		{"FullSeesEverything", fullPerson(ChannelEmail), AccessFull, true, func(t *testing.T, in, out *Person) {
			if !reflect.DeepEqual(in, out) {
				t.Fatalf("full projection differs:\n%+v\n%+v", out, in)
			}
			out.Tags[0], out.CustomFields["shirt"] = "changed", "XL"
			if in.Tags[0] != "volunteer" || in.CustomFields["shirt"] != "M" {
				t.Fatal("projection shares slices or maps with the record")
			}
		}},
		{"GroupWithoutConsentSeesNoContact", fullPerson(), AccessGroup, true, func(t *testing.T, in, out *Person) {
			want := &Person{ID: "p1", GivenName: "Ada", FamilyName: "Lovelace", Address: Address{District: "E8"},
				MembershipStatus: StatusMember, Ladder: LadderActive, ShowName: true, Tags: []string{"volunteer"},
				Consents: map[string]Consent{}}
			if !reflect.DeepEqual(out, want) {
				t.Fatalf("got %+v\nwant %+v", out, want)
			}
		}},
		{"GroupWithEmailConsentSeesEmails", fullPerson(ChannelEmail), AccessGroup, true, func(t *testing.T, in, out *Person) {
			if out.Email != in.Email || len(out.Emails) != 2 || out.Phone != "" || out.Address.Line1 != "" {
				t.Fatalf("got email %q %v phone %q address %+v", out.Email, out.Emails, out.Phone, out.Address)
			}
			if c := out.Consents[ChannelEmail]; c.Status != ConsentGranted || c.Wording != "" || c.Source != "" {
				t.Fatalf("consent shown as %+v: status only", c)
			}
		}},
		{"GroupWithSMSConsentSeesPhone", fullPerson(ChannelSMS), AccessGroup, true, func(t *testing.T, in, out *Person) {
			if out.Phone != in.Phone || out.Email != "" {
				t.Fatalf("got phone %q email %q", out.Phone, out.Email)
			}
		}},
		{"GroupWithPhoneConsentSeesPhone", fullPerson(ChannelPhone), AccessGroup, true, func(t *testing.T, in, out *Person) {
			if out.Phone != in.Phone || len(out.Phones) != 1 {
				t.Fatalf("got phone %q %v", out.Phone, out.Phones)
			}
		}},
		{"GroupWithPostConsentSeesAddress", fullPerson(ChannelPost), AccessGroup, true, func(t *testing.T, in, out *Person) {
			if out.Address != in.Address || out.Email != "" || out.Phone != "" {
				t.Fatalf("got %+v", out)
			}
		}},
		{"GroupNeverSeesPrivateFields", fullPerson(Channels...), AccessGroup, true, func(t *testing.T, in, out *Person) {
			if out.Location != nil || out.CustomFields != nil || out.UserID != "" || out.SourceDetail != "" ||
				out.MemberSince != nil || out.LastActiveAt != nil || out.Language != "" {
				t.Fatalf("organiser sees private fields: %+v", out)
			}
		}},
		{"GroupWithdrawnConsentHidesEmail", withdrawn, AccessGroup, true, func(t *testing.T, in, out *Person) {
			if out.Email != "" || out.Emails != nil {
				t.Fatalf("withdrawn email consent still shows %q", out.Email)
			}
		}},
		{"NameOnly", fullPerson(Channels...), AccessName, true, func(t *testing.T, in, out *Person) {
			want := &Person{ID: "p1", GivenName: "Ada", FamilyName: "Lovelace", ShowName: true}
			if !reflect.DeepEqual(out, want) {
				t.Fatalf("got %+v", out)
			}
		}},
		{"None", fullPerson(), AccessNone, false, func(t *testing.T, in, out *Person) {
			if out != nil {
				t.Fatalf("got %+v", out)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, ok := Project(tc.p, tc.access)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			tc.check(t, tc.p, out)
		})
	}
}

func TestAccessFor(t *testing.T) {
	shown, hidden := &Person{ShowName: true}, &Person{}
	erased := &Person{ShowName: true, ErasedAt: new(time.Time)}
	tests := []struct {
		name  string
		facts AccessFacts
		p     *Person
		want  Access
	}{
		{"Admin", AccessFacts{Admin: true}, hidden, AccessFull},
		{"Self", AccessFacts{Self: true}, hidden, AccessFull},
		{"OrganiserOfTheirGroup", AccessFacts{Organiser: true, Member: true}, hidden, AccessGroup},
		{"MemberShowName", AccessFacts{Member: true}, shown, AccessName},
		{"MemberHiddenName", AccessFacts{Member: true}, hidden, AccessNone},
		{"MemberErased", AccessFacts{Member: true}, erased, AccessNone},
		{"Stranger", AccessFacts{}, shown, AccessNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := AccessFor(tc.facts, tc.p); got != tc.want {
				t.Fatalf("AccessFor = %s, want %s", got, tc.want)
			}
		})
	}
}
