package notices

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// ActPrefs is reading or changing a person's notification preferences:
// the person themself (Self, by their account) and admins.
const ActPrefs auth.Action = "notices.prefs"

// Rules are the policy rows of this package.
func Rules() []auth.Rule {
	return []auth.Rule{{Action: ActPrefs, Self: true,
		Refusal: "You can change only your own notification settings."}}
}

// DefaultDigestHour is when the daily digest goes, in the network's zone,
// unless configured otherwise (MOMENTUM_DIGEST_TIME): before the working
// day.
const DefaultDigestHour = 7

// Sender is what a capability's notifier needs of this package: *Service
// implements it.
type Sender interface {
	Send(ctx context.Context, tx *db.Tx, personID string, n Notice) error
}

var _ Sender = (*Service)(nil)

// Service delivers notices as each person chose and keeps their choices.
type Service struct {
	d     Deps
	kinds map[string]Kind
	order []Kind
	log   *slog.Logger
	now   func() time.Time
}

// Deps is everything the service needs. Every field is required but Log,
// Now and SiteName (default "Momentum", as the configuration's).
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Mail   mail.Queuer
	// Kinds are every kind of notice the capabilities send, each declared
	// by its capability (events.NoticeKinds, decisions.NoticeKinds).
	Kinds []Kind
	// SiteName names the network in the digest ("Your day on …").
	SiteName string
	// BaseURL is the site's public address, for the preferences link.
	BaseURL string
	// Zone is the network's time zone; DigestHour (0–23) and
	// DigestMinute (0–59) the time in it at which the daily digest goes
	// (config.Config.DigestAt; DefaultDigestHour).
	Zone         *time.Location
	DigestHour   int
	DigestMinute int
	Log          *slog.Logger
	Now          func() time.Time
}

