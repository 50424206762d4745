// Package searchweb is the search page (GET /search) and the service
// behind it: it works out from the signed-in principal what they may find
// (a search.Scope: never taken from the request), runs the query through
// package search, names the hits' groups, and, for admins and organisers
// only, finds people by name through the people service's own
// permission-checked list.
package searchweb

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// Deps is what the search service needs; every field is required.
type Deps struct {
	DB     *db.DB
	Groups *groups.Service
	People *people.Service
}

// Service answers searches for the signed-in principal.
type Service struct {
	db     *db.DB
	groups *groups.Service
	people *people.Service
}

// New returns the service, or an error naming every missing collaborator.
func New(d Deps) (*Service, error) {
	if err := hook.Need("searchweb.New", "DB", d.DB, "Groups", d.Groups, "People", d.People); err != nil {
		return nil, err
	}
	return &Service{db: d.DB, groups: d.Groups, people: d.People}, nil
}

// Asker is who is searching, as the service worked it out.
type Asker struct {
	Scope search.Scope
	// Groups are the asker's active groups (the group filter offers them).
	Groups []groups.Group
	// Organises are the ids of the groups they organise (people search).
	Organises []string
	// Admin finds people network-wide.
	Admin bool
}

// Asker builds the asker's scope from the principal in ctx: admins, the
// system and network tokens see everything; signed-in members (role member)
// see members' items; everyone signed in sees their active groups' items;
// anyone else sees public items only.
func (s *Service) Asker(ctx context.Context) (*Asker, error) {
	p := auth.PrincipalFrom(ctx)
	a := &Asker{}
	switch {
	case p == nil:
		return a, nil
	case p.System, p.Token && p.TokenGroupID == "", p.Role == auth.RoleAdmin:
		a.Scope.All, a.Admin = true, true
	case p.TokenGroupID != "":
		a.Scope.GroupIDs = []string{p.TokenGroupID}
		return a, nil
	case p.Role == auth.RoleMember:
		a.Scope.Members = true
	}
	if p.UserID == "" {
		return a, nil
	}
	ms, err := s.groups.MyGroups(ctx)
	if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Unauthorized) {
		return a, nil // no groups of their own to search
	}
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Status != groups.MemberActive {
			continue
		}
		a.Groups = append(a.Groups, m.Group)
		a.Scope.GroupIDs = append(a.Scope.GroupIDs, m.Group.ID)
		if m.Role == groups.RoleOrganiser {
			a.Organises = append(a.Organises, m.Group.ID)
		}
	}
	return a, nil
}

// Results are a search's hits with their groups named, and the people
// found (admins and organisers only).
type Results struct {
	*search.Results
	// GroupNames names the hits' groups by id.
	GroupNames map[string]string
	People     []Person
	// PeopleShown is true when the asker may search people (the section
	// shows, even empty).
	PeopleShown bool
}

// Person is a person found by name.
type Person struct {
	ID, Name string
}

// maxPeople is how many people the section lists.
const maxPeople = 10

// Search runs q for the asker.
func (s *Service) Search(ctx context.Context, a *Asker, q search.Query) (*Results, error) {
	res, err := search.Search(ctx, s.db.Q(), a.Scope, q)
	if err != nil {
		return nil, err
	}
	out := &Results{Results: res, GroupNames: map[string]string{}}
	for _, g := range a.Groups {
		out.GroupNames[g.ID] = g.Name
	}
	// The other groups the hits belong to (public items), named in one query.
	var others []string
	for _, h := range res.Hits {
		if h.GroupID != "" && out.GroupNames[h.GroupID] == "" && !slices.Contains(others, h.GroupID) {
			others = append(others, h.GroupID)
		}
	}
	names, err := s.groups.Names(ctx, others)
	if err != nil {
		return nil, err
	}
	maps.Copy(out.GroupNames, names)
	// People come with the first page of an unfiltered-by-kind search (a
	// search for documents wants no names), within the chosen group.
	if q.Offset == 0 && len(q.Kinds) == 0 && strings.TrimSpace(q.Text) != "" && (a.Admin || len(a.Organises) > 0) {
		out.PeopleShown = true
		if out.People, err = s.findPeople(ctx, a, q.Text, q.GroupID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// findPeople lists people whose names match text through people.List, so
// its permission and projection apply: admins search everyone, organisers
// their groups' people by name; with groupID, only that group's (none for
// an organiser of other groups).
func (s *Service) findPeople(ctx context.Context, a *Asker, text, groupID string) ([]Person, error) {
	text = strings.TrimSpace(text)
	if r := []rune(text); len(r) > 100 {
		text = string(r[:100])
	}
	groupIDs := a.Organises
	if a.Admin {
		groupIDs = []string{""}
	}
	if groupID != "" {
		if !a.Admin && !slices.Contains(groupIDs, groupID) {
			return nil, nil
		}
		groupIDs = []string{groupID}
	}
	var out []Person
	seen := map[string]bool{}
	for _, g := range groupIDs {
		page, err := s.people.List(ctx, people.Filter{Text: text, GroupID: g, Limit: maxPeople})
		if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Invalid) || errs.Is(err, errs.Unauthorized) {
			// Not allowed after all, or text the list refuses: no people
			// from this group rather than no search.
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, p := range page.People {
			if seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			name := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
			if name == "" {
				name = "(no name)"
			}
			out = append(out, Person{ID: p.ID, Name: name})
		}
	}
	slices.SortFunc(out, func(x, y Person) int { return strings.Compare(x.Name, y.Name) })
	if len(out) > maxPeople {
		out = out[:maxPeople]
	}
	return out, nil
}
