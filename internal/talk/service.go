package talk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	msgnotices "github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Subject is what talk needs to know of a decision, event or meeting a
// thread is attached to.
type Subject struct {
	Title      string
	GroupID    string // "" for the network's
	Visibility string // Public, Members or Group: the thread's
	URL        string // the subject's page, e.g. "/decisions/ID"
}

// Subjects finds the subjects threads attach to (app adapts decisions and
// events). Subject must fail (errs.NotFound, errs.Forbidden,
// errs.Unauthorized) when the viewer in ctx may not see the subject, and
// errs.NotFound for a kind it does not know.
type Subjects interface {
	Subject(ctx context.Context, kind, id string) (*Subject, error)
}

// People reads whom to notify, inside the caller's transaction (the people
// service).
type People interface {
	PersonIDForUserTx(ctx context.Context, tx *db.Tx, userID string) (string, error)
	ContactTx(ctx context.Context, tx *db.Tx, personID string) (email, givenName string, err error)
}

// Groups records activity in a group inside the caller's transaction
// (*groups.Service's Touch): a new thread or comment keeps the group from
// turning dormant, and wakes a dormant one.
type Groups interface {
	Touch(ctx context.Context, tx *db.Tx, groupID string) error
}

// Deps are the collaborators of the Service. Every field is required but
// Log and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	// Subjects finds decisions and events for attached threads.
	Subjects Subjects
	// Notices delivers mentions and replies as each person chose.
	Notices msgnotices.Sender
	// People finds the person and address behind an account.
	People People
	// Groups hears of activity in a group (issue 13: talk keeps a group alive).
	Groups Groups
	// BaseURL is the site's public address, for links in mail.
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
}

// Service is the only entry to talk for handlers, jobs and other
// capabilities.
type Service struct {
	d   Deps
	log *slog.Logger
	now func() time.Time
}

// New returns the Service, or an error naming each missing collaborator.
func New(d Deps) (*Service, error) {
	if err := hook.Need("talk.New", "DB", d.DB, "Policy", d.Policy, "Subjects", d.Subjects, "Notices", d.Notices,
		"People", d.People, "Groups", d.Groups); err != nil {
		return nil, err
	}
	if d.BaseURL == "" {
		return nil, errors.New("talk.New: missing BaseURL")
	}
	d.BaseURL = strings.TrimSuffix(d.BaseURL, "/")
	s := &Service{d: d, log: d.Log, now: d.Now}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

// touch records activity in the thread's group, if it has one, in tx.
func (s *Service) touch(ctx context.Context, tx *db.Tx, groupID string) error {
	if groupID == "" {
		return nil
	}
	return s.d.Groups.Touch(ctx, tx, groupID)
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// viewer is the signed-in user's id, or "".
func viewer(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.UserID
	}
	return ""
}

func (s *Service) can(ctx context.Context, act auth.Action, groupID string) error {
	return s.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: "thread", GroupID: groupID})
}

// audience is the action that lets one post in a thread of the group (or
// of the network, groupID ""): its members.
func audience(groupID string) auth.Action {
	if groupID == "" {
		return ActNetwork
	}
	return ActGroup
}

// canRead says whether the viewer may read t: anyone a public thread; the
// network's members (and the group's) a members' thread; the group's
// members a group thread. An attached thread also needs its subject
// visible to the viewer.
func (s *Service) canRead(ctx context.Context, t *Thread) error {
	if err := s.canReadVisibility(ctx, t.GroupID, t.Visibility); err != nil {
		return err
	}
	if t.SubjectKind != "" {
		if _, err := s.d.Subjects.Subject(ctx, t.SubjectKind, t.SubjectID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) canReadVisibility(ctx context.Context, groupID, visibility string) error {
	switch visibility {
	case Public:
		return nil
	case Members:
		err := s.can(ctx, ActNetwork, "")
		if err != nil && groupID != "" && !errs.Is(err, errs.Unauthorized) {
			if s.can(ctx, ActGroup, groupID) == nil {
				return nil
			}
		}
		return err
	default:
		if groupID == "" {
			return s.can(ctx, ActModerate, "")
		}
		return s.can(ctx, ActGroup, groupID)
	}
}

// readable loads a thread the viewer may read; a thread they may not read
// is errs.NotFound to the anonymous and the forbidden alike, except that
// the anonymous are asked to log in.
func (s *Service) readable(ctx context.Context, id string) (*Thread, error) {
	t, err := getThread(ctx, s.d.DB.Q(), id, viewer(ctx))
	if err != nil {
		return nil, err
	}
	if err := s.canRead(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// moderates says whether the viewer moderates the thread's group (admins
// the network's threads).
func (s *Service) moderates(ctx context.Context, groupID string) bool {
	return s.can(ctx, ActModerate, groupID) == nil
}

// writable refuses any write to a thread of an archived group.
func writable(t *Thread) error {
	if t.Archived {
		return errArchived()
	}
	return nil
}

func errArchived() error { return errs.E(errs.Conflict, "This group is archived.") }

// canPost checks that the viewer may add to t: its audience, the group not
// archived, the thread not locked and the viewer not muted (moderators may
// still post in a locked thread or while muted).
func (s *Service) canPost(ctx context.Context, t *Thread) error {
	if err := writable(t); err != nil {
		return err
	}
	if err := s.can(ctx, audience(t.GroupID), t.GroupID); err != nil {
		return err
	}
	if s.moderates(ctx, t.GroupID) {
		return nil
	}
	if t.Locked {
		msg := "This thread is locked"
		if t.LockReason != "" {
			msg += ": " + t.LockReason
		}
		return errs.E(errs.Conflict, "%s.", strings.TrimSuffix(msg, "."))
	}
	return s.notMuted(ctx, t.GroupID)
}

func (s *Service) notMuted(ctx context.Context, groupID string) error {
	uid := viewer(ctx)
	if uid == "" {
		return nil
	}
	until, err := mutedUntil(ctx, s.d.DB.Q(), groupID, uid, s.clock())
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return errs.E(errs.Forbidden, "A moderator has muted you here until %s.", web.DateTime(until, nil)) // issue 16: the one format; talk has no zone of its own yet, so UTC, said
	}
	return nil
}

// Validation limits, in characters.
const (
	MaxTitle   = 200
	MaxBody    = 20000 // a thread's opening post
	MaxComment = 10000
	MaxReason  = 500
)

func checkText(fields map[string]string, field, label, v string, min, max int) {
	n := len([]rune(strings.TrimSpace(v)))
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		fields[field] = "This holds characters that cannot be stored (a NUL character, or bytes that are not UTF-8 text)."
	case n < min && min > 0:
		fields[field] = fmt.Sprintf("Write %s.", label)
	case n > max:
		fields[field] = fmt.Sprintf("Keep %s under %d characters (it has %d).", label, max, n)
	}
}

func fieldErr(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return errs.Fields(fields)
}

func notFound(what string) error { return errs.E(errs.NotFound, "There is no such %s.", what) }
