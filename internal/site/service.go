package site

import (
	"context"
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// Service builds the dashboard.
type Service struct {
	db     *db.DB
	auth   *auth.Service
	policy *auth.Policy

	// The network's size is shown on every dashboard but changes slowly;
	// counting a large users table on each view would dominate the page's
	// cost, so each node keeps the figure for countsTTL.
	mu       sync.Mutex
	counts   map[string]int
	countsAt time.Time

	// panels add capability sections to the dashboard (my groups, my
	// events…).
	panels []PanelFunc
}

// Panel is a section of the dashboard that another capability provides: a
// heading, a few links, and where to see everything.
type Panel struct {
	Title   string
	Items   []PanelItem
	Empty   string // shown when there are no items, e.g. "You are not in a group yet."
	MoreURL string
	More    string
}

// PanelItem is one line of a panel.
type PanelItem struct {
	Text, URL, Note string
}

// PanelFunc builds a panel for the signed-in person; it returns nil to show
// nothing.
type PanelFunc func(ctx context.Context) (*Panel, error)

const countsTTL = 30 * time.Second

// Deps is everything the site service needs; every field is required.
type Deps struct {
	DB     *db.DB
	Auth   *auth.Service
	Policy *auth.Policy
	// Panels are the dashboard's sections from the capabilities, in the
	// order shown. The site is built after every capability, so they are
	// known when it is built.
	Panels []PanelFunc
}

// New returns the site service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	if err := hook.Need("site.New", "DB", d.DB, "Auth", d.Auth, "Policy", d.Policy, "Panels", d.Panels); err != nil {
		return nil, err
	}
	return &Service{db: d.DB, auth: d.Auth, policy: d.Policy, panels: d.Panels}, nil
}

// Dashboard is what a signed-in person sees first.
type Dashboard struct {
	User *auth.User
	// Network counts accounts by role: how big the network is.
	Network map[string]int
	// Activity is the person's own latest actions, from the audit log.
	Activity []Activity
	// IsMember is true for members and admins; supporters see how to join.
	IsMember bool
	// Panels come from other capabilities (my groups, my events…).
	Panels []*Panel
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
	if d.Network, err = s.networkCounts(ctx); err != nil {
		return nil, err
	}
	// A person may always read their own trail; the log itself is admin-only.
	entries, err := audit.List(ctx, s.db.Q(), audit.Filter{ActorID: u.ID, Limit: 5})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		d.Activity = append(d.Activity, Activity{At: e.At, Text: describe(e.Action)})
	}
	for _, pf := range s.panels {
		p, err := pf(ctx)
		if err != nil {
			return nil, err
		}
		if p != nil {
			d.Panels = append(d.Panels, p)
		}
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

// Activity is one line of a person's own trail.
type Activity struct {
	At   time.Time
	Text string
}

// describe turns an audit action into a sentence about oneself. Capabilities
// added later extend the table; an unknown action shows its code.
func describe(action string) string {
	if s, ok := activityText[action]; ok {
		return s
	}
	return action
}

var activityText = map[string]string{
	"user.signup":                   "You signed up.",
	"user.verify_email":             "You confirmed your email address.",
	"session.login":                 "You logged in with your password.",
	"session.login_link":            "You logged in with an emailed link.",
	"session.totp_verified":         "You completed two-factor sign-in.",
	"session.logout":                "You logged out.",
	"user.password_reset":           "You reset your password.",
	"user.password_changed":         "You changed your password.",
	"user.password_reset_requested": "You asked for a password reset link.",
	"user.email_change_requested":   "You asked to change your email address.",
	"user.login_link_sent":          "You asked for a log-in link.",
	"user.email_change":             "You changed your email address.",
	"user.totp_enabled":             "You turned on two-factor sign-in.",
	"user.totp_disabled":            "You turned off two-factor sign-in.",
	"live.announce":                 "You sent an announcement.",
	"user.role_changed":             "You changed someone's role.",
	"api_token.created":             "You created an API token.",
	"group.joined":                  "You joined a group.",
	"group.join_requested":          "You asked to join a group.",
	"group.left":                    "You left a group.",
	"group.accepted":                "You accepted an invitation to a group.",
	"group.show_name_changed":       "You changed who sees your name in a group.",
	"group.created":                 "You created a group.",
	"group.updated":                 "You updated a group.",
	"group.role_changed":            "You changed someone's role in a group.",
	"group.invited":                 "You invited someone to a group.",
	"person.data_exported":          "You downloaded the data we hold on you.",
	"person.consent_set":            "You changed a consent setting.",
	"person.created":                "You added a person.",
	"person.updated":                "You updated a person's record.",
	"person.tagged":                 "You tagged a person.",
	"person.note_added":             "You wrote a note.",
	"people.import":                 "You imported people.",
}

// networkCounts returns accounts by role, at most countsTTL old.
func (s *Service) networkCounts(ctx context.Context) (map[string]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counts != nil && time.Since(s.countsAt) < countsTTL {
		return s.counts, nil
	}
	counts, err := s.auth.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(counts))
	for role, n := range counts {
		out[string(role)] = n
	}
	s.counts, s.countsAt = out, time.Now()
	return out, nil
}
