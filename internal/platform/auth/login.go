package auth

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// LoginInput is the login form plus what the request says about the browser.
type LoginInput struct {
	Email, Password string
	IP, UserAgent   string
	// Device is the browser's device cookie (Login.Device from an earlier
	// log-in), "" when it has none; it decides which limits count the
	// attempt (devices.go).
	Device string
}

const (
	msgBadLogin = "That email and password don't match an account. Check them, or ask for a login link by mail."
	msgDisabled = "This account has been disabled. Contact the network's organisers."
)

// Login checks an email and password and starts a session.
//
// Every login makes a new session with a new random id; sessions on the
// person's other devices stay signed in (logging in on a phone must not sign
// out the laptop; "log out everywhere" is ResetPassword's and
// ChangePassword's job). Unverified addresses may log in: User.EmailVerified
// is false and the dashboard asks them to confirm; rules that need a
// confirmed address say so in the policy (Rule.Verified). Refusing them would
// strand people whose verification mail went to spam, for no security gain:
// verification proves the address, not the password.
//
// When the user has TOTP on, the session is MFA-pending (Login.NeedsTOTP)
// and only CompleteTOTP can finish it.
//
// Errors: errs.Invalid with one message for a wrong email or password
// (never saying which); errs.TooMany when the attempt's limits are used up
// (loginLimits: which limits count it depends on whether it comes from a
// stranger, the account's usual address or one of its known browsers, so
// strangers cannot lock the owner out); errs.Forbidden for a disabled
// account (only once the password matched).
func (s *Service) Login(ctx context.Context, in LoginInput) (*Login, error) {
	email := NormalizeEmail(in.Email)
	u, err := getUserByEmail(ctx, s.db.Q(), email)
	if err != nil && !db.IsNotFound(err) {
		return nil, fmt.Errorf("login: %w", err)
	}
	src, err := s.sourceOf(ctx, u, in.Device, in.IP)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	hits := loginLimits(src, email, in.IP, in.Device)
	if err := s.hitAll(ctx, hits...); err != nil {
		if errs.Is(err, errs.TooMany) {
			// The owner refused here (a new browser during an attack) still
			// has the mailed link, which no password counter blocks.
			return nil, errs.E(errs.TooMany, "%s You can still log in with a link sent by mail.", errs.MessageOf(err))
		}
		return nil, err
	}
	if u == nil || u.PasswordHash == "" {
		// Spend the same time as a real check so that timing does not tell
		// which emails have accounts.
		_, _ = CheckPassword(s.dummy(), in.Password)
		return nil, errs.E(errs.Invalid, msgBadLogin)
	}
	ok, err := CheckPassword(u.PasswordHash, in.Password)
	if err != nil {
		s.log.ErrorContext(ctx, "unreadable password hash", slog.String("user_id", u.ID), slog.Any("err", err))
	}
	if !ok {
		return nil, errs.E(errs.Invalid, msgBadLogin)
	}
	for _, h := range hits {
		s.giveBack(ctx, h.l, h.key)
	}
	if u.Disabled {
		return nil, errs.E(errs.Forbidden, msgDisabled)
	}
	var login *Login
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		if NeedsRehash(u.PasswordHash, s.cfg.Password) {
			hash, err := HashPassword(in.Password, s.cfg.Password)
			if err != nil {
				return err
			}
			if err := updateUser(ctx, tx, u.ID, now, "password_hash = ?", hash); err != nil {
				return err
			}
		}
		// The password is proof enough to make this browser known: the
		// device only changes which budget later password attempts use.
		login, err = s.logIn(ctx, tx, &u.User, u.TOTPEnabled, in.UserAgent, in.Device, in.IP, now, "session.login", "password")
		return err
	})
	if err != nil {
		return nil, err
	}
	return login, nil
}

func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		s.dummyHash, _ = HashPassword(newToken(), s.cfg.Password)
	})
	return s.dummyHash
}

