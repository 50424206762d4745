package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Config is what the auth service needs from the deployment's settings.
type Config struct {
	// BaseURL is the site's address, for links in mail, e.g.
	// "https://act.example.org" (no trailing slash needed).
	BaseURL string
	// SessionIdle ends a session unused for this long (default 7 days);
	// SessionMax ends any session this long after login (default 30 days).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// LinkTTL is how long login and password-reset links work (default 20
	// minutes); VerifyTTL how long email-verification and email-change links
	// work (default 48 hours: people read mail a day later).
	LinkTTL   time.Duration
	VerifyTTL time.Duration
	// RequireAdminTOTP makes Authenticate flag admins without TOTP
	// (Session.MustEnrolTOTP) so the middleware sends them to enrol.
	RequireAdminTOTP bool
	// SiteName names the network in mail and authenticator apps (default
	// "Momentum").
	SiteName string
	// Now is the clock (default db.Now). Tests inject one they can advance.
	Now func() time.Time
	// Password sets argon2id's cost (default DefaultPasswordParams).
	Password PasswordParams
}

func (c Config) withDefaults() Config {
	if c.SessionIdle <= 0 {
		c.SessionIdle = 7 * 24 * time.Hour
	}
	if c.SessionMax <= 0 {
		c.SessionMax = 30 * 24 * time.Hour
	}
	if c.LinkTTL <= 0 {
		c.LinkTTL = 20 * time.Minute
	}
	if c.VerifyTTL <= 0 {
		c.VerifyTTL = 48 * time.Hour
	}
	if c.SiteName == "" {
		c.SiteName = "Momentum"
	}
	if c.Now == nil {
		c.Now = db.Now
	}
	if c.Password == (PasswordParams{}) {
		c.Password = DefaultPasswordParams
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// Service is the only way into accounts, sessions and permissions.
type Service struct {
	db     *db.DB
	mail   Mailer
	policy *Policy
	cfg    Config
	log    *slog.Logger

	// dummyHash is checked against when an email is unknown, so that a login
	// for a missing account takes as long as one for a real one.
	dummyOnce sync.Once
	dummyHash string

	onCreated *hook.Hook[AccountHook]
}

// NewService returns the auth service. p may be nil (a policy with no
// GroupRoles is made); log may be nil.
func NewService(d *db.DB, m Mailer, p *Policy, cfg Config, log *slog.Logger) *Service {
	if p == nil {
		p = NewPolicy()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: d, mail: m, policy: p, cfg: cfg.withDefaults(), log: log,
		onCreated: hook.New[AccountHook]("auth: account created")}
}

// Policy returns the policy the service checks against, for other services.
func (s *Service) Policy() *Policy { return s.policy }

// Actor returns who is acting in ctx (nil when nobody is signed in).
func (s *Service) Actor(ctx context.Context) *Principal { return PrincipalFrom(ctx) }

// now is the injected clock, in UTC to the microsecond (what both engines keep).
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// can checks the principal in ctx against the policy.
func (s *Service) can(ctx context.Context, act Action, res Resource) error {
	return s.policy.Can(ctx, PrincipalFrom(ctx), act, res)
}

// actingAs makes the user the audit actor when nobody else is (signup, login
// and links act for a person not yet signed in).
func actingAs(ctx context.Context, userID, email string) context.Context {
	if PrincipalFrom(ctx) != nil || reqctx.ActorFrom(ctx).ID != "" {
		return ctx
	}
	return reqctx.WithActor(ctx, reqctx.Actor{ID: userID, Label: email})
}

// internal wraps an unexpected error so that nothing in its chain (such as
// a field error from the mail package) reaches a user.
func internal(what string, err error) error {
	return &errs.Error{Code: errs.Internal, Message: "internal error", Err: fmt.Errorf("%s: %w", what, err)}
}

// whyFor is the why-line of each account mail, by its related label: the
// last line of the mail, saying why the person got it (mail.Message.Why).
// %s is the site's name.
var whyFor = map[string]string{
	"auth.verify_email":        "You get this because this address was used to sign up to %s.",
	"auth.change_email":        "You get this because someone signed in to a %s account asked to use this address for it.",
	"auth.change_email_notice": "You get this because someone asked to change the email address of your %s account.",
	"auth.reset_password":      "You get this because someone asked to reset the password of your %s account.",
	"auth.login_link":          "You get this because someone asked for a link to log in to your %s account.",
}

// send queues one service mail in tx, with the why-line of related.
func (s *Service) send(ctx context.Context, tx *db.Tx, to, subject, text, related string) error {
	why := ""
	if w, ok := whyFor[related]; ok {
		why = fmt.Sprintf(w, s.cfg.SiteName)
	}
	_, err := s.mail.Queue(ctx, tx, OutgoingMail{To: to, Subject: subject, Text: text, Kind: mail.KindService, Related: related, Why: why})
	if err != nil {
		return internal("queue "+related+" mail", err)
	}
	return nil
}

func (s *Service) link(path, token string) string { return s.cfg.BaseURL + path + token }

// SignUpInput is the signup form.
type SignUpInput struct {
	Name, Email, Password string
	IP                    string // for rate limiting
}

// SignUp creates a supporter account and mails a verification link.
//
// Errors: errs.Invalid with Fields "name", "email" or "password" (including
// an email already taken); errs.TooMany when this IP has signed up too often.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (*User, error) {
	name, nameProblem := validateName(in.Name)
	email := NormalizeEmail(in.Email)
	problems := map[string]string{}
	if nameProblem != "" {
		problems["name"] = nameProblem
	}
	if !validEmail(email) {
		problems["email"] = msgEmailInvalid
	}
	if p := passwordProblem(in.Password); p != "" {
		problems["password"] = p
	}
	if err := errs.Fields(problems); err != nil {
		return nil, err
	}
	if err := s.hit(ctx, limitSignupIP, in.IP); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password, s.cfg.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{ID: db.NewID(), Email: email, Name: name, Role: RoleSupporter, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := insertUser(ctx, tx, u, hash, now); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.Fields(map[string]string{"email": msgEmailTaken})
			}
			return err
		}
		if err := s.accountCreated(ctx, tx, u); err != nil {
			return err
		}
		ctx := actingAs(ctx, u.ID, u.Email)
		if err := audit.Record(ctx, tx, "user.signup", "user", u.ID, map[string]any{"role": string(u.Role)}); err != nil {
			return err
		}
		return s.sendVerification(ctx, tx, u, now)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Service) sendVerification(ctx context.Context, tx *db.Tx, u *User, now time.Time) error {
	tok, err := issueToken(ctx, tx, KindVerifyEmail, u.ID, u.Email, now, s.cfg.VerifyTTL)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Hello %s,\n\nPlease confirm your email address for %s by opening this link:\n\n%s\n\n"+
		"The link works once, for %s. If you did not sign up, ignore this mail.\n",
		u.Name, s.cfg.SiteName, s.link("/verify/", tok), humanDuration(s.cfg.VerifyTTL))
	return s.send(ctx, tx, u.Email, "Confirm your email address", text, "auth.verify_email")
}

// VerifyEmail confirms an address with the token from a verification link.
//
// Errors: errs.Invalid ("This link has expired or has already been used.")
// when the token is unknown, used, expired, or for an address the account no
// longer has.
func (s *Service) VerifyEmail(ctx context.Context, token string) (*User, error) {
	var u *userRow
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		u, err = verifyEmail(ctx, tx, token, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	user := u.User
	return &user, nil
}

// humanDuration writes a link lifetime for mail: "20 minutes", "48 hours".
func humanDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0 && d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d == time.Hour:
		return "one hour"
	default:
		return fmt.Sprintf("%d minutes", max(1, int(d/time.Minute)))
	}
}
