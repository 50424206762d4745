package groups

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// People finds or creates the person record of an account. The people
// capability implements it.
type People interface {
	PersonIDForUser(ctx context.Context, userID string) (string, error)
}

// Recorder adds actions to people's timelines in the caller's transaction
// and recomputes the engagement ladder of people whose group role changed
// (organiser is its top rung). *people.Service implements it.
type Recorder interface {
	RecordAction(ctx context.Context, tx *db.Tx, a people.Action) error
	RefreshLaddersTx(ctx context.Context, tx *db.Tx, personIDs ...string) error
}

// Notifier tells people about groups that fell dormant, in the transaction
// given; MailNotifier does it by mail.
type Notifier interface {
	// GroupDormant tells a group's organisers (their addresses, possibly
	// none) that their group is now dormant and how to revive it.
	GroupDormant(ctx context.Context, tx *db.Tx, g Group, organiserEmails []string) error
	// DormantDigest tells the network's admins, once per run, which groups
	// fell dormant, so a first run on an old network sends them one mail
	// rather than one per group.
	DormantDigest(ctx context.Context, tx *db.Tx, groups []Group, adminEmails []string) error
}

// Service is the only entry to groups for handlers, jobs and other
// capabilities.
type Service struct {
	db       *db.DB
	policy   *auth.Policy
	persons  People
	recorder Recorder
	notifier Notifier
	log      *slog.Logger
	now      func() time.Time
	// panels add other capabilities' sections to a group's page (its
	// upcoming events); they are built after groups, so they come through
	// a hook.
	panels *hook.Hook[[]PanelFunc]
}

// Deps is everything the groups service needs. Every field is required but
// Log and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Log    *slog.Logger     // default slog.Default()
	Now    func() time.Time // default db.Now; tests move time by hand
	// People finds the person of an account (the people service).
	People People
	// Recorder puts joins and role changes on people's timelines and keeps
	// their ladder up to date (the people service).
	Recorder Recorder
	// Notifier tells organisers and admins about dormant groups
	// (MailNotifier).
	Notifier Notifier
	// Panels are the sections other capabilities add to a group's page,
	// set once they are built (events: upcoming events).
	Panels *hook.Hook[[]PanelFunc]
}

// NewService returns the groups service, or an error naming the missing
// collaborators.
func NewService(d Deps) (*Service, error) {
	if err := hook.Need("groups.NewService", "DB", d.DB, "Policy", d.Policy, "People", d.People,
		"Recorder", d.Recorder, "Notifier", d.Notifier, "Panels", d.Panels); err != nil {
		return nil, err
	}
	s := &Service{db: d.DB, policy: d.Policy, persons: d.People, recorder: d.Recorder, notifier: d.Notifier,
		log: d.Log, now: d.Now, panels: d.Panels}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) can(ctx context.Context, act auth.Action, groupID string) error {
	return s.policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: "group", ID: groupID, GroupID: groupID})
}

// refreshLadders recomputes the ladder of people whose group role changed.
func (s *Service) refreshLadders(ctx context.Context, tx *db.Tx, personIDs ...string) error {
	if len(personIDs) == 0 {
		return nil
	}
	return s.recorder.RefreshLaddersTx(ctx, tx, personIDs...)
}

func (s *Service) record(ctx context.Context, tx *db.Tx, a people.Action) error {
	if a.At.IsZero() {
		a.At = s.clock()
	}
	return s.recorder.RecordAction(ctx, tx, a)
}

// notFound turns a store miss into the error users see.
func notFound(err error) error {
	if db.IsNotFound(err) {
		return &errs.Error{Code: errs.NotFound, Message: "We could not find that group.", Err: err}
	}
	return err
}

var _ auth.GroupRoles = (*Service)(nil)

// GroupRole implements auth.GroupRoles: the user's role in the group while
// their membership is active, or "". One indexed query.
func (s *Service) GroupRole(ctx context.Context, userID, groupID string) (string, error) {
	if userID == "" || groupID == "" {
		return "", nil
	}
	m, err := membershipOfUser(ctx, s.db.Q(), userID, groupID)
	if err != nil || m == nil || m.Status != MemberActive {
		return "", err
	}
	return m.Role, nil
}

