package people

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// subject is a person with a row in every people-related table.
type subject struct {
	id, userID, groupID, memberID string
	self                          context.Context
}

const (
	subjEmail  = "zeb.quattle@example.org"
	subjEmail2 = "zebedee.q@work.example"
	subjPhone  = "+447700900555"
)

func newSubject(t *testing.T, e *env) subject {
	t.Helper()
	var s subject
	s.userID = e.userNamed(t, subjEmail, "Zebedee Quattlebaum", auth.RoleMember)
	// Signed in with their email as the label, as a real session is.
	s.self = auth.WithPrincipal(context.Background(), &auth.Principal{UserID: s.userID, Role: auth.RoleMember, Label: subjEmail})
	var err error
	if s.id, err = e.svc.PersonIDForUser(s.self, s.userID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DefineField(e.admin, FieldDef{Key: "nickname", Label: "Nickname", Kind: KindText}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Update(s.self, s.id, Input{GivenName: "Zebedee", FamilyName: "Quattlebaum", Email: subjEmail2,
		Phone: "07700 900555", Address: Address{Line1: "42 Quattlebaum Lane", Locality: "Stoke Newington", Postcode: "N16 7XY"},
		CustomFields: map[string]string{"nickname": "Zebedee the Quattlebaum"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetConsent(s.self, s.id, Consent{Channel: ChannelEmail, Status: ConsentGranted, Source: "signup form",
		Wording: "I, Zebedee Quattlebaum, agree to emails"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Tag(e.admin, s.id, "volunteer"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AddDonation(e.admin, s.id, Donation{AmountPence: 1500, Source: "import: quattlebaum.csv", ExternalID: "ch_zeb"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetMembership(e.admin, s.id, StatusMember); err != nil {
		t.Fatal(err)
	}
	s.groupID = e.group(t, "stokey")
	e.join(t, s.groupID, s.id, "organiser", "active")
	if _, err := e.svc.AddNote(e.admin, s.id, s.groupID, "Zebedee prefers evenings"); err != nil {
		t.Fatal(err)
	}
	err = e.d.InTx(context.Background(), func(tx *db.Tx) error {
		return e.svc.RecordAction(context.Background(), tx, Action{PersonID: s.id, Kind: "meeting.spoke",
			Summary: "Zebedee Quattlebaum spoke on rents", Participation: true, GroupID: s.groupID})
	})
	if err != nil {
		t.Fatal(err)
	}
	// As an organiser they record another member's consent: their email labels it.
	s.memberID = e.named(t, "Gro", "Member").ID
	e.join(t, s.groupID, s.memberID, "member", "active")
	if err := e.svc.SetConsent(s.self, s.memberID, Consent{Channel: ChannelPost, Status: ConsentGranted, Source: "paper form",
		Wording: "Post is fine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SaveList(s.self, "Stokey volunteers", Filter{GroupID: s.groupID, Tags: []string{"volunteer"}}); err != nil {
		t.Fatal(err)
	}
	// Messaging's copies (issue 12): a broadcast that went to them, a
	// notice waiting for their digest, a notification choice, an SMS reply.
	now := db.Now()
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO broadcasts (id, subject, body, created_at, updated_at) VALUES ('b1', 'Hello', 'Hi', ?, ?)`, []any{now, now}},
		{`INSERT INTO broadcast_recipients (broadcast_id, person_id, address, token, status) VALUES ('b1', ?, ?, 'tok1', 'sent')`, []any{s.id, subjEmail2}},
		{`INSERT INTO notification_digest (id, person_id, kind, to_addr, subject, text_body, why, created_at)
			VALUES ('n1', ?, 'events.reminder', ?, 'Soon', 'Zebedee Quattlebaum, see you', 'why', ?)`, []any{s.id, subjEmail2, now}},
		{`INSERT INTO notification_prefs (person_id, kind, mode, updated_at) VALUES (?, 'events.reminder', 'digest', ?)`, []any{s.id, now}},
		{`INSERT INTO sms_inbound (id, from_number, body, action, person_id, received_at) VALUES ('s1', ?, 'STOP Zebedee', 'stop', ?, ?)`, []any{subjPhone, s.id, now}},
	} {
		if _, err := e.d.Exec(context.Background(), st.q, st.args...); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestExportData(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSubject(t, e)
		t.Run("HoldsEveryTablesRows", func(t *testing.T) {
			x, err := e.svc.ExportData(s.self, s.id)
			if err != nil {
				t.Fatal(err)
			}
			rows := e.personRows(t, s.id)
			got := map[string]int{"person_emails": len(x.Emails), "person_phones": len(x.Phones), "person_tags": len(x.Tags),
				"person_notes": len(x.Notes), "donations": len(x.Donations), "consents": len(x.Consents),
				"consent_history": len(x.ConsentHistory), "group_members": len(x.Memberships)}
			for table, n := range rows {
				if got[table] != n || n == 0 {
					t.Errorf("%s: export holds %d rows, the table %d", table, got[table], n)
				}
			}
			if n := e.count(t, `SELECT COUNT(*) FROM person_actions WHERE person_id = ?`, s.id); len(x.Actions) != n {
				t.Errorf("actions: export %d, table %d", len(x.Actions), n)
			}
			if x.Account == nil || x.Account.Email != subjEmail || len(x.Lists) != 1 || x.Person.Address.Postcode != "N16 7XY" ||
				x.Person.CustomFields["nickname"] == "" || x.Donations[0].ExternalID != "ch_zeb" {
				t.Errorf("export = %+v", x)
			}
			js, err := json.Marshal(x)
			if err != nil || !strings.Contains(string(js), "Zebedee prefers evenings") {
				t.Errorf("JSON: %v", err)
			}
		})
		t.Run("ErrOthers", func(t *testing.T) {
			_, err := e.svc.ExportData(as("x", auth.RoleMember), s.id)
			wantCode(t, err, errs.NotFound)
			_, err = e.svc.ExportData(context.Background(), s.id)
			wantCode(t, err, errs.Unauthorized)
		})
	})
}

// residue lists every column of every table holding one of the needles.
func residue(t *testing.T, d *db.DB, needles []string) []string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
	}
	var tables []string
	if err := eachRow(ctx, d.Q(), q, nil, func(r *sql.Rows) error {
		var n string
		tables = append(tables, n)
		return r.Scan(&tables[len(tables)-1])
	}); err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, table := range tables {
		rows, err := d.Query(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			for i, v := range vals {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				s = strings.ToLower(s)
				for _, n := range needles {
					if strings.Contains(s, n) {
						found = append(found, table+"."+cols[i]+" holds "+n)
					}
				}
			}
		}
		rows.Close()
	}
	return found
}

func TestErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSubject(t, e)
		other := e.named(t, "Quinn", "Other") // unrelated: must keep everything
		needles := []string{"zebedee", "quattlebaum", subjEmail, subjEmail2, subjPhone, "7700900555", "n16 7xy", "n167xy", "ch_zeb"}
		if found := residue(t, d, needles); len(found) < 10 {
			t.Fatalf("before erasure the scan finds only %v: it would prove nothing", found)
		}
		type figures struct{ ladder, membership map[string]int }
		measure := func() figures {
			f := figures{map[string]int{}, map[string]int{}}
			for _, l := range Ladder {
				f.ladder[l], _ = e.svc.Count(e.admin, Filter{Ladder: []string{l}})
			}
			for _, m := range []string{StatusSupporter, StatusMember, StatusLapsed} {
				f.membership[m], _ = e.svc.Count(e.admin, Filter{MembershipStatus: m})
			}
			f.ladder["group"] = e.count(t, `SELECT COUNT(*) FROM group_members WHERE group_id = ? AND status = 'active'`, s.groupID)
			f.ladder["donated"] = e.count(t, `SELECT SUM(amount_pence) FROM donations`)
			f.ladder["actions"] = e.count(t, `SELECT COUNT(*) FROM person_actions WHERE kind = 'meeting.spoke'`)
			return f
		}
		before := measure()

		if err := e.svc.Erase(s.self, s.id); err != nil {
			t.Fatal(err)
		}
		t.Run("NoPersonalValueRemains", func(t *testing.T) {
			if found := residue(t, d, needles); len(found) > 0 {
				t.Fatalf("after erasure:\n%s", strings.Join(found, "\n"))
			}
		})
		t.Run("FiguresUnchanged", func(t *testing.T) {
			after := measure()
			for k, v := range before.ladder {
				if after.ladder[k] != v {
					t.Errorf("%s: %d before, %d after", k, v, after.ladder[k])
				}
			}
			for k, v := range before.membership {
				if after.membership[k] != v {
					t.Errorf("membership %s: %d before, %d after", k, v, after.membership[k])
				}
			}
		})
		t.Run("RecordAnonymised", func(t *testing.T) {
			p, err := e.svc.Get(e.admin, s.id)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Erased() || p.Name() != "" || p.Address.District != "N16" || p.Ladder != LadderOrganiser || p.HasConsent(ChannelEmail) {
				t.Fatalf("erased record = %+v", p)
			}
			o, _ := e.svc.Get(e.admin, other.ID)
			if o.Name() != "Quinn Other" || o.Email != "quinn.other@example.org" {
				t.Fatalf("an unrelated person changed: %+v", o)
			}
			wantCode(t, e.svc.Erase(e.admin, s.id), "") // erasing twice does nothing
			_, err = e.svc.Update(e.admin, s.id, Input{GivenName: "Back"})
			wantCode(t, err, errs.Conflict)
		})
		t.Run("ErrOthers", func(t *testing.T) {
			wantCode(t, e.svc.Erase(as("x", auth.RoleMember), other.ID), errs.NotFound)
		})
	})
}

func TestRetentionCandidates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		now := e.clock.Now()
		e.clock.Advance(-4 * 365 * 24 * time.Hour)
		e.named(t, "Stale", "Supporter")
		consented := e.named(t, "Still", "Consenting")
		e.consent(t, consented.ID, ChannelPost)
		member := e.named(t, "Old", "Member")
		if err := e.svc.SetMembership(e.admin, member.ID, StatusMember); err != nil {
			t.Fatal(err)
		}
		recent := e.named(t, "Recently", "Seen")
		e.clock.Advance(now.Sub(e.clock.Now()))
		if err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return e.svc.RecordAction(context.Background(), tx, Action{PersonID: recent.ID, Kind: "email.clicked", Summary: "x"})
		}); err != nil {
			t.Fatal(err)
		}
		e.named(t, "Brand", "New")
		tests := []struct {
			name  string
			years int
			want  []string
		}{
			{"ThreeYears", 3, []string{"Stale Supporter"}},
			{"FiveYears", 5, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ps, err := e.svc.RetentionCandidates(e.admin, tc.years, "", 50)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(ps); strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Fatalf("candidates = %v, want %v", got, tc.want)
				}
			})
		}
		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := e.svc.RetentionCandidates(e.admin, 0, "", 10)
			wantField(t, err, "years", "1 to 100")
			_, err = e.svc.RetentionCandidates(as("x", auth.RoleMember), 3, "", 10)
			wantCode(t, err, errs.Forbidden)
		})
	})
}
