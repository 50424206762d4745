package groups

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

const day = 24 * time.Hour

func TestMarkDormant(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		t0 := e.clock.Now()
		quiet := e.group(t, "Quiet Hackney", JoinOpen, "E8")
		busy := e.group(t, "Busy Islington", JoinOpen, "N1")
		ann := e.person(t, "Ann Organiser", auth.RoleMember)
		bea := e.person(t, "Bea Organiser", auth.RoleMember)
		mem := e.person(t, "Mia Member", auth.RoleMember)
		e.member(t, quiet, ann, RoleOrganiser, MemberActive, false)
		e.member(t, quiet, bea, RoleOrganiser, MemberActive, false)
		e.member(t, quiet, mem, RoleMember, MemberActive, false)
		e.clock.Advance(100 * day)
		touch(t, e, busy.ID)

		t.Run("MemberMayNotRunIt", func(t *testing.T) {
			_, err := e.svc.MarkDormant(mem.ctx, t0.Add(200*day), 180*day)
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("QuietGroupTurnsDormant", func(t *testing.T) {
			gs, err := e.svc.MarkDormant(auth.WithSystem(context.Background()), t0.Add(200*day), 180*day)
			if err != nil || len(gs) != 1 || gs[0].ID != quiet.ID || gs[0].Status != StatusDormant {
				t.Fatalf("MarkDormant = %+v, %v", gs, err)
			}
			g, _ := e.svc.Get(e.anyone, quiet.ID)
			if g.Status != StatusDormant || !g.DormantAt.Equal(t0.Add(200*day)) {
				t.Fatalf("stored: %s at %v", g.Status, g.DormantAt)
			}
			if b, _ := e.svc.Get(e.anyone, busy.ID); b.Status != StatusActive {
				t.Fatalf("busy group is %s", b.Status)
			}
		})
		t.Run("OrganisersAndAdminsTold", func(t *testing.T) {
			want := []string{ann.Email + ": Quiet Hackney has gone quiet", bea.Email + ": Quiet Hackney has gone quiet"}
			if got := e.mails(t, "groups.dormant"); !slices.Equal(got, want) {
				t.Fatalf("organisers told: %q, want %q", got, want)
			}
			want = []string{e.admin.Email + ": 1 group(s) turned dormant"}
			if got := e.mails(t, "groups.dormant_digest"); !slices.Equal(got, want) {
				t.Fatalf("admin digest: %q, want %q", got, want)
			}
		})
		t.Run("SecondRunTellsNobody", func(t *testing.T) {
			gs, err := e.svc.MarkDormant(auth.WithSystem(context.Background()), t0.Add(201*day), 180*day)
			if digests := e.mails(t, "groups.dormant_digest"); err != nil || len(gs) != 0 || len(digests) != 1 {
				t.Fatalf("second run: %d groups, digests %q, %v", len(gs), digests, err)
			}
		})
		t.Run("ActivityWakesIt", func(t *testing.T) {
			touch(t, e, quiet.ID)
			g, _ := e.svc.Get(e.anyone, quiet.ID)
			if g.Status != StatusActive || !g.DormantAt.IsZero() || !g.LastActivityAt.Equal(e.clock.Now()) {
				t.Fatalf("after activity: %s, dormant %v, last %v", g.Status, g.DormantAt, g.LastActivityAt)
			}
		})
		t.Run("Job", func(t *testing.T) {
			w := &DormantWorker{Svc: e.svc, Now: func() time.Time { return e.clock.Now().Add(365 * day) }}
			if err := w.Work(context.Background(), &river.Job[DormantArgs]{Args: DormantArgs{AfterDays: 180}}); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{quiet.ID, busy.ID} {
				if g, _ := e.svc.Get(e.anyone, id); g.Status != StatusDormant {
					t.Fatalf("%s is %s after the job", g.Name, g.Status)
				}
			}
		})
	})
}

func touch(t *testing.T, e *env, groupID string) {
	t.Helper()
	if err := e.d.InTx(context.Background(), func(tx *db.Tx) error { return e.svc.Touch(context.Background(), tx, groupID) }); err != nil {
		t.Fatal(err)
	}
}

