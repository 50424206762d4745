package people

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestMatch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		p := e.mustPerson(t, Input{GivenName: "Mat", Email: "mat@example.org", Phone: "07700 900400"})
		if _, err := e.svc.Update(e.admin, p.ID, Input{GivenName: "Mat", Email: "mat@new.example", Phone: "07700 900400"}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, email, phone string
			ctx                context.Context
			code               errs.Code
		}{
			{"ByOldEmail", "MAT@example.org", "", e.admin, ""},
			{"ByPrimaryEmail", "mat@new.example", "", e.admin, ""},
			{"ByPhoneAsTyped", "", "07700900400", e.admin, ""},
			{"EmailBeforePhone", "nobody@example.org", "+447700900400", e.admin, ""},
			{"ByPhoneWithTrunkZeroInBrackets", "", "+44 (0)7700 900400", e.admin, ""},
			{"ByPhoneWithDoubleZero", "", "0044 7700-900-400", e.admin, ""},
			{"ByPhoneWithoutPlus", "", "44 7700 900400", e.admin, ""},
			{"ErrNoMatch", "nobody@example.org", "07700900999", e.admin, errs.NotFound},
			{"ErrMember", "mat@example.org", "", as("x", auth.RoleMember), errs.Forbidden},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				id, err := e.svc.Match(tc.ctx, tc.email, tc.phone)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				if err != nil || id != p.ID {
					t.Fatalf("Match = %q, %v; want %s", id, err, p.ID)
				}
			})
		}
	})
}

func TestDonationsVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "g")
		_, org, orgCtx := e.account(t, "org@example.org", "Org O", auth.RoleMember)
		e.join(t, g, org, "organiser", "active")
		userID, id, _ := e.account(t, "giver@example.org", "Gi Ver", auth.RoleSupporter)
		e.join(t, g, id, "member", "active")
		if err := e.svc.AddDonation(e.admin, id, Donation{AmountPence: 1234, Currency: "gbp"}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			ctx  context.Context
			code errs.Code
		}{
			{"Admin", e.admin, ""},
			{"Self", as(userID, auth.RoleSupporter), ""},
			{"ErrOrganiser", orgCtx, errs.Forbidden},
			{"ErrStranger", as("x", auth.RoleMember), errs.NotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ds, err := e.svc.Donations(tc.ctx, id)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				if err != nil || len(ds) != 1 || ds[0].AmountPence != 1234 || ds[0].Currency != "GBP" {
					t.Fatalf("donations = %+v, %v", ds, err)
				}
			})
		}
		acts, _ := e.svc.Timeline(e.admin, id, "", 10)
		for _, a := range acts {
			if a.Kind == "donation" && a.Summary != "£12.34" {
				t.Fatalf("donation on the timeline reads %q", a.Summary)
			}
		}
		if countKind(acts, "donation") != 1 {
			t.Fatalf("timeline = %+v", acts)
		}
	})
}
