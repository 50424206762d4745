package people

import (
	"context"
	"reflect"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		t.Run("Normalises", func(t *testing.T) {
			p := e.mustPerson(t, Input{GivenName: "Ada", FamilyName: "Lovelace", Email: "ADA@Example.org ",
				Phone: "07700 900123", Address: Address{Line1: "1 Mare Street", Postcode: "e8 1dy"}})
			if p.Email != "ada@example.org" || p.Phone != "+447700900123" || p.Address.Postcode != "E8 1DY" ||
				p.Address.District != "E8" || p.Address.Country != "GB" {
				t.Fatalf("stored %q %q %+v", p.Email, p.Phone, p.Address)
			}
			if p.Ladder != LadderSupporter || p.MembershipStatus != StatusSupporter || p.Source != SourceAdmin {
				t.Fatalf("ladder %q status %q source %q", p.Ladder, p.MembershipStatus, p.Source)
			}
			if len(p.Emails) != 1 || len(p.Phones) != 1 {
				t.Fatalf("emails %v phones %v", p.Emails, p.Phones)
			}
			entries, _ := audit.List(e.admin, d.Q(), audit.Filter{Action: "person.created", TargetID: p.ID})
			if len(entries) != 1 {
				t.Fatalf("%d audit entries", len(entries))
			}
		})
		t.Run("ErrEmailTaken", func(t *testing.T) {
			_, err := e.svc.Create(e.admin, Input{GivenName: "Other", Email: "Ada@example.org"})
			wantCode(t, err, errs.Conflict)
			wantField(t, err, "email", "already")
		})
		t.Run("ErrInvalidFieldsNamed", func(t *testing.T) {
			_, err := e.svc.Create(e.admin, Input{GivenName: "X", Phone: "abc", Address: Address{Postcode: "nope"}})
			wantField(t, err, "phone", "phone number")
			wantField(t, err, "postcode", "postcode")
		})
		t.Run("CustomFields", func(t *testing.T) {
			if err := e.svc.DefineField(e.admin, FieldDef{Key: "shirt", Label: "Shirt size", Kind: KindChoice, Choices: []string{"S", "M"}}); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Create(e.admin, Input{GivenName: "C", CustomFields: map[string]string{"shirt": "XXL"}})
			wantField(t, err, "custom.shirt", "Choose one of")
			p := e.mustPerson(t, Input{GivenName: "C", CustomFields: map[string]string{"shirt": "S"}})
			if p.CustomFields["shirt"] != "S" {
				t.Fatalf("custom = %v", p.CustomFields)
			}
			err = e.svc.DefineField(e.admin, FieldDef{Key: "shirt", Label: "Shirt", Kind: KindText})
			wantCode(t, err, errs.Conflict)
			fs, err := e.svc.Fields(as("someone", auth.RoleSupporter))
			if err != nil || len(fs) != 1 || fs[0].Label != "Shirt size" {
				t.Fatalf("fields = %+v, %v", fs, err)
			}
		})
		t.Run("ErrSupporterCannotCreate", func(t *testing.T) {
			_, err := e.svc.Create(as("someone", auth.RoleMember), Input{GivenName: "X"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("OrganiserCreatesInTheirGroup", func(t *testing.T) {
			g, other := e.group(t, "hackney"), e.group(t, "leeds")
			_, orgPerson, org := e.account(t, "org@example.org", "Olu Organiser", auth.RoleMember)
			e.join(t, g, orgPerson, "organiser", "active")
			_, err := e.svc.Create(org, Input{GivenName: "New", GroupID: other})
			wantCode(t, err, errs.Forbidden)
			p, err := e.svc.Create(org, Input{GivenName: "New", FamilyName: "Member", Email: "new@example.org", GroupID: g})
			if err != nil {
				t.Fatal(err)
			}
			if p.Name() != "New Member" || p.Email != "" {
				t.Fatalf("organiser sees %+v: the name, and no email without consent", p)
			}
		})
	})
}

func TestUpdate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.mustPerson(t, Input{GivenName: "Ada", Email: "ada@example.org", Phone: "07700900123",
			Address: Address{Line1: "1 Mare St", Postcode: "E8 1DY"}})
		t.Run("NewEmailKeepsOld", func(t *testing.T) {
			got, err := e.svc.Update(e.admin, p.ID, Input{GivenName: "Ada", Email: "ada@new.example", Phone: "07700900123"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Email != "ada@new.example" || len(got.Emails) != 2 || got.Emails[0] != "ada@new.example" {
				t.Fatalf("emails = %q %v", got.Email, got.Emails)
			}
			if got.Address.Postcode != "" {
				t.Fatalf("address not replaced: %+v", got.Address)
			}
		})
		t.Run("ClearedPhoneForgotten", func(t *testing.T) {
			got, err := e.svc.Update(e.admin, p.ID, Input{GivenName: "Ada", Email: "ada@new.example"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Phone != "" || len(got.Phones) != 0 {
				t.Fatalf("phones = %q %v", got.Phone, got.Phones)
			}
		})
		t.Run("OrganiserKeepsHiddenFields", func(t *testing.T) {
			g := e.group(t, "g")
			_, orgPerson, org := e.account(t, "org@example.org", "O O", auth.RoleMember)
			e.join(t, g, orgPerson, "organiser", "active")
			e.join(t, g, p.ID, "member", "active")
			_, err := e.svc.Update(org, p.ID, Input{GivenName: "Ada", FamilyName: "King"})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := e.svc.Get(e.admin, p.ID)
			if got.Name() != "Ada King" || got.Email != "ada@new.example" {
				t.Fatalf("after organiser edit: %q %q", got.Name(), got.Email)
			}
		})
		t.Run("SelfEdits", func(t *testing.T) {
			_, me, ctx := e.account(t, "me@example.org", "Me Myself", auth.RoleSupporter)
			show := true
			got, err := e.svc.Update(ctx, me, Input{GivenName: "Me", FamilyName: "Too", Email: "me@example.org", ShowName: &show})
			if err != nil || !got.ShowName || got.Name() != "Me Too" {
				t.Fatalf("self update = %+v, %v", got, err)
			}
			_, err = e.svc.Update(ctx, p.ID, Input{GivenName: "Hacked"})
			wantCode(t, err, errs.NotFound)
		})
	})
}

func TestGetVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ga, gb := e.group(t, "a"), e.group(t, "b")
		_, orgA, orgCtx := e.account(t, "org@example.org", "Org A", auth.RoleMember)
		e.join(t, ga, orgA, "organiser", "active")
		_, _, memberCtx := e.account(t, "mem@example.org", "Mem Ber", auth.RoleMember)
		_, _, supporterCtx := e.account(t, "sup@example.org", "Sup Porter", auth.RoleSupporter)
		selfUser, _, _ := e.account(t, "inA@example.org", "In A", auth.RoleSupporter)
		inA, _ := e.svc.PersonIDForUser(e.admin, selfUser)
		e.consent(t, inA, ChannelEmail)
		e.join(t, ga, inA, "member", "active")
		inB := e.mustPerson(t, Input{GivenName: "In", FamilyName: "B", Email: "inb@example.org"}).ID
		e.join(t, gb, inB, "member", "active")
		show := true
		if _, err := e.svc.Update(e.admin, inB, Input{GivenName: "In", FamilyName: "B", Email: "inb@example.org", ShowName: &show}); err != nil {
			t.Fatal(err)
		}
		hiddenB := e.mustPerson(t, Input{GivenName: "Hidden", FamilyName: "B"}).ID
		e.join(t, gb, hiddenB, "member", "active")
		left := e.mustPerson(t, Input{GivenName: "Left", Email: "left@example.org"}).ID
		e.join(t, ga, left, "member", "left")

		tests := []struct {
			name   string
			ctx    context.Context
			id     string
			code   errs.Code
			access Access
		}{
			{"Admin", e.admin, inA, "", AccessFull},
			{"Self", as(selfUser, auth.RoleSupporter), inA, "", AccessFull},
			{"OrganiserOfAForMemberOfA", orgCtx, inA, "", AccessGroup},
			{"OrganiserOfAForMemberOfB", orgCtx, inB, "", AccessName}, // inB shows their name to members
			{"OrganiserOfAForHiddenMemberOfB", orgCtx, hiddenB, errs.NotFound, AccessNone},
			{"OrganiserOfAForWhoLeftA", orgCtx, left, errs.NotFound, AccessNone},
			{"MemberShowName", memberCtx, inB, "", AccessName},
			{"MemberHiddenName", memberCtx, inA, errs.NotFound, AccessNone},
			{"SupporterShowName", supporterCtx, inB, errs.NotFound, AccessNone},
			{"Anonymous", context.Background(), inA, errs.Unauthorized, AccessNone},
		}
		full, _ := e.svc.Get(e.admin, inA)
		fullB, _ := e.svc.Get(e.admin, inB)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.Get(tc.ctx, tc.id)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				src := full
				if tc.id == inB {
					src = fullB
				}
				want, _ := Project(src, tc.access)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("got %+v\nwant %+v", got, want)
				}
			})
		}
		t.Run("OrganiserSeesEmailWithConsentOnly", func(t *testing.T) {
			got, _ := e.svc.Get(orgCtx, inA)
			if got.Email != "ina@example.org" {
				t.Fatalf("email = %q", got.Email)
			}
			if err := e.svc.SetConsent(e.admin, inA, Consent{Channel: ChannelEmail, Status: ConsentWithdrawn, Source: "unsubscribe link"}); err != nil {
				t.Fatal(err)
			}
			got, _ = e.svc.Get(orgCtx, inA)
			if got.Email != "" {
				t.Fatalf("email shown after withdrawal: %q", got.Email)
			}
		})
	})
}

func TestLinkAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		existing := e.mustPerson(t, Input{GivenName: "Kim", Email: "kim@example.org", Source: SourceImport})
		tests := []struct {
			name, email, display string
			wantID               string // "" for a new person
		}{
			{"LinksByEmail", "KIM@example.org", "Kim K", existing.ID},
			{"CreatesNew", "new@example.org", "Nia Newcomer", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				userID := e.user(t, tc.email, auth.RoleSupporter)
				err := d.InTx(e.admin, func(tx *db.Tx) error {
					return e.svc.LinkAccount(e.admin, tx, userID, tc.email, tc.display)
				})
				if err != nil {
					t.Fatal(err)
				}
				id, err := e.svc.PersonIDForUser(as(userID, auth.RoleSupporter), userID)
				if err != nil {
					t.Fatal(err)
				}
				p, _ := e.svc.Get(e.admin, id)
				if tc.wantID != "" && id != tc.wantID {
					t.Fatalf("linked %s, want %s", id, tc.wantID)
				}
				if tc.wantID == "" && (p.Source != SourceSignup || p.Name() != tc.display || p.Email != tc.email) {
					t.Fatalf("new person %+v", p)
				}
				if p.UserID != userID {
					t.Fatalf("user id = %q", p.UserID)
				}
			})
		}
		t.Run("PersonIDForUserIsStable", func(t *testing.T) {
			u := e.user(t, "twice@example.org", auth.RoleSupporter)
			a, err1 := e.svc.PersonIDForUser(e.admin, u)
			b, err2 := e.svc.PersonIDForUser(e.admin, u)
			if err1 != nil || err2 != nil || a != b {
				t.Fatalf("%s %v / %s %v", a, err1, b, err2)
			}
			_, err := e.svc.PersonIDForUser(e.admin, "no-such-user")
			wantCode(t, err, errs.NotFound)
		})
	})
}
