package site

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Service builds the dashboard.
type Service struct {
	db     *db.DB
	auth   *auth.Service
	policy *auth.Policy
}

// New returns the site service.
func New(d *db.DB, a *auth.Service, p *auth.Policy) *Service {
	return &Service{db: d, auth: a, policy: p}
}

// Dashboard is what a signed-in person sees first.
type Dashboard struct {
	User *auth.User
	// Network counts accounts by role: how big the network is.
	Network map[string]int
	// Activity is the person's own latest actions, from the audit log.
	Activity []audit.Entry
	// IsMember is true for members and admins; supporters see how to join.
	IsMember bool
}

// Dashboard returns the signed-in person's dashboard.
//
// Errors: errs.Unauthorized when nobody is signed in.
func (s *Service) Dashboard(ctx context.Context) (*Dashboard, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, errs.E(errs.Unauthorized, "Log in to see your dashboard.")
	}
	u, err := s.auth.GetUser(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{User: u, IsMember: u.Role == auth.RoleMember || u.Role == auth.RoleAdmin}
	counts, err := s.auth.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	d.Network = make(map[string]int, len(counts))
	for role, n := range counts {
		d.Network[string(role)] = n
	}
	// A person may always read their own trail; the log itself is admin-only.
	if d.Activity, err = audit.List(ctx, s.db.Q(), audit.Filter{ActorID: u.ID, Limit: 5}); err != nil {
		return nil, err
	}
	return d, nil
}

// CanListen reports whether the request may follow the announcements
// stream: anyone signed in.
func (s *Service) CanListen(ctx context.Context) error {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return errs.E(errs.Unauthorized, "Log in to receive announcements.")
	}
	return nil
}
