package groups

import (
	"context"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestGroupRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		other := e.group(t, "Islington", JoinOpen, "N1")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		mod := e.person(t, "Mo Moderator", auth.RoleMember)
		mem := e.person(t, "Mia Member", auth.RoleMember)
		asked := e.person(t, "Rae Requested", auth.RoleSupporter)
		gone := e.person(t, "Lee Left", auth.RoleMember)
		stranger := e.person(t, "Sam Stranger", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		e.member(t, g, mod, RoleModerator, MemberActive, false)
		e.member(t, g, mem, RoleMember, MemberActive, false)
		e.member(t, g, asked, RoleMember, MemberRequested, false)
		e.member(t, g, gone, RoleOrganiser, MemberLeft, false)
		e.member(t, other, stranger, RoleOrganiser, MemberActive, false)
		for _, tc := range []struct {
			name, userID, want string
		}{
			{"Organiser", org.UserID, RoleOrganiser},
			{"Moderator", mod.UserID, RoleModerator},
			{"Member", mem.UserID, RoleMember},
			{"RequestedIsNone", asked.UserID, ""},
			{"LeftIsNone", gone.UserID, ""},
			{"OrganiserOfAnotherGroup", stranger.UserID, ""},
			{"NoPersonRecord", db.NewID(), ""},
			{"Anonymous", "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.GroupRole(context.Background(), tc.userID, g.ID)
				if err != nil || got != tc.want {
					t.Fatalf("GroupRole = %q, %v; want %q", got, err, tc.want)
				}
			})
		}
	})
}

