package people

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestDuplicates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		sam1 := e.mustPerson(t, Input{GivenName: "Sam", Email: "sam.smith@gmail.com"})
		sam2 := e.mustPerson(t, Input{GivenName: "Samuel", Email: "samsmith+petition@googlemail.com"})
		ph1 := e.mustPerson(t, Input{GivenName: "Ana", Phone: "07700 900300"})
		ph2 := e.mustPerson(t, Input{GivenName: "Bea", Phone: "+44 7700 900300"})
		pat1 := e.mustPerson(t, Input{GivenName: "Pat", FamilyName: "O'Neil", Address: Address{Postcode: "E8 1DY"}})
		pat2 := e.mustPerson(t, Input{GivenName: "pat", FamilyName: "ONeil ", Address: Address{Postcode: "e81dy"}})
		e.mustPerson(t, Input{GivenName: "Pat", FamilyName: "O'Neil", Address: Address{Postcode: "N1 1AA"}}) // elsewhere: not a duplicate
		want := map[string]string{sam1.ID + "|" + sam2.ID: "email", ph1.ID + "|" + ph2.ID: "phone", pat1.ID + "|" + pat2.ID: "name_postcode"}
		t.Run("FindsTheThreeKinds", func(t *testing.T) {
			pairs, err := e.svc.Duplicates(e.admin, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			if len(pairs) != 3 {
				t.Fatalf("%d pairs: %+v", len(pairs), pairs)
			}
			for _, p := range pairs {
				if want[p.Key] != p.Reasons[0] || len(p.Reasons) != 1 || p.A.ID == "" || p.A.Name() == "" {
					t.Fatalf("pair %s %v (%s, %s) unexpected", p.Key, p.Reasons, p.A.Name(), p.B.Name())
				}
			}
		})
		t.Run("Pages", func(t *testing.T) {
			var keys []string
			after := ""
			for range 5 {
				pairs, err := e.svc.Duplicates(e.admin, after, 1)
				if err != nil {
					t.Fatal(err)
				}
				if len(pairs) == 0 {
					break
				}
				keys = append(keys, pairs[0].Key)
				after = pairs[0].Key
			}
			if len(keys) != 3 || !slices.IsSorted(keys) {
				t.Fatalf("pages gave %v", keys)
			}
		})
		t.Run("ErrNotAdmin", func(t *testing.T) {
			_, err := e.svc.Duplicates(as("x", auth.RoleMember), "", 10)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("NotTheSamePerson", func(t *testing.T) {
			wantCode(t, e.svc.MarkDistinct(as("x", auth.RoleMember), pat1.ID, pat2.ID), errs.Forbidden)
			wantCode(t, e.svc.MarkDistinct(e.admin, pat1.ID, pat1.ID), errs.Invalid)
			wantCode(t, e.svc.MarkDistinct(e.admin, pat1.ID, db.NewID()), errs.NotFound)
			// Either order, and twice, is one decision.
			for _, ids := range [][2]string{{pat2.ID, pat1.ID}, {pat1.ID, pat2.ID}} {
				if err := e.svc.MarkDistinct(e.admin, ids[0], ids[1]); err != nil {
					t.Fatal(err)
				}
			}
			pairs, err := e.svc.Duplicates(e.admin, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, p := range pairs {
				keys = append(keys, p.Key)
			}
			if len(pairs) != 2 || slices.Contains(keys, pat1.ID+"|"+pat2.ID) {
				t.Fatalf("after marking the Pats distinct the pairs are %v", keys)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM people_distinct`); n != 1 {
				t.Fatalf("%d rows in people_distinct, want 1", n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'people.distinct'`); n != 2 {
				t.Fatalf("%d audit entries for people.distinct, want one per request (2)", n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM people WHERE id IN (?, ?)`, pat1.ID, pat2.ID); n != 2 {
				t.Fatalf("both records stay: %d left", n)
			}
		})
	})
}

// personRows counts a person's rows in each table that holds them.
func (e *env) personRows(t *testing.T, ids ...string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"person_emails", "person_phones", "person_tags", "person_notes", "donations",
		"consents", "consent_history", "group_members"} {
		for _, id := range ids {
			out[table] += e.count(t, `SELECT COUNT(*) FROM `+table+` WHERE person_id = ?`, id)
		}
	}
	return out
}

func TestMerge(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		if err := e.svc.DefineField(e.admin, FieldDef{Key: "shirt", Label: "Shirt", Kind: KindText}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DefineField(e.admin, FieldDef{Key: "diet", Label: "Diet", Kind: KindText}); err != nil {
			t.Fatal(err)
		}
		ga, gb := e.group(t, "a"), e.group(t, "b")
		keep := e.mustPerson(t, Input{GivenName: "Jo", FamilyName: "Bloggs", Email: "jo@example.org", Phone: "07700900100",
			CustomFields: map[string]string{"shirt": "S"}})
		userID, mergeID, _ := e.account(t, "jo+news@example.org", "Joanna Bloggs", auth.RoleSupporter)
		if _, err := e.svc.Update(e.admin, mergeID, Input{GivenName: "Joanna", FamilyName: "Bloggs", Email: "jo+news@example.org",
			Phone: "07700900200", Address: Address{Line1: "1 High St", Postcode: "E8 1DY"},
			CustomFields: map[string]string{"shirt": "M", "diet": "vegan"}}); err != nil {
			t.Fatal(err)
		}
		for _, tg := range []struct{ id, tag string }{{keep.ID, "a"}, {mergeID, "a"}, {mergeID, "b"}} {
			if err := e.svc.Tag(e.admin, tg.id, tg.tag); err != nil {
				t.Fatal(err)
			}
		}
		withdraw := Consent{Channel: ChannelEmail, Status: ConsentWithdrawn, Source: "unsubscribe"}
		if err := e.svc.SetConsent(e.admin, keep.ID, withdraw); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour)
		e.consent(t, mergeID, ChannelEmail, ChannelSMS) // later: wins
		for _, id := range []string{keep.ID, mergeID} {
			if _, err := e.svc.AddNote(e.admin, id, "", "note on "+id); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.svc.AddDonation(e.admin, mergeID, Donation{AmountPence: 1000}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetMembership(e.admin, mergeID, StatusMember); err != nil {
			t.Fatal(err)
		}
		e.join(t, ga, keep.ID, "member", "active")
		e.join(t, ga, mergeID, "organiser", "active")
		e.join(t, gb, mergeID, "member", "requested")
		before := e.personRows(t, keep.ID, mergeID)
		actionsBefore := e.count(t, `SELECT COUNT(*) FROM person_actions WHERE person_id IN (?, ?)`, keep.ID, mergeID)

		if err := e.svc.Merge(e.admin, keep.ID, mergeID); err != nil {
			t.Fatal(err)
		}
		after := e.personRows(t, keep.ID)
		t.Run("CountsKept", func(t *testing.T) {
			// Tag "a" and group a were on both: one row each remains.
			want := map[string]int{"person_emails": before["person_emails"], "person_phones": before["person_phones"],
				"person_tags": before["person_tags"] - 1, "person_notes": before["person_notes"], "donations": before["donations"],
				"consents": 2, "consent_history": before["consent_history"], "group_members": before["group_members"] - 1}
			for table, n := range want {
				if after[table] != n {
					t.Errorf("%s: %d rows after merge, want %d (before: %d)", table, after[table], n, before[table])
				}
			}
			if n := e.count(t, `SELECT COUNT(*) FROM person_actions WHERE person_id = ?`, keep.ID); n <= actionsBefore {
				t.Errorf("%d actions after, %d before: the merge itself should be on the timeline", n, actionsBefore)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM people WHERE id = ?`, mergeID); n != 0 {
				t.Errorf("merged person still there")
			}
		})
		t.Run("RecordCombined", func(t *testing.T) {
			p, err := e.svc.Get(e.admin, keep.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name() != "Jo Bloggs" || p.Email != "jo@example.org" || p.UserID != userID || p.Address.Postcode != "E8 1DY" {
				t.Errorf("kept %q %q user %q address %+v", p.Name(), p.Email, p.UserID, p.Address)
			}
			if p.CustomFields["shirt"] != "S" || p.CustomFields["diet"] != "vegan" {
				t.Errorf("custom = %v: keep's wins, blanks filled", p.CustomFields)
			}
			if !p.HasConsent(ChannelEmail) || !p.HasConsent(ChannelSMS) {
				t.Errorf("consents = %+v: the latest per channel wins", p.Consents)
			}
			if p.MembershipStatus != StatusMember || p.Ladder != LadderOrganiser {
				t.Errorf("status %s ladder %s", p.MembershipStatus, p.Ladder)
			}
			var role, status string
			_ = d.QueryRow(ctx, `SELECT role, status FROM group_members WHERE group_id = ? AND person_id = ?`, ga, keep.ID).Scan(&role, &status)
			if role != "organiser" || status != "active" {
				t.Errorf("group a: %s %s, want the higher role", role, status)
			}
			if id, err := e.svc.PersonIDForUser(e.admin, userID); err != nil || id != keep.ID {
				t.Errorf("account now resolves to %s, %v", id, err)
			}
		})
		t.Run("AuditedWithBothIDs", func(t *testing.T) {
			entries, _ := audit.List(e.admin, d.Q(), audit.Filter{Action: "person.merged", TargetID: keep.ID})
			if len(entries) != 1 || entries[0].Details["merged_id"] != mergeID {
				t.Fatalf("audit = %+v", entries)
			}
			acts, _ := e.svc.Timeline(e.admin, keep.ID, "", 200)
			if countKind(acts, "person.merged") != 1 || countKind(acts, "donation") != 1 {
				t.Fatalf("timeline lacks the merge or the merged donation")
			}
		})
		t.Run("Errors", func(t *testing.T) {
			wantCode(t, e.svc.Merge(e.admin, keep.ID, keep.ID), errs.Invalid)
			wantCode(t, e.svc.Merge(e.admin, keep.ID, mergeID), errs.NotFound)
			other := e.named(t, "Other", "Person")
			wantCode(t, e.svc.Merge(as("x", auth.RoleMember), keep.ID, other.ID), errs.Forbidden)
			_, p2, _ := e.account(t, "two@example.org", "Two Accounts", auth.RoleSupporter)
			wantCode(t, e.svc.Merge(e.admin, keep.ID, p2), errs.Conflict)
		})
	})
}