// RequestLoginLink mails a one-time login link to email if it has an
// account. It returns nil whether or not it does, so that the form cannot be
// used to find out who has an account.
//
// Errors: errs.Invalid with Fields "email" when it is not an address;
// errs.TooMany after 5 mailed links an hour to this address (login and reset
// links together) or 20 from this IP — except from a browser that holds the
// account's device cookie (device), which has its own 5 an hour, so that
// strangers asking for links to the owner's address cannot stop the owner
// asking for one.
func (s *Service) RequestLoginLink(ctx context.Context, email, ip, device string) error {
	return s.mailLink(ctx, email, ip, device, KindLoginLink, "user.login_link_sent", func(u *userRow, tok string) (string, string, string) {
		text := fmt.Sprintf("Hello %s,\n\nOpen this link to log in to %s:\n\n%s\n\n"+
			"It works once, for %s. If you did not ask for it, ignore this mail: nobody can use it without your inbox.\n",
			u.Name, s.cfg.SiteName, s.link("/login/link/", tok), humanDuration(s.cfg.LinkTTL))
		return "Your login link for " + s.cfg.SiteName, text, "auth.login_link"
	})
}

// mailLink is the shared path of the mailed one-time links (log in, reset
// password): validate the address, count it against the shared rate limit,
// and — only when the address has an active account, so the answer never
// tells who has one — issue a token, audit, and queue the mail that compose
// writes (subject, text, related).
func (s *Service) mailLink(ctx context.Context, email, ip, device string, kind TokenKind, auditAction string,
	compose func(u *userRow, tok string) (subject, text, related string)) error {
	email = NormalizeEmail(email)
	if !validEmail(email) {
		return errs.Fields(map[string]string{"email": msgEmailInvalid})
	}
	u, err := getUserByEmail(ctx, s.db.Q(), email)
	if err != nil && !db.IsNotFound(err) {
		return fmt.Errorf("%s: %w", auditAction, err)
	}
	// Only the device cookie counts here, not the usual address: a link
	// goes to the inbox whoever asks, so the budget guards the inbox.
	src, err := s.sourceOf(ctx, u, device, "")
	if err != nil {
		return fmt.Errorf("%s: %w", auditAction, err)
	}
	hits := []limitHit{{limitMailEmail, email}, {limitMailIP, ip}}
	if src == sourceKnownDevice {
		hits = []limitHit{{limitMailDevice, device}}
	}
	if err := s.hitAll(ctx, hits...); err != nil {
		return err
	}
	if u == nil || u.Disabled {
		return nil
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		tok, err := issueToken(ctx, tx, kind, u.ID, u.Email, s.now(), s.cfg.LinkTTL)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, auditAction, "user", u.ID, nil); err != nil {
			return err
		}
		subject, text, related := compose(u, tok)
		return s.send(ctx, tx, u.Email, subject, text, related)
	})
}

// LoginWithLink starts a session from a mailed login link and marks the
// address verified (the link proves it). The link works once, for
// Config.LinkTTL. With TOTP on, the session is MFA-pending as after Login.
// A good link is never refused by a rate limit: it carries 256 random bits,
// so no counter would slow a guesser, and password failures must not be able
// to block it. device is the browser's device cookie, renewed (or made) as
// at Login.
//
// Errors: errs.Invalid ("This link has expired or has already been used.");
// errs.TooMany after 20 bad links from this IP in 15 minutes (noise only);
// errs.Forbidden for a disabled account.
func (s *Service) LoginWithLink(ctx context.Context, token, ip, device, userAgent string) (*Login, error) {
	var login *Login
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		userID, email, err := consumeToken(ctx, tx, KindLoginLink, token, now)
		if err != nil {
			return err
		}
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Email != email {
			return errs.E(errs.Invalid, msgLinkExpired)
		}
		if u.Disabled {
			return errs.E(errs.Forbidden, msgDisabled)
		}
		if err := markVerified(ctx, tx, u.ID, now); err != nil {
			return err
		}
		u.EmailVerified = true
		login, err = s.logIn(ctx, tx, &u.User, u.TOTPEnabled, userAgent, device, ip, now, "session.login_link", "link")
		return err
	})
	if errs.Is(err, errs.Invalid) {
		if herr := s.hit(ctx, limitLinkIP, ip); herr != nil {
			return nil, herr
		}
	}
	if err != nil {
		return nil, err
	}
	return login, nil
}
