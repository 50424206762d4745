package people

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// viewerAccess works out how much of p the principal in ctx may see, and
// through which of p's groups an organiser sees them (for notes).
// Errors: errs.Unauthorized when nobody is signed in.
func (s *Service) viewerAccess(ctx context.Context, q db.Querier, p *Person) (Access, []string, error) {
	who := auth.PrincipalFrom(ctx)
	if who == nil {
		return AccessNone, nil, errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	var f AccessFacts
	f.Admin = isAdmin(ctx)
	if !f.Admin && p.UserID != "" {
		f.Self = s.can(ctx, ActViewOwn, auth.Resource{Kind: "person", ID: p.UserID}) == nil
	}
	var via []string
	if !f.Admin && !f.Self {
		groups, err := personGroups(ctx, q, p.ID)
		if err != nil {
			return AccessNone, nil, err
		}
		for _, g := range groups {
			err := s.can(ctx, ActView, auth.Resource{Kind: "person", ID: p.ID, GroupID: g})
			if err == nil {
				via = append(via, g)
			} else if !errs.Is(err, errs.Forbidden) {
				return AccessNone, nil, err
			}
		}
		f.Organiser = len(via) > 0
		if !f.Organiser {
			f.Member = s.can(ctx, ActViewNames, auth.Resource{Kind: "person", ID: p.ID}) == nil
		}
	}
	return AccessFor(f, p), via, nil
}

// canManage checks that the principal may do act (an organiser action, or
// its own variant ownAct when not empty) on person p: admins always, the
// person themself for ownAct, organisers of a group p belongs to for act.
// It returns the access the principal has.
// Errors: errs.Unauthorized, errs.NotFound when the viewer may not know
// the person, errs.Forbidden when they see them but may not act.
func (s *Service) canManage(ctx context.Context, q db.Querier, p *Person, act, ownAct auth.Action) (Access, []string, error) {
	a, via, err := s.viewerAccess(ctx, q, p)
	if err != nil {
		return a, nil, err
	}
	switch {
	case a == AccessNone:
		return a, nil, notFound()
	case isAdmin(ctx):
		return a, via, nil
	case a == AccessFull && ownAct != "":
		return a, via, s.can(ctx, ownAct, auth.Resource{Kind: "person", ID: p.UserID})
	}
	var last error = errs.E(errs.Forbidden, "%s", refuseOrganiser)
	for _, g := range via {
		if last = s.can(ctx, act, auth.Resource{Kind: "person", ID: p.ID, GroupID: g}); last == nil {
			return a, via, nil
		}
	}
	return a, via, last
}

// requireFullAccess lets through only viewers with full access to the
// person (admins, the person themself): a person the viewer may not see at
// all is not found; one they see in part gets refusal.
func (s *Service) requireFullAccess(ctx context.Context, q db.Querier, personID, refusal string) error {
	p, err := findPerson(ctx, q, personID)
	if db.IsNotFound(err) {
		return notFound()
	} else if err != nil {
		return err
	}
	a, _, err := s.viewerAccess(ctx, q, p)
	switch {
	case err != nil:
		return err
	case a == AccessNone:
		return notFound()
	case a != AccessFull:
		return errs.E(errs.Forbidden, "%s", refusal)
	}
	return nil
}