func TestRevive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		into := e.group(t, "Hackney Central", JoinOpen, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		e.clock.Advance(200 * day)
		if _, err := e.svc.MarkDormant(e.admin.ctx, e.clock.Now(), 180*day); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name string
			run  func() error
			want errs.Code
			// status is g's status afterwards.
			status string
		}{
			{"OrganiserRevivesDormant", func() error { return e.svc.Revive(org.ctx, g.ID) }, "", StatusActive},
			{"AlreadyActive", func() error { return e.svc.Revive(org.ctx, g.ID) }, errs.Conflict, StatusActive},
			{"Archive", func() error { return e.svc.Archive(e.admin.ctx, g.ID) }, "", StatusArchived},
			{"OrganiserCannotUnarchive", func() error { return e.svc.Revive(org.ctx, g.ID) }, errs.Forbidden, StatusArchived},
			{"AdminUnarchives", func() error { return e.svc.Revive(e.admin.ctx, g.ID) }, "", StatusActive},
			{"Merge", func() error { return e.svc.Merge(e.admin.ctx, g.ID, into.ID) }, "", StatusArchived},
			{"MergedCannotBeRevived", func() error { return e.svc.Revive(e.admin.ctx, g.ID) }, errs.Conflict, StatusArchived},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				wantCode(t, s.run(), s.want)
				if got, _ := e.svc.Get(e.anyone, g.ID); got.Status != s.status {
					t.Fatalf("status %s, want %s", got.Status, s.status)
				}
			})
		}
		if n := e.auditCount(t, "group.revived", g.ID); n != 2 {
			t.Fatalf("%d group.revived audit entries, want 2", n)
		}
	})
}

func TestArchiveIsReadOnlyButFindable(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Old Hackney", JoinOpen, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		mem := e.person(t, "Mia Member", auth.RoleMember)
		asker := e.person(t, "Rae Requested", auth.RoleMember)
		invitee := e.person(t, "Ivy Invited", auth.RoleMember)
		newcomer := e.person(t, "Nia Newcomer", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		e.member(t, g, mem, RoleMember, MemberActive, true)
		e.member(t, g, asker, RoleMember, MemberRequested, false)
		e.member(t, g, invitee, RoleMember, MemberInvited, false)
		wantCode(t, e.svc.Archive(org.ctx, g.ID), errs.Forbidden)
		wantCode(t, e.svc.Archive(e.admin.ctx, g.ID), "")
		wantCode(t, e.svc.Archive(e.admin.ctx, g.ID), errs.Conflict)
		for _, tc := range []struct {
			name string
			run  func() error
		}{
			{"Join", func() error { _, err := e.svc.Join(newcomer.ctx, g.ID); return err }},
			{"Invite", func() error { return e.svc.Invite(org.ctx, g.ID, newcomer.PersonID) }},
			{"InviteByEmail", func() error { return e.svc.InviteByEmail(org.ctx, g.ID, newcomer.Email) }},
			{"SetRole", func() error { return e.svc.SetRole(org.ctx, g.ID, mem.PersonID, RoleModerator) }},
			{"RequestDecision", func() error { return e.svc.RequestDecision(org.ctx, g.ID, asker.PersonID, true) }},
			{"AcceptInvite", func() error { return e.svc.AcceptInvite(invitee.ctx, g.ID) }},
			{"Update", func() error {
				_, err := e.svc.Update(org.ctx, g.ID, Input{Name: "New name", Kind: KindLocal, Districts: []string{"E8"}})
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.run()
				wantCode(t, err, errs.Conflict)
				wantMessage(t, err, "This group is archived")
			})
		}
		t.Run("Findable", func(t *testing.T) {
			if got, err := e.svc.GetBySlug(e.anyone, "old-hackney"); err != nil || got.Status != StatusArchived || got.MemberCount != 2 {
				t.Fatalf("GetBySlug = %+v, %v", got, err)
			}
			list, err := e.svc.List(e.anyone, Filter{Text: "old"})
			if err != nil || len(list) != 1 || list[0].ID != g.ID {
				t.Fatalf("List = %+v, %v", list, err)
			}
			members, _, err := e.svc.Members(org.ctx, g.ID, "", 10)
			if err != nil || len(members) != 2 {
				t.Fatalf("members kept: %d, %v", len(members), err)
			}
		})
		t.Run("MembersMayStillLeave", func(t *testing.T) {
			wantCode(t, e.svc.Leave(mem.ctx, g.ID), "")
		})
	})
}

