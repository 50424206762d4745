package site

import (
	"context"
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// Service builds the dashboard.
type Service struct {
	db          *db.DB
	auth        *auth.Service
	policy      *auth.Policy
	memberships MembershipsFunc
	figures     FiguresFunc

	// The network's figures are shown on every admin's dashboard but change
	// slowly; counting a large people table on each view would dominate the
	// page's cost, so each node keeps them for countsTTL.
	mu       sync.Mutex
	counts   *Figures
	countsAt time.Time

	// panels add capability sections to the dashboard (my groups, my
	// events, what needs me…).
	panels []PanelFunc
}

// Panel is a section of the dashboard that another capability provides: a
// heading, a few links, and where to see everything.
type Panel struct {
	Title string
	// Counted panels show Count large beside the title ("3 join requests").
	Counted bool
	Count   int
	// Urgent marks a panel that needs the viewer now (a request waiting, a
	// group falling quiet): it is shown first, with a badge.
	Urgent bool
	Items  []PanelItem
	Empty  string // shown when there are no items, e.g. "You are not in a group yet."
	// EmptyURL and EmptyAction are the next thing to do when the panel is
	// empty ("Plan an event").
	EmptyURL, EmptyAction string
	MoreURL               string
	More                  string
}

// PanelItem is one line of a panel.
type PanelItem struct {
	Text, URL, Note string
}

// PanelFunc builds a panel for the signed-in person; it returns nil to show
// nothing. The dashboard calls every panel at once, each in its own
// goroutine, with the viewer resolved (ViewerFrom): a panel must not rely
// on another's result.
type PanelFunc func(ctx context.Context) (*Panel, error)

// MembershipsFunc returns the signed-in person's groups, invitations and
// requests.
type MembershipsFunc func(ctx context.Context) ([]ViewerGroup, error)

// FiguresFunc counts the network's people (admins only).
type FiguresFunc func(ctx context.Context) (*Figures, error)

const countsTTL = 30 * time.Second

// maxQuick bounds the rows of quick actions at the top of the dashboard.
const maxQuick = 4

// Deps is everything the site service needs; every field is required.
type Deps struct {
	DB     *db.DB
	Auth   *auth.Service
	Policy *auth.Policy
	// Memberships resolves the viewer's groups once per dashboard.
	Memberships MembershipsFunc
	// Figures counts people by membership status for admins.
	Figures FiguresFunc
	// Panels are the dashboard's sections from the capabilities, in the
	// order shown. The site is built after every capability, so they are
	// known when it is built.
	Panels []PanelFunc
}

// New returns the site service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	if err := hook.Need("site.New", "DB", d.DB, "Auth", d.Auth, "Policy", d.Policy,
		"Memberships", d.Memberships, "Figures", d.Figures, "Panels", d.Panels); err != nil {
		return nil, err
	}
	return &Service{db: d.DB, auth: d.Auth, policy: d.Policy, memberships: d.Memberships,
		figures: d.Figures, panels: d.Panels}, nil
}

// Figures is the network's size counted from people (not accounts), and
// what changed in the last 30 days.
type Figures struct {
	Members, Supporters, Lapsed        int
	NewPeople, NewMembers, NewlyLapsed int
}

// Growth is members gained less members lapsed in the last 30 days.
func (f *Figures) Growth() int { return f.NewMembers - f.NewlyLapsed }

// Dashboard is what a signed-in person sees first.
type Dashboard struct {
	User *auth.User
	// IsMember is true for members and admins; supporters see how to join.
	IsMember bool
	IsAdmin  bool
	// Organiser is true when the viewer organises a group that is not
	// archived (the navigation then offers Messages).
	Organiser bool
	// Network is the network's figures, for admins only (nil otherwise).
	Network *Figures
	// Quick are the quick actions at the top: per group organised, and the
	// network's for admins.
	Quick []QuickActions
	// Urgent panels need the viewer now; Panels are the rest, in order;
	// Clear are those with nothing in them, shown as one line each with
	// the next thing to do, so that a phone's screen is not filled with
	// empty cards.
	Urgent []*Panel
	Panels []*Panel
	Clear  []*Panel
	// Activity is the person's own latest actions, in words.
	Activity []Activity
}