// New returns the service, or an error naming what is missing.
func New(d Deps) (*Service, error) {
	if err := hook.Need("notices.New", "DB", d.DB, "Policy", d.Policy, "Mail", d.Mail, "Zone", d.Zone); err != nil {
		return nil, err
	}
	if d.BaseURL == "" || len(d.Kinds) == 0 {
		return nil, errors.New("notices.New: missing BaseURL or Kinds")
	}
	d.SiteName = cmp.Or(d.SiteName, "Momentum")
	if d.DigestHour < 0 || d.DigestHour > 23 || d.DigestMinute < 0 || d.DigestMinute > 59 {
		return nil, fmt.Errorf("notices.New: %d:%d is not a time of day", d.DigestHour, d.DigestMinute)
	}
	s := &Service{d: d, kinds: map[string]Kind{}, log: d.Log, now: d.Now}
	for _, k := range d.Kinds {
		if err := k.check(); err != nil {
			return nil, err
		}
		if _, dup := s.kinds[k.Name]; dup {
			return nil, fmt.Errorf("notices.New: kind %q declared twice", k.Name)
		}
		s.kinds[k.Name] = k
		s.order = append(s.order, k)
	}
	s.d.BaseURL = strings.TrimSuffix(d.BaseURL, "/")
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

// Kinds returns the declared kinds in the order given.
func (s *Service) Kinds() []Kind { return append([]Kind(nil), s.order...) }

// PrefsURL is the page where a person chooses; mails link to it.
func (s *Service) PrefsURL() string { return s.d.BaseURL + "/account/notifications" }

// Send delivers n to the person as they chose for its kind, inside tx (the
// caller's write): instant (the default) queues the mail, digest keeps it
// for the daily digest, off drops it. A service kind always queues. It
// checks no permission: the caller is a capability writing to a person
// about their own business.
//
// Errors: errs.Invalid naming "to", "subject", "text" or "why" (from the
// mail package when instant); an internal error for an undeclared kind (a
// bug).
func (s *Service) Send(ctx context.Context, tx *db.Tx, personID string, n Notice) error {
	k, ok := s.kinds[n.Kind]
	if !ok {
		return fmt.Errorf("notices: kind %q was not declared in Deps.Kinds", n.Kind)
	}
	mode := ModeInstant
	if !k.Service {
		var err error
		if mode, err = modeOf(ctx, tx, personID, k.Name); err != nil {
			return err
		}
	}
	switch mode {
	case ModeOff:
		return nil
	case ModeDigest:
		// The mail package checks these when the digest is queued; a
		// notice kept for it is checked now, so a bad one fails its
		// sender rather than a whole digest later.
		problems := map[string]string{}
		for field, v := range map[string]string{"to": n.To, "subject": n.Subject, "text": n.Text, "why": n.Why} {
			if strings.TrimSpace(v) == "" {
				problems[field] = "A notice needs an address, a subject, a text and a why-line."
			}
		}
		if err := errs.Fields(problems); err != nil {
			return err
		}
		return keepForDigest(ctx, tx, personID, n, s.now())
	}
	_, err := s.d.Mail.Queue(ctx, tx, mail.Message{To: n.To, Subject: n.Subject, Text: n.Text, HTML: n.HTML,
		Kind: mail.KindService, Related: n.Kind, Why: n.Why})
	return err
}

// Prefs returns every declared kind with the person's mode for it (service
// kinds always instant). The person themself and admins may read them.
//
// Errors: errs.Unauthorized, errs.NotFound (no such person, or not yours).
func (s *Service) Prefs(ctx context.Context, personID string) ([]Pref, error) {
	if err := s.may(ctx, personID); err != nil {
		return nil, err
	}
	chosen, err := modesOf(ctx, s.d.DB.Q(), personID)
	if err != nil {
		return nil, err
	}
	out := make([]Pref, 0, len(s.order))
	for _, k := range s.order {
		m := ModeInstant
		if c, ok := chosen[k.Name]; ok && !k.Service {
			m = c
		}
		out = append(out, Pref{Kind: k, Mode: m})
	}
	return out, nil
}

// SavePrefs sets the person's mode for each kind named in modes (kinds not
// named keep theirs). The person themself and admins may.
//
// Errors: errs.Unauthorized, errs.NotFound; errs.Invalid naming the kind
// whose mode is not instant, digest or off, or that is not a kind one can
// switch (unknown, or service mail).
func (s *Service) SavePrefs(ctx context.Context, personID string, modes map[string]Mode) error {
	if err := s.may(ctx, personID); err != nil {
		return err
	}
	problems := map[string]string{}
	for name, m := range modes {
		k, ok := s.kinds[name]
		switch {
		case !ok || k.Service:
			problems[name] = "This is not a notification you can switch."
		case !m.valid():
			problems[name] = "Choose instant, daily digest or off."
		}
	}
	if err := errs.Fields(problems); err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		changed := map[string]any{}
		for name, m := range modes {
			if err := setMode(ctx, tx, personID, name, m, now); err != nil {
				return err
			}
			changed[name] = string(m)
		}
		return audit.Record(ctx, tx, "notices.prefs_changed", "person", personID, changed)
	})
}

// MyPersonID returns the person of the signed-in account, for the
// preferences page.
//
// Errors: errs.Unauthorized; errs.NotFound when the account has no person
// (erased).
func (s *Service) MyPersonID(ctx context.Context) (string, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return "", errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	return personOfUser(ctx, s.d.DB.Q(), p.UserID)
}

// may checks that the principal may read and change personID's
// preferences: a person the viewer may not reach is "not found".
func (s *Service) may(ctx context.Context, personID string) error {
	who := auth.PrincipalFrom(ctx)
	if who == nil {
		return errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	userID, err := userOfPerson(ctx, s.d.DB.Q(), personID)
	if err != nil {
		return err
	}
	err = s.d.Policy.Can(ctx, who, ActPrefs, auth.Resource{Kind: "person", ID: userID})
	if errs.Is(err, errs.Forbidden) {
		return errs.E(errs.NotFound, "There is no such person.")
	}
	return err
}