func TestMerge(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		from := e.group(t, "Hackney North", JoinOpen, "N16", "E5")
		into := e.group(t, "Hackney", JoinOpen, "E8", "E5")
		working := e.group(t, "Housing Working Group", JoinOpen)
		both := e.person(t, "Bo Both", auth.RoleMember)   // organiser in from, member in into
		only := e.person(t, "Oni Only", auth.RoleMember)  // only in from
		keep := e.person(t, "Kay Keeps", auth.RoleMember) // requested in from, moderator in into
		e.member(t, from, both, RoleOrganiser, MemberActive, true)
		e.member(t, into, both, RoleMember, MemberActive, false)
		e.member(t, from, only, RoleModerator, MemberActive, true)
		e.member(t, from, keep, RoleMember, MemberRequested, false)
		e.member(t, into, keep, RoleModerator, MemberActive, true)
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return e.people.RecordAction(context.Background(), tx, people.Action{PersonID: only.PersonID, Kind: "event.attended",
				Summary: "Attended the March meeting", GroupID: from.ID, At: e.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("Refusals", func(t *testing.T) {
			wantCode(t, e.svc.Merge(both.ctx, from.ID, into.ID), errs.Forbidden)
			for name, target := range map[string]string{"Itself": from.ID, "OtherKind": working.ID, "Unknown": db.NewID()} {
				if err := e.svc.Merge(e.admin.ctx, from.ID, target); errs.FieldsOf(err)["into"] == "" {
					t.Errorf("%s: %v, want an error on the into field", name, err)
				}
			}
		})
		wantCode(t, e.svc.Merge(e.admin.ctx, from.ID, into.ID), "")
		for _, tc := range []struct {
			name       string
			p          person
			wantStatus string
			wantRole   string
		}{
			{"HigherRoleKept", both, MemberActive, RoleOrganiser},
			{"OnlyInSourceMoves", only, MemberActive, RoleModerator},
			{"StrongerStatusKept", keep, MemberActive, RoleModerator},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if st, role := e.status(t, into, tc.p); st != tc.wantStatus || role != tc.wantRole {
					t.Fatalf("in target: %s %s, want %s %s", st, role, tc.wantStatus, tc.wantRole)
				}
				if st, _ := e.status(t, from, tc.p); st != "" {
					t.Fatalf("still in source as %s", st)
				}
			})
		}
		t.Run("Districts", func(t *testing.T) {
			g, _ := e.svc.Get(e.anyone, into.ID)
			if !slices.Equal(g.Districts, []string{"E5", "E8", "N16"}) || g.MemberCount != 3 {
				t.Fatalf("target districts %q, %d members", g.Districts, g.MemberCount)
			}
		})
		t.Run("SourceArchivedAndPointsOn", func(t *testing.T) {
			g, _ := e.svc.Get(e.anyone, from.ID)
			if g.Status != StatusArchived || g.MergedInto != into.ID || g.MergedIntoSlug != "hackney" || len(g.Districts) != 0 {
				t.Fatalf("source after merge: %+v", g)
			}
		})
		t.Run("HistoryMoves", func(t *testing.T) {
			items, err := e.svc.Activity(e.admin.ctx, into.ID, 20)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, it := range items {
				texts = append(texts, it.Text)
			}
			for _, want := range []string{"Hackney North merged into this group.", "Oni Only: Attended the March meeting"} {
				if !slices.Contains(texts, want) {
					t.Fatalf("target activity %q lacks %q", texts, want)
				}
			}
		})
		t.Run("Audited", func(t *testing.T) {
			if e.auditCount(t, "group.merged", from.ID) != 1 || e.auditCount(t, "group.merged_in", into.ID) != 1 {
				t.Fatal("merge not audited on both groups")
			}
		})
		t.Run("SourceIsNowReadOnly", func(t *testing.T) {
			wantCode(t, e.svc.Merge(e.admin.ctx, from.ID, into.ID), errs.Conflict)
		})
	})
}