// QuickActions are the "New decision", "New event", "Message the group"
// links for one group, or for the whole network (GroupID "").
type QuickActions struct {
	GroupID, Name string
}

// Dashboard returns the signed-in person's dashboard. The viewer (account
// and memberships) is resolved once, then the figures, the activity and
// every panel are read at the same time: on PostgreSQL each is a round
// trip, and on SQLite reads run in parallel on the reader pool.
//
// Errors: errs.Unauthorized when nobody is signed in.
func (s *Service) Dashboard(ctx context.Context) (*Dashboard, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, errs.E(errs.Unauthorized, "Log in to see your dashboard.")
	}
	v, err := s.resolve(ctx)
	if err != nil {
		return nil, err
	}
	ctx = WithViewer(ctx, v)
	u := v.User
	d := &Dashboard{User: u, IsMember: u.Role == auth.RoleMember || u.Role == auth.RoleAdmin, IsAdmin: u.Role == auth.RoleAdmin}
	if d.IsAdmin {
		d.Quick = append(d.Quick, QuickActions{Name: "The network"})
	}
	d.Organiser = len(v.Organises()) > 0
	for _, g := range v.Organises() {
		if len(d.Quick) == maxQuick {
			break // the rest are on each group's page
		}
		d.Quick = append(d.Quick, QuickActions{GroupID: g.ID, Name: g.Name})
	}

	panels := make([]*Panel, len(s.panels))
	var tasks []func() error
	if d.IsAdmin {
		tasks = append(tasks, func() (err error) { d.Network, err = s.networkFigures(ctx); return err })
	}
	tasks = append(tasks, func() (err error) { d.Activity, err = recentActivity(ctx, s.db.Q(), u.ID, 5); return err })
	for i, pf := range s.panels {
		tasks = append(tasks, func() (err error) { panels[i], err = pf(ctx); return err })
	}
	if err := together(tasks...); err != nil {
		return nil, err
	}
	for _, p := range panels {
		switch {
		case p == nil:
		case p.Urgent:
			d.Urgent = append(d.Urgent, p)
		case len(p.Items) == 0 && p.Empty != "":
			d.Clear = append(d.Clear, p)
		default:
			d.Panels = append(d.Panels, p)
		}
	}
	return d, nil
}

// resolve reads the viewer's account and memberships, at the same time.
func (s *Service) resolve(ctx context.Context) (*Viewer, error) {
	v := &Viewer{}
	err := together(
		func() (err error) { v.User, err = s.auth.GetUser(ctx, auth.PrincipalFrom(ctx).UserID); return err },
		func() (err error) { v.Groups, err = s.memberships(ctx); return err },
	)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// together runs fns concurrently and returns the first error, after all
// have finished.
func together(fns ...func() error) error {
	errsOut := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns[1:] {
		wg.Add(1)
		go func() { defer wg.Done(); errsOut[i+1] = fn() }()
	}
	if len(fns) > 0 {
		errsOut[0] = fns[0]() // the first on this goroutine
	}
	wg.Wait()
	for _, err := range errsOut {
		if err != nil {
			return err
		}
	}
	return nil
}

// CanListen reports whether the request may follow the announcements
// stream: anyone signed in.
func (s *Service) CanListen(ctx context.Context) error {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return errs.E(errs.Unauthorized, "Log in to receive announcements.")
	}
	return nil
}

// networkFigures returns the network's figures, at most countsTTL old.
func (s *Service) networkFigures(ctx context.Context) (*Figures, error) {
	s.mu.Lock()
	if s.counts != nil && time.Since(s.countsAt) < countsTTL {
		f := s.counts
		s.mu.Unlock()
		return f, nil
	}
	s.mu.Unlock()
	f, err := s.figures(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.counts, s.countsAt = f, time.Now()
	s.mu.Unlock()
	return f, nil
}
