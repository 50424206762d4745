package people

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// signupTables are the tables a signup writes to; a failed signup must
// leave every one as it was.
var signupTables = []string{"people", "person_emails", "person_phones", "tags", "person_tags", "consents",
	"consent_history", "custom_field_defs", "group_members", "audit_log", "outbox_events"}

// rows counts the rows of each signup table.
func (e *env) rows(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range signupTables {
		out[tb] = e.count(t, `SELECT COUNT(*) FROM `+tb)
	}
	return out
}

func TestSignup(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if err := e.svc.DefineField(e.admin, FieldDef{Key: "age", Label: "Age", Kind: KindNumber}); err != nil {
			t.Fatal(err)
		}
		var adaID string
		t.Run("Create", func(t *testing.T) {
			res, err := e.svc.Signup(e.admin, Signup{
				Person:   Input{GivenName: "Ada", Email: "Ada@Example.org", Source: SourceAPI, SourceDetail: "hub sync", CustomFields: map[string]string{"age": "36"}},
				AddTags:  []string{"volunteer", "Hackney"},
				Consents: []Consent{{Channel: ChannelEmail, Status: ConsentGranted, Source: "api: hub sync", Wording: "Email me"}},
			})
			if err != nil || !res.Created || res.PersonID == "" {
				t.Fatalf("Signup = %+v, %v", res, err)
			}
			adaID = res.PersonID
			p, err := e.svc.Get(e.admin, adaID)
			if err != nil {
				t.Fatal(err)
			}
			if p.GivenName != "Ada" || p.Email != "ada@example.org" || p.Source != SourceAPI || p.SourceDetail != "hub sync" || p.CustomFields["age"] != "36" {
				t.Errorf("person = %+v", p)
			}
			if tags := sorted(p.Tags); !slices.Equal(tags, []string{"Hackney", "volunteer"}) {
				t.Errorf("tags = %v", tags)
			}
			if c := p.Consents[ChannelEmail]; c.Status != ConsentGranted || c.Wording != "Email me" || c.Source != "api: hub sync" {
				t.Errorf("consent = %+v", c)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM outbox_events WHERE subject_id = ?`, adaID); n != 1 {
				t.Errorf("outbox events for the new person: %d", n)
			}
		})
		t.Run("MatchByEmailFillsFields", func(t *testing.T) {
			res, err := e.svc.Signup(e.admin, Signup{
				Person:     Input{FamilyName: "Lovelace", Email: "ADA@example.org", Phone: "07700 900123", Address: Address{Locality: "Hackney"}},
				AddTags:    []string{"donor"},
				RemoveTags: []string{"hackney"},
			})
			if err != nil || res.Created || res.PersonID != adaID {
				t.Fatalf("Signup = %+v, %v; want a match of %s", res, err, adaID)
			}
			p, _ := e.svc.Get(e.admin, adaID)
			if p.Name() != "Ada Lovelace" || p.Phone != "+447700900123" || p.Address.Locality != "Hackney" || p.CustomFields["age"] != "36" {
				t.Errorf("person = %+v", p)
			}
			if tags := sorted(p.Tags); !slices.Equal(tags, []string{"donor", "volunteer"}) {
				t.Errorf("tags = %v", tags)
			}
			if p.Consents[ChannelEmail].Status != ConsentGranted {
				t.Error("a signup without consent changed the consent")
			}
		})
		t.Run("MatchByPhoneAddsEmail", func(t *testing.T) {
			di := e.mustPerson(t, Input{GivenName: "Di", Phone: "+447700900555", Address: Address{Country: "FR", Postcode: "75001"}})
			res, err := e.svc.Signup(e.admin, Signup{Person: Input{GivenName: "Diana", Phone: "+33 1 23 45 67 89", Email: "di@example.org"}})
			if err != nil || !res.Created {
				t.Fatalf("a number of nobody's: %+v, %v", res, err)
			}
			res, err = e.svc.Signup(e.admin, Signup{Overwrite: true, Person: Input{Phone: "07700 900555", Email: "di.prince@example.org"},
				Consents: []Consent{{Channel: ChannelSMS, Status: ConsentGranted, Source: "api: test", Wording: "Text me"}}})
			if err != nil || res.Created || res.PersonID != di.ID {
				t.Fatalf("Signup = %+v, %v; want a match of %s", res, err, di.ID)
			}
			p, _ := e.svc.Get(e.admin, di.ID)
			if p.Email != "di.prince@example.org" || p.Address.Country != "FR" || p.Consents[ChannelSMS].Status != ConsentGranted {
				t.Errorf("person = %+v", p)
			}
		})
		t.Run("SecondEmailKeptAmongAddresses", func(t *testing.T) {
			if _, err := e.svc.Signup(e.admin, Signup{Overwrite: true, Person: Input{Phone: "07700 900555", Email: "di.work@example.org"}}); err != nil {
				t.Fatal(err)
			}
			id, err := e.svc.Match(e.admin, "di.work@example.org", "")
			if err != nil || id == "" {
				t.Fatalf("the second address finds no one: %v", err)
			}
		})
		t.Run("StrangerFillsOnlyBlanks", func(t *testing.T) {
			// A public petition signs up as nobody in particular: typing
			// Ada's address (or her number beside another address) must not
			// change her record, even when the caller asks to overwrite.
			stranger := context.Background()
			err := d.InTx(stranger, func(tx *db.Tx) error {
				res, err := e.svc.SignupTx(stranger, tx, Signup{Overwrite: true, Person: Input{GivenName: "Mallory",
					FamilyName: "Imposter", Email: "ada@example.org", Phone: "07700 900999", Address: Address{Postcode: "E8 1AA"}}})
				if err != nil || res.PersonID != adaID {
					t.Errorf("SignupTx by email = %+v, %v; want a match of %s", res, err, adaID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			p, _ := e.svc.Get(e.admin, adaID)
			if p.Name() != "Ada Lovelace" || p.Phone != "+447700900123" || p.Address.Postcode != "E8 1AA" {
				t.Errorf("a stranger's signup changed Ada: %+v (only the blank postcode may be filled)", p)
			}
			err = d.InTx(stranger, func(tx *db.Tx) error {
				res, err := e.svc.SignupTx(stranger, tx, Signup{Person: Input{GivenName: "Mallory", Email: "mallory@example.org",
					Phone: "07700 900123"}})
				if err == nil && (res.PersonID == adaID || !res.Created) {
					t.Errorf("a stranger giving Ada's number with their own address matched %+v; want a new person", res)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("DefineFields", func(t *testing.T) {
			in := Signup{Person: Input{Email: "grace@example.org", CustomFields: map[string]string{"favourite_colour": "green"}}}
			before := e.rows(t)
			_, err := e.svc.Signup(e.admin, in)
			wantField(t, err, "custom.favourite_colour", "no such field")
			if after := e.rows(t); !maps.Equal(before, after) {
				t.Fatalf("a refused signup wrote: %v -> %v", before, after)
			}
			in.DefineFields = true
			res, err := e.svc.Signup(e.admin, in)
			if err != nil {
				t.Fatal(err)
			}
			p, _ := e.svc.Get(e.admin, res.PersonID)
			if p.CustomFields["favourite_colour"] != "green" {
				t.Errorf("custom = %v", p.CustomFields)
			}
			fs, _ := e.svc.Fields(e.admin)
			if !slices.ContainsFunc(fs, func(f FieldDef) bool { return f.Key == "favourite_colour" && f.Kind == KindText }) {
				t.Errorf("fields = %+v", fs)
			}
		})
		t.Run("GroupJoined", func(t *testing.T) {
			g := e.group(t, "hackney")
			for range 2 { // the second signup matches and stays a member
				res, err := e.svc.Signup(e.admin, Signup{Person: Input{Email: "ada@example.org", GroupID: g}})
				if err != nil || res.PersonID != adaID {
					t.Fatalf("Signup = %+v, %v", res, err)
				}
			}
			if n := e.count(t, `SELECT COUNT(*) FROM group_members WHERE group_id = ? AND person_id = ?`, g, adaID); n != 1 {
				t.Errorf("memberships = %d", n)
			}
		})
		// Every refusal leaves every table as it was, whether the person
		// would have been created or matched.
		refusals := []struct {
			name  string
			in    Signup
			field string
		}{
			{"NoAddress", Signup{Person: Input{GivenName: "Nobody"}}, "email"},
			{"BadEmail", Signup{Person: Input{Email: "not-an-address"}}, "email"},
			{"TagWithComma", Signup{Person: Input{Email: "new@example.org"}, AddTags: []string{"ok", "a, b"}}, "add_tags"},
			{"TagWithCommaMatched", Signup{Person: Input{Email: "ada@example.org", GivenName: "Changed"}, AddTags: []string{"ok", "a, b"}}, "add_tags"},
			{"BadRemoveTag", Signup{Person: Input{Email: "ada@example.org"}, RemoveTags: []string{""}}, "remove_tags"},
			{"ConsentWithoutWording", Signup{Person: Input{Email: "new@example.org"}, AddTags: []string{"x"},
				Consents: []Consent{{Channel: ChannelEmail, Status: ConsentGranted, Source: "api"}}}, "consent.email.wording"},
			{"BadValueWithNewField", Signup{Person: Input{Email: "new@example.org", CustomFields: map[string]string{"age": "old", "shoe_size": "9"}},
				DefineFields: true, AddTags: []string{"x"}}, "custom.age"},
			{"BadNewKey", Signup{Person: Input{Email: "new@example.org", CustomFields: map[string]string{"Shoe Size": "9"}}, DefineFields: true}, "custom.Shoe Size"},
		}
		for _, tt := range refusals {
			t.Run("Refused"+tt.name, func(t *testing.T) {
				before := e.rows(t)
				_, err := e.svc.Signup(e.admin, tt.in)
				if errs.CodeOf(err) != errs.Invalid || errs.FieldsOf(err)[tt.field] == "" {
					t.Fatalf("err = %v (fields %v), want Invalid naming %s", err, errs.FieldsOf(err), tt.field)
				}
				if after := e.rows(t); !maps.Equal(before, after) {
					t.Fatalf("a refused signup wrote: %v -> %v", before, after)
				}
			})
		}
		t.Run("FailureAfterWritesInsideCallersTransaction", func(t *testing.T) {
			// Joining a group that does not exist fails after the person
			// row is written: the savepoint takes the signup back and the
			// caller's own write stays.
			before := e.rows(t)
			var signupErr error
			err := d.InTx(context.Background(), func(tx *db.Tx) error {
				if _, err := tx.Exec(context.Background(), `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, 'caller', 'caller', ?)`,
					db.NewID(), db.Now()); err != nil {
					return err
				}
				_, signupErr = e.svc.SignupTx(context.Background(), tx, Signup{Person: Input{Email: "tx@example.org", GroupID: db.NewID()},
					AddTags: []string{"fine"}})
				return nil
			})
			if err != nil || signupErr == nil {
				t.Fatalf("commit: %v; signup: %v (want an error)", err, signupErr)
			}
			after := e.rows(t)
			before["tags"]++
			if !maps.Equal(before, after) {
				t.Fatalf("want only the caller's tag: %v -> %v", before, after)
			}
		})
		t.Run("Forbidden", func(t *testing.T) {
			uid := e.user(t, "sup@example.org", "supporter")
			_, err := e.svc.Signup(as(uid, "supporter"), Signup{Person: Input{Email: "x@example.org"}})
			if code := errs.CodeOf(err); code != errs.Forbidden {
				t.Fatalf("a supporter's signup: %v", err)
			}
		})
	})
}

func mapsEqual(a, b map[string]int) bool { return maps.Equal(a, b) }

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestFieldKey(t *testing.T) {
	for in, want := range map[string]string{
		"favourite_colour":  "favourite_colour",
		"Favourite Colour":  "favourite_colour",
		" Mobile / Cell # ": "mobile_cell",
		"a__b":              "a__b",
	} {
		if got := FieldKey(in); got != want {
			t.Errorf("FieldKey(%q) = %q, want %q", in, got, want)
		}
	}
}