func TestJoin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		open := e.group(t, "Open Hackney", JoinOpen, "E8")
		ask := e.group(t, "Ask Hackney", JoinRequest, "E8")
		inv := e.group(t, "Invited Hackney", JoinInvite, "E8")
		closed := e.group(t, "Closed Hackney", JoinOpen, "E8")
		if err := e.svc.Archive(e.admin.ctx, closed.ID); err != nil {
			t.Fatal(err)
		}
		newcomer := e.person(t, "Nia Newcomer", auth.RoleSupporter)
		invited := e.person(t, "Ivy Invited", auth.RoleSupporter)
		e.member(t, inv, invited, RoleMember, MemberInvited, false)
		for _, tc := range []struct {
			name       string
			ctx        context.Context
			group      *Group
			wantStatus string
			wantCode   errs.Code
		}{
			{"OpenJoinsAtOnce", newcomer.ctx, open, MemberActive, ""},
			{"OpenTwiceIsHarmless", newcomer.ctx, open, MemberActive, ""},
			{"RequestWaits", newcomer.ctx, ask, MemberRequested, ""},
			{"RequestTwiceStillWaits", newcomer.ctx, ask, MemberRequested, ""},
			{"InviteOnlyRefused", newcomer.ctx, inv, "", errs.Forbidden},
			{"InvitedJoins", invited.ctx, inv, MemberActive, ""},
			{"ArchivedRefused", newcomer.ctx, closed, "", errs.Conflict},
			{"AnonymousRefused", e.anyone, open, "", errs.Unauthorized},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.Join(tc.ctx, tc.group.ID)
				wantCode(t, err, tc.wantCode)
				if got != tc.wantStatus {
					t.Fatalf("status %q, want %q", got, tc.wantStatus)
				}
			})
		}
		if st, _ := e.status(t, open, newcomer); st != MemberActive {
			t.Fatalf("stored status %q", st)
		}
		_, err := e.svc.Join(newcomer.ctx, closed.ID)
		wantMessage(t, err, "This group is archived")
		if n := e.auditCount(t, "group.joined", open.ID); n != 1 {
			t.Fatalf("%d group.joined audit entries, want 1 (joining twice is not a second join)", n)
		}
		var actions int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM person_actions WHERE person_id = ? AND kind = 'group.joined'`,
			newcomer.PersonID).Scan(&actions); err != nil || actions != 1 {
			t.Fatalf("timeline has %d joins (%v), want 1: a request is not a join", actions, err)
		}
	})
}

func TestJoinCreatesPersonForAccountWithoutOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		userID, now := db.NewID(), db.Now()
		if _, err := d.Exec(context.Background(), `INSERT INTO users (id, email, name, role, created_at, updated_at)
			VALUES (?, 'fresh@example.org', 'Fresh Face', 'supporter', ?, ?)`, userID, now, now); err != nil {
			t.Fatal(err)
		}
		ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: userID, Role: auth.RoleSupporter})
		if _, err := e.svc.Join(ctx, g.ID); err != nil {
			t.Fatal(err)
		}
		if role, err := e.svc.GroupRole(ctx, userID, g.ID); err != nil || role != RoleMember {
			t.Fatalf("role %q, %v; want member", role, err)
		}
		mine, err := e.svc.MyGroups(ctx)
		if err != nil || len(mine) != 1 || mine[0].Group.Name != "Hackney" || mine[0].Group.MemberCount != 1 {
			t.Fatalf("MyGroups = %+v, %v", mine, err)
		}
	})
}

func TestRequestDecision(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinRequest, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		ann := e.person(t, "Ann Asker", auth.RoleSupporter)
		bob := e.person(t, "Bob Asker", auth.RoleSupporter)
		for _, p := range []person{ann, bob} {
			if st, err := e.svc.Join(p.ctx, g.ID); err != nil || st != MemberRequested {
				t.Fatalf("join: %q, %v", st, err)
			}
		}
		pending, _, err := e.svc.Pending(org.ctx, g.ID, "", 10)
		if err != nil || len(pending) != 2 {
			t.Fatalf("Pending = %d, %v; want 2", len(pending), err)
		}
		t.Run("Approve", func(t *testing.T) {
			wantCode(t, e.svc.RequestDecision(org.ctx, g.ID, ann.PersonID, true), "")
			if st, role := e.status(t, g, ann); st != MemberActive || role != RoleMember {
				t.Fatalf("after approval: %s %s", st, role)
			}
		})
		t.Run("Reject", func(t *testing.T) {
			wantCode(t, e.svc.RequestDecision(org.ctx, g.ID, bob.PersonID, false), "")
			if st, _ := e.status(t, g, bob); st != "" {
				t.Fatalf("after rejection: %q, want no row", st)
			}
		})
		t.Run("RejectedMayAskAgain", func(t *testing.T) {
			if st, err := e.svc.Join(bob.ctx, g.ID); err != nil || st != MemberRequested {
				t.Fatalf("join again: %q, %v", st, err)
			}
		})
		t.Run("NoSuchRequest", func(t *testing.T) {
			wantCode(t, e.svc.RequestDecision(org.ctx, g.ID, ann.PersonID, true), errs.NotFound)
		})
		t.Run("MemberCannotDecide", func(t *testing.T) {
			wantCode(t, e.svc.RequestDecision(ann.ctx, g.ID, bob.PersonID, true), errs.Forbidden)
		})
	})
}

func TestInviteAndAccept(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinInvite, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		ivy := e.person(t, "Ivy Invited", auth.RoleSupporter)
		t.Run("InviteByEmail", func(t *testing.T) {
			wantCode(t, e.svc.InviteByEmail(org.ctx, g.ID, "  IVY.INVITED@example.org "), "")
			if st, _ := e.status(t, g, ivy); st != MemberInvited {
				t.Fatalf("status %q, want invited", st)
			}
		})
		t.Run("InvitationOnDashboard", func(t *testing.T) {
			mine, err := e.svc.MyGroups(ivy.ctx)
			if err != nil || len(mine) != 1 || mine[0].Status != MemberInvited {
				t.Fatalf("MyGroups = %+v, %v", mine, err)
			}
		})
		t.Run("Accept", func(t *testing.T) {
			wantCode(t, e.svc.AcceptInvite(ivy.ctx, g.ID), "")
			if role, _ := e.svc.GroupRole(ivy.ctx, ivy.UserID, g.ID); role != RoleMember {
				t.Fatalf("role %q after accepting", role)
			}
		})
		t.Run("AcceptTwice", func(t *testing.T) {
			wantCode(t, e.svc.AcceptInvite(ivy.ctx, g.ID), errs.NotFound)
		})
		t.Run("InviteMember", func(t *testing.T) {
			wantCode(t, e.svc.Invite(org.ctx, g.ID, ivy.PersonID), errs.Conflict)
		})
		t.Run("UnknownEmail", func(t *testing.T) {
			err := e.svc.InviteByEmail(org.ctx, g.ID, "nobody@example.org")
			if errs.FieldsOf(err)["email"] == "" {
				t.Fatalf("error %v, want one on the email field", err)
			}
		})
		t.Run("NotAnEmail", func(t *testing.T) {
			err := e.svc.InviteByEmail(org.ctx, g.ID, "ivy at example")
			if errs.FieldsOf(err)["email"] == "" {
				t.Fatalf("error %v, want one on the email field", err)
			}
		})
		t.Run("UnknownPerson", func(t *testing.T) {
			wantCode(t, e.svc.Invite(org.ctx, g.ID, db.NewID()), errs.NotFound)
		})
		t.Run("InvitingARequesterApproves", func(t *testing.T) {
			ask := e.group(t, "Ask", JoinRequest, "E8")
			e.member(t, ask, org, RoleOrganiser, MemberActive, false)
			ray := e.person(t, "Ray Requester", auth.RoleSupporter)
			if _, err := e.svc.Join(ray.ctx, ask.ID); err != nil {
				t.Fatal(err)
			}
			wantCode(t, e.svc.Invite(org.ctx, ask.ID, ray.PersonID), "")
			if st, _ := e.status(t, ask, ray); st != MemberActive {
				t.Fatalf("status %q, want active", st)
			}
		})
	})
}

func TestLeaveAndLastOrganiser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		mem := e.person(t, "Mia Member", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		e.member(t, g, mem, RoleMember, MemberActive, true)
		steps := []struct {
			name string
			run  func() error
			want errs.Code
		}{
			{"LastOrganiserCannotLeave", func() error { return e.svc.Leave(org.ctx, g.ID) }, errs.Conflict},
			{"LastOrganiserCannotStepDown", func() error { return e.svc.SetRole(org.ctx, g.ID, org.PersonID, RoleMember) }, errs.Conflict},
			{"AdminCannotDemoteLastOrganiserEither", func() error { return e.svc.SetRole(e.admin.ctx, g.ID, org.PersonID, RoleModerator) }, errs.Conflict},
			{"PromoteAnother", func() error { return e.svc.SetRole(org.ctx, g.ID, mem.PersonID, RoleOrganiser) }, ""},
			{"NowMayLeave", func() error { return e.svc.Leave(org.ctx, g.ID) }, ""},
			{"LeaveTwice", func() error { return e.svc.Leave(org.ctx, g.ID) }, errs.NotFound},
			{"SoleMemberOrganiserMayLeave", func() error { return e.svc.Leave(mem.ctx, g.ID) }, ""},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) { wantCode(t, s.run(), s.want) })
		}
		if st, role := e.status(t, g, org); st != MemberLeft || role != RoleMember {
			t.Fatalf("leaver: %s %s, want left member", st, role)
		}
		if role, _ := e.svc.GroupRole(context.Background(), org.UserID, g.ID); role != "" {
			t.Fatalf("leaver still has role %q", role)
		}
	})
}

func TestSetRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		mem := e.person(t, "Mia Member", auth.RoleMember)
		out := e.person(t, "Oscar Outsider", auth.RoleMember)
		e.member(t, g, org, RoleOrganiser, MemberActive, false)
		e.member(t, g, mem, RoleMember, MemberActive, false)
		for _, tc := range []struct {
			name     string
			ctx      context.Context
			personID string
			role     string
			want     errs.Code
			wantRole string
		}{
			{"OrganiserMakesModerator", org.ctx, mem.PersonID, RoleModerator, "", RoleModerator},
			{"SameRoleIsNoChange", org.ctx, mem.PersonID, RoleModerator, "", RoleModerator},
			{"UnknownRole", org.ctx, mem.PersonID, "boss", errs.Invalid, RoleModerator},
			{"NotAMember", org.ctx, out.PersonID, RoleModerator, errs.NotFound, ""},
			{"ModeratorCannotChangeRoles", mem.ctx, mem.PersonID, RoleOrganiser, errs.Forbidden, RoleModerator},
			{"AdminMayChangeRoles", e.admin.ctx, mem.PersonID, RoleMember, "", RoleMember},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, e.svc.SetRole(tc.ctx, g.ID, tc.personID, tc.role), tc.want)
				if _, role := e.status(t, g, person{PersonID: tc.personID}); role != tc.wantRole {
					t.Fatalf("role %q, want %q", role, tc.wantRole)
				}
			})
		}
		var details string
		if err := d.QueryRow(context.Background(), `SELECT details FROM audit_log WHERE action = 'group.role_changed' ORDER BY id LIMIT 1`).
			Scan(&details); err != nil {
			t.Fatal(err)
		}
		for _, personal := range []string{mem.Email, mem.Name, "Mia"} {
			if strings.Contains(details, personal) {
				t.Fatalf("audit details %s hold personal data %q", details, personal)
			}
		}
		if !strings.Contains(details, mem.PersonID) {
			t.Fatalf("audit details %s lack the person's id", details)
		}
	})
}
