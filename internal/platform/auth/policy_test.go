package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// fakeGroupRoles stands in for the groups domain: roles[userID][groupID].
type fakeGroupRoles map[string]map[string]string

func (f fakeGroupRoles) GroupRole(_ context.Context, userID, groupID string) (string, error) {
	if groupID == "broken" {
		return "", errors.New("database is down")
	}
	return f[userID][groupID], nil
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	p := NewPolicy()
	p.GroupRoles().Set(fakeGroupRoles{
		"org-a": {"group-a": "organiser", "group-b": "member"},
		"mod-a": {"group-a": "moderator"},
	})
	admin := &Principal{UserID: "admin", Role: RoleAdmin}
	member := &Principal{UserID: "member", Role: RoleMember, Verified: true}
	supporter := &Principal{UserID: "supporter", Role: RoleSupporter, Verified: true}
	orgA := &Principal{UserID: "org-a", Role: RoleSupporter}
	modA := &Principal{UserID: "mod-a", Role: RoleMember}
	token := &Principal{Token: true, Label: "token:hub"}
	tokenA := &Principal{TokenGroupID: "group-a", Label: "token:group-a"}
	system := &Principal{System: true}
	groupA := Resource{Kind: "group", ID: "group-a", GroupID: "group-a"}
	groupB := Resource{Kind: "group", ID: "group-b", GroupID: "group-b"}

	tests := []struct {
		name string
		who  *Principal
		act  Action
		res  Resource
		want errs.Code // "" for allowed
	}{
		{"AnonymousRefusedAsUnauthorized", nil, ActAccountView, Resource{ID: "x"}, errs.Unauthorized},
		{"GroupTokenManagesItsGroup", tokenA, ActGroupManage, groupA, ""},
		{"GroupTokenMayNotManageAnotherGroup", tokenA, ActGroupManage, groupB, errs.Forbidden},
		{"GroupTokenMayNotListUsers", tokenA, ActUsersList, Resource{}, errs.Forbidden},
		{"GroupTokenMayNotDoNetworkWideGroupAction", tokenA, ActGroupManage, Resource{Kind: "group"}, errs.Forbidden},
		{"OrganiserMayMakeTokensForOwnGroup", orgA, ActAPITokensManage, groupA, ""},
		{"OrganiserMayNotMakeNetworkTokens", orgA, ActAPITokensManage, Resource{Kind: "api_token"}, errs.Forbidden},
		{"AdminMayListUsers", admin, ActUsersList, Resource{}, ""},
		{"AdminMayDoUnlistedAction", admin, "anything.new", Resource{}, ""},
		{"TokenMaySetRoles", token, ActUsersSetRole, Resource{ID: "member"}, ""},
		{"SystemMayCreateAdmins", system, ActUsersCreate, Resource{}, ""},
		{"MemberMayNotListUsers", member, ActUsersList, Resource{}, errs.Forbidden},
		{"MemberMayNotReadAudit", member, ActAuditRead, Resource{}, errs.Forbidden},
		{"UnknownActionRefused", member, "anything.new", Resource{}, errs.Forbidden},
		{"UserMayEditOwnAccount", member, ActAccountEdit, Resource{Kind: "user", ID: "member"}, ""},
		{"UserMayNotEditOthersAccount", member, ActAccountEdit, Resource{Kind: "user", ID: "supporter"}, errs.Forbidden},
		{"EmptyResourceIDIsNotSelf", &Principal{Role: RoleMember}, ActAccountEdit, Resource{}, errs.Forbidden},
		{"UserMayViewSelf", supporter, ActUsersView, Resource{ID: "supporter"}, ""},
		{"MemberMayEnterMembersArea", member, ActMembersArea, Resource{}, ""},
		{"SupporterRefusedMembersArea", supporter, ActMembersArea, Resource{}, errs.Forbidden},
		{"OrganiserMayManageOwnGroup", orgA, ActGroupManage, groupA, ""},
		{"OrganiserOfAMayNotManageB", orgA, ActGroupManage, groupB, errs.Forbidden},
		{"ModeratorMayModerate", modA, ActGroupModerate, groupA, ""},
		{"ModeratorMayNotManage", modA, ActGroupManage, groupA, errs.Forbidden},
		{"GroupRuleNeedsGroupID", orgA, ActGroupManage, Resource{Kind: "group", ID: "group-a"}, errs.Forbidden},
		{"AdminMayManageAnyGroup", admin, ActGroupManage, groupB, ""},
		{"GroupRolesFailureIsInternal", orgA, ActGroupManage, Resource{GroupID: "broken"}, errs.Internal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := p.Can(context.Background(), tc.who, tc.act, tc.res)
			if errs.CodeOf(err) != tc.want {
				t.Fatalf("Can(%s) = %v, want code %q", tc.act, err, tc.want)
			}
			if tc.want == errs.Forbidden && errs.MessageOf(err) == "" {
				t.Fatal("refusal without a message")
			}
		})
	}

	t.Run("RefusalMessageFromRule", func(t *testing.T) {
		err := p.Can(context.Background(), supporter, ActMembersArea, Resource{})
		if got := errs.MessageOf(err); got != "This part of the network is for members. Ask an organiser about becoming one." {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("WithoutGroupRolesIsAWiringBug", func(t *testing.T) {
		// A policy whose GroupRoles hook was never set does not quietly
		// answer "no one" to group rules: it panics, naming the hook (and
		// app.New refuses to finish with the hook empty).
		bare := NewPolicy()
		if err := bare.Can(context.Background(), admin, ActGroupManage, groupA); err != nil {
			t.Fatalf("admin: err = %v", err)
		}
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "auth.Policy: group roles") {
				t.Fatalf("recovered %v, want a panic naming the hook", r)
			}
		}()
		bare.Can(context.Background(), orgA, ActGroupManage, groupA)
	})
	t.Run("VerifiedRuleRefusesUnverified", func(t *testing.T) {
		vp := &Policy{rules: map[Action]Rule{"vote.cast": {Action: "vote.cast", MinRole: RoleSupporter, Verified: true}}}
		unverified := &Principal{UserID: "u", Role: RoleMember}
		if err := vp.Can(context.Background(), unverified, "vote.cast", Resource{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("unverified: err = %v, want forbidden", err)
		}
		if err := vp.Can(context.Background(), member, "vote.cast", Resource{}); err != nil {
			t.Fatalf("verified: err = %v", err)
		}
	})
	t.Run("WithPrincipalSetsAuditActor", func(t *testing.T) {
		ctx := WithPrincipal(context.Background(), &Principal{UserID: "u1", Label: "ada@example.org"})
		if a := reqctx.ActorFrom(ctx); a.ID != "u1" || a.Label != "ada@example.org" {
			t.Fatalf("actor = %+v", a)
		}
		if PrincipalFrom(ctx).UserID != "u1" {
			t.Fatal("principal not in context")
		}
		if PrincipalFrom(context.Background()) != nil {
			t.Fatal("principal in an empty context")
		}
	})
}
