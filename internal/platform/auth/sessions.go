package auth

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Session is a signed-in browser.
type Session struct {
	// ID is the SHA-256 (hex) of the cookie value: safe to show ("your
	// sessions") and to log, useless as a cookie.
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
	// MFAPending: the password (or link) is done, the TOTP code is not.
	// Such a session authenticates nothing; only CompleteTOTP accepts it.
	MFAPending bool
	// MustEnrolTOTP is set by Authenticate when Config.RequireAdminTOTP is on
	// and this admin has no TOTP yet: the middleware sends them to enrol.
	MustEnrolTOTP bool
	UserAgent     string
}

// Login is the result of a successful first (or second) login step.
type Login struct {
	// Token is the cookie value. It is never stored; only its hash is.
	Token   string
	Session Session
	User    User
	// NeedsTOTP: the session is MFA-pending; ask for a code and call
	// CompleteTOTP with Token.
	NeedsTOTP bool
	// Device is the device cookie to give the browser (devices.go): set by
	// Login and LoginWithLink once the password or link proved good.
	Device string
	// First: the account had never logged in before this (issue 16: the
	// first greeting is "Welcome", later ones "Welcome back").
	First bool
}

// pendingTTL bounds an MFA-pending session: long enough to find the phone.
const pendingTTL = 10 * time.Minute

// touchEvery is how stale last_seen_at may get before Authenticate writes it,
// so that most requests cost one read.
const touchEvery = time.Minute

const maxUserAgent = 512

const (
	msgLoginRequired  = "Please log in to continue."
	msgSessionEnded   = "Your session has ended. Please log in again."
	msgPendingExpired = "Your login has timed out. Please log in again."
)

// logIn starts a session for u in tx, the same way for every way in
// (password, login link, confirmed sign-up): it notes whether this is the
// account's first log-in (before the browser is remembered, issue 16's
// first or returning greeting), remembers the browser, and audits event
// with method.
func (s *Service) logIn(ctx context.Context, tx *db.Tx, u *User, totp bool, userAgent, device, ip string, now time.Time, event, method string) (*Login, error) {
	first, err := neverLoggedIn(ctx, tx, u.ID)
	if err != nil {
		return nil, err
	}
	login, err := s.createSession(ctx, tx, u, userAgent, totp, now)
	if err != nil {
		return nil, err
	}
	login.First = first
	if login.Device, err = s.rememberDevice(ctx, tx, u.ID, device, ip, now); err != nil {
		return nil, err
	}
	if err := audit.Record(actingAs(ctx, u.ID, u.Email), tx, event, "session", login.Session.ID,
		map[string]any{"method": method, "mfa_pending": login.NeedsTOTP}); err != nil {
		return nil, err
	}
	return login, nil
}

// createSession stores a new session for userID and returns the login with
// its cookie token. Every call makes a fresh 256-bit id, so a login never
// reuses an id someone else might know (no session fixation).
func (s *Service) createSession(ctx context.Context, tx *db.Tx, u *User, userAgent string, pending bool, now time.Time) (*Login, error) {
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	tok := newToken()
	sess := Session{
		ID: hashToken(tok), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionMax), MFAPending: pending, UserAgent: userAgent,
	}
	if pending {
		sess.ExpiresAt = now.Add(pendingTTL)
	}
	_, err := tx.Exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, mfa_pending, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		sess.ID, sess.UserID, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt, sess.MFAPending, sess.UserAgent)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return &Login{Token: tok, Session: sess, User: *u, NeedsTOTP: pending}, nil
}

// findSession loads the session whose cookie value is token, with its user.
func findSession(ctx context.Context, q db.Querier, token string) (*Session, *userRow, error) {
	row := q.QueryRow(ctx, `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.mfa_pending, s.user_agent, `+
		userCols("u.")+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, hashToken(token))
	var sess Session
	var dest []any
	dest = append(dest, &sess.ID, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &sess.MFAPending, &sess.UserAgent)
	u, err := scanUser(prefixScanner{row, dest})
	if err != nil {
		return nil, nil, db.NotFound(err, "session")
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastSeenAt.UTC(), sess.ExpiresAt.UTC()
	return &sess, u, nil
}

// prefixScanner scans some leading columns into dest before handing the rest
// to the wrapped scan.
type prefixScanner struct {
	s    scanner
	dest []any
}

func (p prefixScanner) Scan(rest ...any) error { return p.s.Scan(append(p.dest, rest...)...) }

// Authenticate returns the user and session for a cookie value. It is what
// the web middleware calls on every request.
//
// It returns errs.Unauthorized when the token is empty or unknown, the
// session has passed its idle or absolute limit, it still waits for a TOTP
// code, or the account is disabled. It writes last_seen_at at most once a
// minute per session.
func (s *Service) Authenticate(ctx context.Context, sessionToken string) (*User, *Session, error) {
	if sessionToken == "" {
		return nil, nil, errs.E(errs.Unauthorized, msgLoginRequired)
	}
	sess, u, err := findSession(ctx, s.db.Q(), sessionToken)
	if db.IsNotFound(err) {
		return nil, nil, errs.E(errs.Unauthorized, msgLoginRequired)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate: %w", err)
	}
	now := s.now()
	switch {
	case sess.MFAPending:
		return nil, nil, errs.E(errs.Unauthorized, msgLoginRequired)
	case !now.Before(sess.ExpiresAt), now.Sub(sess.LastSeenAt) >= s.cfg.SessionIdle, u.Disabled:
		return nil, nil, errs.E(errs.Unauthorized, msgSessionEnded)
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if _, err := s.db.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, sess.ID); err != nil {
			// Not fatal: the request is authenticated; the next one retries.
			s.log.ErrorContext(ctx, "touch session", slog.Any("err", err))
		} else {
			sess.LastSeenAt = now
		}
	}
	sess.MustEnrolTOTP = s.cfg.RequireAdminTOTP && u.Role == RoleAdmin && !u.TOTPEnabled
	user := u.User
	return &user, sess, nil
}

// Logout ends the session whose cookie value is sessionToken. An unknown or
// already ended session is not an error: logging out is idempotent.
func (s *Service) Logout(ctx context.Context, sessionToken string) error {
	if sessionToken == "" {
		return nil
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var userID, email string
		id := hashToken(sessionToken)
		err := tx.QueryRow(ctx, `DELETE FROM sessions WHERE id = ? RETURNING user_id`, id).Scan(&userID)
		if db.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = ?`, userID).Scan(&email); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		ctx = actingAs(ctx, userID, email)
		return audit.Record(ctx, tx, "session.logout", "session", id, nil)
	})
}

// endSessions deletes every session of userID except keep (a session id, or "").
func endSessions(ctx context.Context, q db.Querier, userID, keep string) (int64, error) {
	res, err := q.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
