package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// LinkInput is a mailed link followed in a browser: its token and what the
// request says about the browser (as LoginInput).
type LinkInput struct {
	Token, IP, UserAgent string
	// Device is the browser's device cookie, "" when it has none.
	Device string
}

// ConfirmSignUp confirms an address with the token from the verification
// link mailed at sign-up and starts a session, so that a newcomer carries
// on signed in, in whichever browser they opened the mail (issue 16).
//
// The link is as strong a proof as a login link (it went to the same inbox)
// and works once: the token is spent in the same transaction that starts
// the session, so a second click, or a second browser, gets errs.Invalid and
// no session. Only the POST behind the link's button calls this; the GET a
// mail scanner makes shows the button and changes nothing. As at Login, the
// session is MFA-pending when TOTP is on, the browser becomes a known device,
// and the login is audited ("session.login_verify"). Login.First says
// whether the account had never logged in before.
//
// Errors: errs.Invalid ("This link has expired or has already been used.")
// for an unknown, used or expired token, or one for an address the account
// no longer has; errs.TooMany after 20 bad links from this IP in 15 minutes
// (the limit login links share); errs.Forbidden for a disabled account
// (the link is then left unused and the address unconfirmed).
func (s *Service) ConfirmSignUp(ctx context.Context, in LinkInput) (*Login, error) {
	var login *Login
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		u, err := verifyEmail(ctx, tx, in.Token, now)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errs.E(errs.Forbidden, msgDisabled)
		}
		login, err = s.logIn(ctx, tx, &u.User, u.TOTPEnabled, in.UserAgent, in.Device, in.IP, now, "session.login_verify", "verify_email")
		return err
	})
	if errs.Is(err, errs.Invalid) {
		if herr := s.hit(ctx, limitLinkIP, in.IP); herr != nil {
			return nil, herr
		}
	}
	if err != nil {
		return nil, err
	}
	return login, nil
}

// verifyEmail spends a verification token in tx, marks its address
// confirmed and audits it; it returns the account.
func verifyEmail(ctx context.Context, tx *db.Tx, token string, now time.Time) (*userRow, error) {
	userID, email, err := consumeToken(ctx, tx, KindVerifyEmail, token, now)
	if err != nil {
		return nil, err
	}
	u, err := getUser(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if u.Email != email {
		return nil, errs.E(errs.Invalid, msgLinkExpired)
	}
	if err := markVerified(ctx, tx, u.ID, now); err != nil {
		return nil, err
	}
	u.EmailVerified = true
	if err := audit.Record(actingAs(ctx, u.ID, u.Email), tx, "user.verify_email", "user", u.ID, nil); err != nil {
		return nil, err
	}
	return u, nil
}

// neverLoggedIn reports whether userID has yet to complete a log-in: every
// log-in remembers the browser it came from (rememberDevice), and those rows
// are only ever trimmed to the newest, never all removed.
func neverLoggedIn(ctx context.Context, q db.Querier, userID string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM login_sources WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("count log-ins of %s: %w", userID, err)
	}
	return n == 0, nil
}
