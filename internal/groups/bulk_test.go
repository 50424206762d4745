package groups

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestAddAndImportMembers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney", JoinOpen, "E8")
		rosa := e.person(t, "Rosa Parks", auth.RoleMember)
		sam := e.person(t, "Sam Okafor", auth.RoleSupporter)
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *db.Tx) error { return e.svc.AddMember(ctx, tx, g.ID, rosa.PersonID) }); err != nil {
			t.Fatal(err)
		}
		if st, role := e.status(t, g, rosa); st != MemberActive || role != RoleMember {
			t.Fatalf("AddMember: %s %s", st, role)
		}
		if _, err := e.svc.ImportMembers(sam.ctx, []NewMember{{GroupID: g.ID, PersonID: sam.PersonID, Role: RoleMember}}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a supporter imported members: %v", err)
		}
		if _, err := e.svc.ImportMembers(e.admin.ctx, []NewMember{{GroupID: g.ID, PersonID: sam.PersonID, Role: "boss"}}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("unknown role: %v", err)
		}
		n, err := e.svc.ImportMembers(e.admin.ctx, []NewMember{{GroupID: g.ID, PersonID: sam.PersonID, Role: RoleOrganiser}, {GroupID: g.ID, PersonID: rosa.PersonID, Role: RoleModerator}})
		if err != nil || n != 2 {
			t.Fatalf("ImportMembers = %d, %v", n, err)
		}
		if role, _ := e.svc.GroupRole(ctx, sam.UserID, g.ID); role != RoleOrganiser {
			t.Fatalf("imported organiser has role %q", role)
		}
		if e.auditCount(t, "group.members_imported", g.ID) != 1 {
			t.Fatal("one audit record per group expected")
		}
	})
}
