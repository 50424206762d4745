package people

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestConsent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		userID, id, self := e.account(t, "con@example.org", "Con Sent", auth.RoleSupporter)
		has := func(ch string) bool {
			t.Helper()
			ok, err := e.svc.HasConsent(e.admin, d.Q(), id, ch)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		t.Run("Grant", func(t *testing.T) {
			err := e.svc.SetConsent(self, id, Consent{Channel: ChannelEmail, Status: ConsentGranted, Source: "signup form",
				Wording: "Send me news about the campaign."})
			if err != nil {
				t.Fatal(err)
			}
			if !has(ChannelEmail) || has(ChannelSMS) {
				t.Fatal("email consent not granted, or sms granted")
			}
			p, _ := e.svc.Get(self, id)
			if c := p.Consents[ChannelEmail]; c.Wording != "Send me news about the campaign." || c.Source != "signup form" {
				t.Fatalf("consent = %+v", c)
			}
		})
		t.Run("WithdrawHonouredAtOnce", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			err := e.svc.SetConsent(e.admin, id, Consent{Channel: ChannelEmail, Status: ConsentWithdrawn, Source: "unsubscribe link"})
			if err != nil {
				t.Fatal(err)
			}
			if has(ChannelEmail) {
				t.Fatal("still granted after withdrawal")
			}
			n, _ := e.svc.Count(e.admin, Filter{Consent: ChannelEmail})
			if n != 0 {
				t.Fatalf("consent filter counts %d", n)
			}
		})
		t.Run("OlderChangeDoesNotOverride", func(t *testing.T) {
			err := e.svc.SetConsent(e.admin, id, Consent{Channel: ChannelEmail, Status: ConsentGranted, Source: "import: old.csv",
				Wording: "Old form", ChangedAt: e.clock.Now().AddDate(-1, 0, 0)})
			if err != nil {
				t.Fatal(err)
			}
			if has(ChannelEmail) {
				t.Fatal("a year-old grant overrode a recent withdrawal")
			}
		})
		t.Run("HistoryKept", func(t *testing.T) {
			h, err := e.svc.ConsentHistory(as(userID, auth.RoleSupporter), id)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 3 {
				t.Fatalf("%d history rows, want 3: %+v", len(h), h)
			}
			// Oldest first: the back-dated import, the grant, the withdrawal.
			if h[0].Source != "import: old.csv" || h[1].Status != ConsentGranted || h[1].ActorLabel != userID+"@label" ||
				h[2].Status != ConsentWithdrawn || h[2].ActorLabel != "admin@example.org" {
				t.Fatalf("history = %+v", h)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			err := e.svc.SetConsent(e.admin, id, Consent{Channel: "pigeon", Status: "maybe"})
			for _, f := range []string{"channel", "status", "source"} {
				wantField(t, err, f, "")
			}
			err = e.svc.SetConsent(e.admin, id, Consent{Channel: ChannelSMS, Status: ConsentGranted, Source: "form"})
			wantField(t, err, "wording", "wording")
		})
		t.Run("ErrOtherMember", func(t *testing.T) {
			err := e.svc.SetConsent(as("x", auth.RoleMember), id, Consent{Channel: ChannelSMS, Status: ConsentWithdrawn, Source: "x"})
			wantCode(t, err, errs.NotFound)
		})
	})
}

func TestTagsAndNotes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ga, gb := e.group(t, "a"), e.group(t, "b")
		_, orgA, ctxA := e.account(t, "orga@example.org", "Org A", auth.RoleMember)
		e.join(t, ga, orgA, "organiser", "active")
		_, orgB, ctxB := e.account(t, "orgb@example.org", "Org B", auth.RoleMember)
		e.join(t, gb, orgB, "organiser", "active")
		p := e.named(t, "Both", "Groups")
		e.join(t, ga, p.ID, "member", "active")
		e.join(t, gb, p.ID, "member", "active")
		outsider := e.named(t, "Out", "Sider")
		t.Run("TagsCaseInsensitive", func(t *testing.T) {
			for _, tag := range []string{"Volunteer", "volunteer ", "Canvasser"} {
				if err := e.svc.Tag(ctxA, p.ID, tag); err != nil {
					t.Fatal(err)
				}
			}
			tags, err := e.svc.ListTags(e.admin)
			if err != nil || len(tags) != 2 || tags[1].Name != "Volunteer" || tags[1].Count != 1 {
				t.Fatalf("tags = %+v, %v", tags, err)
			}
			if err := e.svc.Untag(ctxA, p.ID, "CANVASSER"); err != nil {
				t.Fatal(err)
			}
			got, _ := e.svc.Get(e.admin, p.ID)
			if len(got.Tags) != 1 || got.Tags[0] != "Volunteer" {
				t.Fatalf("tags = %v", got.Tags)
			}
			wantCode(t, e.svc.Tag(ctxA, outsider.ID, "x"), errs.NotFound)
			wantField(t, e.svc.Tag(ctxA, p.ID, "a,b"), "tag", "commas")
			_, err = e.svc.ListTags(ctxA)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("NotesByGroup", func(t *testing.T) {
			if _, err := e.svc.AddNote(ctxA, p.ID, ga, "Keen on housing."); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.AddNote(ctxB, p.ID, gb, "Can drive."); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.AddNote(e.admin, p.ID, "", "Admin only."); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.AddNote(ctxA, p.ID, gb, "Wrong group.")
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.AddNote(ctxA, p.ID, ga, "  ")
			wantField(t, err, "body", "note")
			tests := []struct {
				name string
				ctx  context.Context
				want []string
			}{
				{"OrganiserOfA", ctxA, []string{"Keen on housing."}},
				{"OrganiserOfB", ctxB, []string{"Can drive."}},
				{"Admin", e.admin, []string{"Admin only.", "Can drive.", "Keen on housing."}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					ns, err := e.svc.Notes(tc.ctx, p.ID)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, n := range ns {
						got = append(got, n.Body)
					}
					if len(got) != len(tc.want) {
						t.Fatalf("notes = %v, want %v", got, tc.want)
					}
					for i := range got {
						if got[i] != tc.want[i] {
							t.Fatalf("notes = %v, want %v", got, tc.want)
						}
					}
				})
			}
		})
	})
}
