package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/files"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// Service is the only entry to the library for pages, the demo and search.
type Service struct {
	db     *db.DB
	policy *auth.Policy
	files  files.Store
	limits files.Limits
	log    *slog.Logger
	now    func() time.Time
}

// Deps is everything the library needs. Every field is required but Log
// and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	// Files keeps attachments (disk, or S3-compatible storage).
	Files files.Store
	// Limits bound an attachment: its size (required) and the types
	// allowed (empty: files.DefaultTypes).
	Limits files.Limits
	Log    *slog.Logger
	Now    func() time.Time // default db.Now
}

// New returns the library service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	if err := hook.Need("library.New", "DB", d.DB, "Policy", d.Policy, "Files", d.Files); err != nil {
		return nil, err
	}
	if d.Limits.MaxBytes <= 0 {
		return nil, errors.New("library.New: missing Limits.MaxBytes")
	}
	s := &Service{db: d.DB, policy: d.Policy, files: d.Files, limits: d.Limits, log: d.Log, now: d.Now}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

// MaxBytes is the largest attachment the library keeps.
func (s *Service) MaxBytes() int64 { return s.limits.MaxBytes }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// viewer is who is reading, worked out once per call: what they may read.
type viewer struct {
	userID string
	all    bool              // admins, the system, network tokens
	member bool              // a member of the network (reads members-only)
	groups map[string]string // group id → role, for their active memberships
}

func (s *Service) viewer(ctx context.Context) (*viewer, error) {
	p := auth.PrincipalFrom(ctx)
	v := &viewer{groups: map[string]string{}}
	if p == nil {
		return v, nil
	}
	v.userID = p.UserID
	if p.System || p.Token || p.Role == auth.RoleAdmin {
		v.all = true
		return v, nil
	}
	if p.TokenGroupID != "" {
		v.groups[p.TokenGroupID] = "organiser"
		return v, nil
	}
	v.member = p.Role == auth.RoleMember
	if p.UserID == "" {
		return v, nil
	}
	rows, err := s.db.Q().Query(ctx, `SELECT gm.group_id, gm.role FROM group_members gm JOIN people p ON p.id = gm.person_id
		WHERE p.user_id = ? AND gm.status = 'active'`, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("library viewer: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g, r string
		if err := rows.Scan(&g, &r); err != nil {
			return nil, err
		}
		v.groups[g] = r
	}
	return v, rows.Err()
}

// reads reports whether the viewer may read something of visibility vis
// in groupID ("" the network).
func (v *viewer) reads(vis, groupID string) bool {
	if vis == Public || v.all {
		return true
	}
	inGroup := groupID != "" && v.groups[groupID] != ""
	if vis == Members {
		return v.member || inGroup
	}
	return inGroup
}

// signedIn reports whether anyone is signed in.
func (v *viewer) signedIn() bool { return v.all || v.userID != "" || len(v.groups) > 0 }

func (s *Service) can(ctx context.Context, act auth.Action, kind, id, groupID string) error {
	return s.policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: kind, ID: id, GroupID: groupID})
}

// allowed is can as a yes or no, for pages that show or hide a control.
func (s *Service) allowed(ctx context.Context, act auth.Action, groupID string) bool {
	return s.can(ctx, act, "library", "", groupID) == nil
}

// writable refuses a write to an archived group's library (its pages stay
// readable and searchable).
func writable(ctx context.Context, q db.Querier, groupID string) error {
	if groupID == "" {
		return nil
	}
	var status string
	err := q.QueryRow(ctx, `SELECT status FROM groups WHERE id = ?`, groupID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Fields(map[string]string{"group_id": "There is no such group."})
	}
	if err != nil {
		return fmt.Errorf("library: group status: %w", err)
	}
	if status == "archived" {
		return errs.E(errs.Conflict, "This group is archived.")
	}
	return nil
}

// GroupRef names a group.
type GroupRef struct {
	ID, Slug, Name string
	Archived       bool
}

// GroupBySlug finds a group for its library page.
//
// Errors: errs.NotFound.
func (s *Service) GroupBySlug(ctx context.Context, slug string) (*GroupRef, error) {
	g := &GroupRef{}
	var status string
	err := s.db.Q().QueryRow(ctx, `SELECT id, slug, name, status FROM groups WHERE slug = ?`, slug).Scan(&g.ID, &g.Slug, &g.Name, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "There is no such group.")
	}
	if err != nil {
		return nil, fmt.Errorf("library: group %q: %w", slug, err)
	}
	g.Archived = status == "archived"
	return g, nil
}

// authorName is the name saved with a revision: the account's name, or
// its email's first part.
func authorName(ctx context.Context, q db.Querier, userID string) (string, error) {
	if userID == "" {
		return "The system", nil
	}
	var name, email string
	err := q.QueryRow(ctx, `SELECT name, email FROM users WHERE id = ?`, userID).Scan(&name, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("library: author: %w", err)
	}
	if name == "" {
		name, _, _ = cutAt(email)
	}
	return name, nil
}

func cutAt(email string) (string, string, bool) {
	for i := range len(email) {
		if email[i] == '@' {
			return email[:i], email[i+1:], true
		}
	}
	return email, "", false
}

// actor is the signed-in user's id, or "" for the system and tokens.
func actor(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.UserID
	}
	return ""
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func notFound(what string) error { return errs.E(errs.NotFound, "There is no such %s.", what) }