// CreateRegion adds a region. Errors: errs.Invalid (name), errs.Forbidden.
func (s *Service) CreateRegion(ctx context.Context, name string) (*Region, error) {
	if err := s.can(ctx, ActRegionManage, ""); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxNameLen {
		return nil, errs.Fields(map[string]string{"name": fmt.Sprintf("Enter the region's name (at most %d characters).", maxNameLen)})
	}
	r := &Region{ID: db.NewID(), Name: name, CreatedAt: s.clock()}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if r.Slug, err = freeSlug(ctx, tx, "regions", slugify(name)); err != nil {
			return err
		}
		if err := insertRegion(ctx, tx, r); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "region.created", "region", r.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Regions lists the regions by name (at most 500). Public.
func (s *Service) Regions(ctx context.Context) ([]Region, error) { return listRegions(ctx, s.db.Q()) }

// Create starts a group. Errors: errs.Invalid with the fields at fault,
// errs.Forbidden (admins only).
func (s *Service) Create(ctx context.Context, in Input) (*Group, error) {
	if err := s.can(ctx, ActCreate, ""); err != nil {
		return nil, err
	}
	if err := s.validate(ctx, &in); err != nil {
		return nil, err
	}
	now := s.clock()
	g := &Group{ID: db.NewID(), Status: StatusActive, LastActivityAt: now, CreatedAt: now, UpdatedAt: now}
	g.apply(in)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if g.Slug, err = freeSlug(ctx, tx, "groups", slugify(g.Name)); err != nil {
			return err
		}
		if err := insertGroup(ctx, tx, g); err != nil {
			return err
		}
		if err := s.learnDistricts(ctx, tx, g); err != nil {
			return err
		}
		if err := index(ctx, tx, g.ID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "group.created", "group", g.ID,
			map[string]any{"kind": g.Kind, "districts": len(g.Districts)})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, "id", g.ID)
}

// Update changes a group's details. Errors: errs.Invalid, errs.NotFound,
// errs.Forbidden (the group's organisers and admins), errs.Conflict when
// archived.
func (s *Service) Update(ctx context.Context, groupID string, in Input) (*Group, error) {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return nil, err
	}
	if err := s.validate(ctx, &in); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		g, err := getGroup(ctx, tx, "id", groupID)
		if err != nil {
			return notFound(err)
		}
		if g.Archived() {
			return errArchived()
		}
		g.apply(in)
		g.UpdatedAt = s.clock()
		if err := updateGroup(ctx, tx, g); err != nil {
			return err
		}
		if err := s.learnDistricts(ctx, tx, g); err != nil {
			return err
		}
		if err := index(ctx, tx, g.ID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "group.updated", "group", g.ID, map[string]any{"districts": len(g.Districts)})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, "id", groupID)
}

func (g *Group) apply(in Input) {
	g.Name, g.Kind, g.RegionID, g.Description, g.JoinPolicy = in.Name, in.Kind, in.RegionID, in.Description, in.JoinPolicy
	g.Districts, g.Centre, g.RadiusKm = in.Districts, in.Centre, in.RadiusKm
	if g.Centre == nil {
		g.RadiusKm = 0
	}
}

func (s *Service) validate(ctx context.Context, in *Input) error {
	bad := in.normalise()
	if in.RegionID != "" {
		ok, err := regionExists(ctx, s.db.Q(), in.RegionID)
		if err != nil {
			return err
		}
		if !ok {
			bad["region_id"] = "Choose a region from the list."
		}
	}
	return errs.Fields(bad)
}

// learnDistricts gives the group's districts a rough centre (the group's)
// where geo knows none, so "nearest group" works before an outcode file is
// loaded.
func (s *Service) learnDistricts(ctx context.Context, tx *db.Tx, g *Group) error {
	if g.Centre == nil {
		return nil
	}
	for _, d := range g.Districts {
		if err := geo.SetDistrictIfUnknown(ctx, tx, d, *g.Centre, "groups"); err != nil {
			return fmt.Errorf("learn district %s: %w", d, err)
		}
	}
	return nil
}

// Get returns a group by id. Public: the directory is open to newcomers.
// Errors: errs.NotFound.
func (s *Service) Get(ctx context.Context, id string) (*Group, error) { return s.get(ctx, "id", id) }

// GetBySlug returns a group by its address. Public. Errors: errs.NotFound.
func (s *Service) GetBySlug(ctx context.Context, slug string) (*Group, error) {
	return s.get(ctx, "slug", slug)
}

func (s *Service) get(ctx context.Context, column, value string) (*Group, error) {
	g, err := getGroup(ctx, s.db.Q(), column, value)
	return g, notFound(err)
}

// Names returns the names of the groups with these ids, in one query
// (ids that name no group are left out). Public, as Get is.
func (s *Service) Names(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.Query(ctx, `SELECT id, name FROM groups WHERE id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("group names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("group names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// List returns a page of groups by slug, archived ones included (they stay
// findable). Public.
func (s *Service) List(ctx context.Context, f Filter) ([]Group, error) {
	return listGroups(ctx, s.db.Q(), f)
}
