package auth

import (
	"context"
	"fmt"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Principal is who is acting, as the Policy sees it.
type Principal struct {
	UserID string
	Role   Role
	// Verified is true when the user has confirmed their email address.
	Verified bool
	// Token is true for an API token with the network_admin scope.
	Token bool
	// TokenGroupID is set for an API token scoped to one group: it acts as
	// an organiser of that group and may do nothing outside it.
	TokenGroupID string
	// System is true for the command line and background jobs. Only code
	// that runs outside any request sets it (see WithSystem).
	System bool
	// Label names the principal in the audit log: an email, "token:<name>",
	// "system".
	Label string
	// SessionID is the (hashed) id of the session the request came with, so
	// that "log out my other sessions" can spare this one. Empty for tokens.
	SessionID string
	// ConsentWording is an API token's consent wording (issue 14): the words
	// its signups agreed to, recorded with "subscribed". Empty otherwise.
	ConsentWording string
}

// Action is something a principal may try to do: "<area>.<verb>".
type Action string

// The actions the platform knows today. Domains add theirs to the rule table.
const (
	ActAdminView       Action = "admin.view"
	ActUsersList       Action = "users.list"
	ActUsersView       Action = "users.view"
	ActUsersSetRole    Action = "users.set_role"
	ActUsersCreate     Action = "users.create_admin"
	ActAuditRead       Action = "audit.read"
	ActOutboxRead      Action = "outbox.read"
	ActJobsManage      Action = "jobs.manage"
	ActAPITokensManage Action = "api_tokens.manage"
	ActAccountView     Action = "account.view"
	ActAccountEdit     Action = "account.edit"
	ActMembersArea     Action = "network.members_area"
	ActNetworkStats    Action = "network.stats"
	ActGroupManage     Action = "group.manage"
	ActGroupModerate   Action = "group.moderate"
)

// Resource is what an action is done to. GroupID is empty for network-wide
// resources. For account.* actions ID is the user whose account it is.
type Resource struct {
	Kind    string
	ID      string
	GroupID string
}

// GroupRoles tells the policy a user's role in a group: "organiser",
// "moderator", "member" or "" (none). The groups domain implements it; app
// sets it on the Policy's GroupRoles hook.
type GroupRoles interface {
	GroupRole(ctx context.Context, userID, groupID string) (string, error)
}

// Rule says who, besides admins, network_admin tokens and the system, may do
// an action. Any one matching clause allows it; a rule with no clause is
// admin-only. An action with no rule is refused to everyone but admins.
type Rule struct {
	Action Action
	// MinRole allows signed-in users with at least this network role.
	MinRole Role
	// Self allows a signed-in user when Resource.ID is their own id.
	Self bool
	// GroupRoles allows a user holding one of these roles in Resource.GroupID.
	GroupRoles []string
	// Verified additionally requires a confirmed email address for the
	// clauses above (never for admins).
	Verified bool
	// Refusal is the message shown when the rule refuses; a generic one when empty.
	Refusal string
}

// rules is the one table of who may do what. New features add rows here.
var rules = []Rule{
	{Action: ActAdminView},
	{Action: ActUsersList},
	{Action: ActUsersSetRole},
	{Action: ActUsersCreate},
	{Action: ActAuditRead},
	{Action: ActOutboxRead},
	{Action: ActJobsManage},
	{Action: ActAPITokensManage, GroupRoles: []string{"organiser"},
		Refusal: "Only admins, and a group's organisers for their own group, can manage API tokens."},
	{Action: ActUsersView, Self: true},
	{Action: ActAccountView, Self: true},
	{Action: ActAccountEdit, Self: true},
	{Action: ActNetworkStats, MinRole: RoleSupporter},
	{Action: ActMembersArea, MinRole: RoleMember,
		Refusal: "This part of the network is for members. Ask an organiser about becoming one."},
	{Action: ActGroupManage, GroupRoles: []string{"organiser"},
		Refusal: "Only this group's organisers can do that."},
	{Action: ActGroupModerate, GroupRoles: []string{"organiser", "moderator"},
		Refusal: "Only this group's organisers and moderators can do that."},
}

// Policy decides every permission question in Momentum.
type Policy struct {
	rules  map[Action]Rule
	groups *hook.Hook[GroupRoles]
}

// NewPolicy returns the policy built from the rule table.
func NewPolicy() *Policy {
	p := &Policy{rules: make(map[Action]Rule, len(rules)), groups: hook.New[GroupRoles]("auth.Policy: group roles")}
	for _, r := range rules {
		if _, dup := p.rules[r.Action]; dup {
			panic(fmt.Sprintf("auth: two policy rules for %q", r.Action))
		}
		p.rules[r.Action] = r
	}
	return p
}

// AddRules adds capability rules to the table (each capability declares its
// own, and app adds them at start-up). It panics on an action that already
// has a rule: one action, one rule.
func (p *Policy) AddRules(rs ...Rule) {
	for _, r := range rs {
		if _, dup := p.rules[r.Action]; dup {
			panic(fmt.Sprintf("auth: two policy rules for %q", r.Action))
		}
		p.rules[r.Action] = r
	}
}

// GroupRoles is the hook through which the policy asks the groups domain
// for a user's role in a group. Groups is built after the policy (it checks
// permission with it), so app/build sets the hook once groups exists, and build.New
// checks it is set: a group rule is never quietly answered "no one".
func (p *Policy) GroupRoles() *hook.Hook[GroupRoles] { return p.groups }

const msgForbidden = "You don't have permission to do that."

// Can returns nil when who may do act on res; otherwise an errs.Unauthorized
// error (who is nil: not signed in) or errs.Forbidden with a message safe to
// show. It returns an internal error only when GroupRoles fails.
func (p *Policy) Can(ctx context.Context, who *Principal, act Action, res Resource) error {
	if who == nil {
		return errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	if who.System || who.Token || who.Role == RoleAdmin {
		return nil
	}
	r, ok := p.rules[act]
	if who.TokenGroupID != "" {
		// A group token is its group's organiser, for group-scoped rules only.
		if ok && res.GroupID == who.TokenGroupID && (slices.Contains(r.GroupRoles, "organiser") || act == ActAPITokensManage) {
			return nil
		}
		return errs.E(errs.Forbidden, "This API token may act only for its own group.")
	}
	if !ok || who.UserID == "" {
		return errs.E(errs.Forbidden, msgForbidden)
	}
	allowed, err := p.matches(ctx, who, r, res)
	if err != nil {
		return err
	}
	if allowed && r.Verified && !who.Verified {
		return errs.E(errs.Forbidden, "Please confirm your email address first: use the link we sent you.")
	}
	if !allowed {
		msg := r.Refusal
		if msg == "" {
			msg = msgForbidden
		}
		return errs.E(errs.Forbidden, "%s", msg)
	}
	return nil
}

func (p *Policy) matches(ctx context.Context, who *Principal, r Rule, res Resource) (bool, error) {
	if r.MinRole != "" && who.Role.rank() >= r.MinRole.rank() {
		return true, nil
	}
	if r.Self && res.ID != "" && res.ID == who.UserID {
		return true, nil
	}
	if len(r.GroupRoles) > 0 && res.GroupID != "" {
		gr, err := p.groups.Get().GroupRole(ctx, who.UserID, res.GroupID)
		if err != nil {
			return false, fmt.Errorf("policy %s: group role: %w", r.Action, err)
		}
		if gr != "" && slices.Contains(r.GroupRoles, gr) {
			return true, nil
		}
	}
	return false, nil
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p, and p as the audit actor (its Label,
// usually the email, names it in the log).
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	if p == nil {
		return ctx
	}
	ctx = context.WithValue(ctx, principalKey{}, p)
	return reqctx.WithActor(ctx, reqctx.Actor{ID: p.UserID, Label: p.Label})
}

// PrincipalFrom returns the principal in ctx, or nil when nobody is signed in.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// WithSystem returns ctx acting as the system: the command line
// (`momentum user create-admin`, `momentum token create`) and jobs. Never
// call it while serving a request.
func WithSystem(ctx context.Context) context.Context {
	return WithPrincipal(ctx, &Principal{System: true, Label: reqctx.System.Label})
}

// PrincipalFor is the principal of a signed-in user (sess may be nil).
func PrincipalFor(u *User, sess *Session) *Principal {
	p := &Principal{UserID: u.ID, Role: u.Role, Verified: u.EmailVerified, Label: u.Email}
	if sess != nil {
		p.SessionID = sess.ID
	}
	return p
}

// PrincipalForToken is the principal of a request made with an API token.
func PrincipalForToken(t *APIToken) *Principal {
	if t.Scope == ScopeGroup {
		return &Principal{TokenGroupID: t.GroupID, Label: "token:" + t.Name, ConsentWording: t.ConsentWording}
	}
	return &Principal{Token: t.Scope == ScopeNetworkAdmin, Label: "token:" + t.Name, ConsentWording: t.ConsentWording}
}
