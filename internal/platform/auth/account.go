package auth

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// RequestPasswordReset mails a reset link to email if it has an account,
// and returns nil either way (no account enumeration).
//
// Errors: errs.Invalid with Fields "email" when it is not an address;
// errs.TooMany as for RequestLoginLink (they share the limit).
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	return s.mailLink(ctx, email, ip, "", KindResetPassword, "user.password_reset_requested", func(u *userRow, tok string) (string, string, string) {
		text := fmt.Sprintf("Hello %s,\n\nOpen this link to choose a new password for %s:\n\n%s\n\n"+
			"It works once, for %s. If you did not ask for it, ignore this mail: your password stays as it is.\n",
			u.Name, s.cfg.SiteName, s.link("/reset/", tok), humanDuration(s.cfg.LinkTTL))
		return "Reset your password for " + s.cfg.SiteName, text, "auth.reset_password"
	})
}

// ResetPassword sets a new password from a reset link, marks the address
// verified (the link proves it), ends every session of the account (whoever
// knew the old password is signed out) and retires other reset and login
// links.
//
// Errors: errs.Invalid with Fields "password" (checked before the link is
// used up); errs.Invalid ("This link has expired or has already been used.").
func (s *Service) ResetPassword(ctx context.Context, token, newPassword string) error {
	if p := passwordProblem(newPassword); p != "" {
		return errs.Fields(map[string]string{"password": p})
	}
	hash, err := HashPassword(newPassword, s.cfg.Password)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		userID, email, err := consumeToken(ctx, tx, KindResetPassword, token, now)
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
		if err := updateUser(ctx, tx, u.ID, now, "password_hash = ?, email_verified_at = COALESCE(email_verified_at, ?)", hash, now); err != nil {
			return err
		}
		ended, err := endSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := retireTokens(ctx, tx, u.ID, now, KindResetPassword, KindLoginLink); err != nil {
			return err
		}
		return audit.Record(actingAs(ctx, u.ID, u.Email), tx, "user.password_reset", "user", u.ID,
			map[string]any{"sessions_ended": ended})
	})
}

// ChangePassword replaces a signed-in user's password, checking the current
// one, and ends their other sessions (the one making the request, named by
// the principal's SessionID, stays).
//
// Errors: errs.Forbidden unless the actor is this user (or an admin);
// errs.Invalid with Fields "current" (wrong) or "password" (the new one
// breaks the rule); errs.TooMany after 5 wrong current passwords in 15 minutes.
func (s *Service) ChangePassword(ctx context.Context, userID, current, next string) error {
	if err := s.can(ctx, ActAccountEdit, Resource{Kind: "user", ID: userID}); err != nil {
		return err
	}
	if p := passwordProblem(next); p != "" {
		return errs.Fields(map[string]string{"password": p})
	}
	u, err := s.checkCurrentPassword(ctx, userID, current, "current")
	if err != nil {
		return err
	}
	hash, err := HashPassword(next, s.cfg.Password)
	if err != nil {
		return err
	}
	keep := ""
	if p := PrincipalFrom(ctx); p != nil && p.UserID == userID {
		keep = p.SessionID
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		if err := updateUser(ctx, tx, u.ID, now, "password_hash = ?", hash); err != nil {
			return err
		}
		ended, err := endSessions(ctx, tx, u.ID, keep)
		if err != nil {
			return err
		}
		if err := retireTokens(ctx, tx, u.ID, now, KindResetPassword); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user.password_changed", "user", u.ID, map[string]any{"sessions_ended": ended})
	})
}

// checkCurrentPassword loads userID and checks pw against their password,
// throttled per user; a mismatch is a field error on field.
func (s *Service) checkCurrentPassword(ctx context.Context, userID, pw, field string) (*userRow, error) {
	u, err := getUser(ctx, s.db.Q(), userID)
	if db.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	if err != nil {
		return nil, err
	}
	if err := s.hit(ctx, limitPwUser, userID); err != nil {
		return nil, err
	}
	if u.PasswordHash == "" {
		return nil, errs.Fields(map[string]string{field: "This account has no password yet: set one with a password reset link first."})
	}
	ok, err := CheckPassword(u.PasswordHash, pw)
	if err != nil {
		s.log.ErrorContext(ctx, "unreadable password hash", slog.String("user_id", u.ID), slog.Any("err", err))
	}
	if !ok {
		return nil, errs.Fields(map[string]string{field: "That is not your current password."})
	}
	s.giveBack(ctx, limitPwUser, userID)
	return u, nil
}

// RequestEmailChange mails a confirmation link to newEmail and a notice to
// the current address. The address changes only when the link is opened
// (ConfirmEmailChange), so nobody can move an account to an address they do
// not read. A newer request retires older ones.
//
// Errors: errs.Forbidden unless the actor is this user (or an admin);
// errs.Invalid with Fields "email" (not an address, unchanged, or taken) or
// "password" (wrong); errs.TooMany.
func (s *Service) RequestEmailChange(ctx context.Context, userID, newEmail, password string) error {
	if err := s.can(ctx, ActAccountEdit, Resource{Kind: "user", ID: userID}); err != nil {
		return err
	}
	newEmail = NormalizeEmail(newEmail)
	if !validEmail(newEmail) {
		return errs.Fields(map[string]string{"email": msgEmailInvalid})
	}
	u, err := s.checkCurrentPassword(ctx, userID, password, "password")
	if err != nil {
		return err
	}
	if newEmail == u.Email {
		return errs.Fields(map[string]string{"email": "That is already your email address."})
	}
	if err := s.hit(ctx, limitMailEmail, newEmail); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, newEmail).Scan(&n); err != nil {
			return fmt.Errorf("request email change: %w", err)
		}
		if n > 0 {
			return errs.Fields(map[string]string{"email": "Another account uses this email address."})
		}
		now := s.now()
		if err := retireTokens(ctx, tx, u.ID, now, KindChangeEmail); err != nil {
			return err
		}
		tok, err := issueToken(ctx, tx, KindChangeEmail, u.ID, newEmail, now, s.cfg.VerifyTTL)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, "user.email_change_requested", "user", u.ID, map[string]any{"new_email": newEmail}); err != nil {
			return err
		}
		text := fmt.Sprintf("Hello %s,\n\nOpen this link to use this address for your %s account:\n\n%s\n\n"+
			"It works once, for %s. If you did not ask for this, ignore this mail.\n",
			u.Name, s.cfg.SiteName, s.link("/account/email/", tok), humanDuration(s.cfg.VerifyTTL))
		if err := s.send(ctx, tx, newEmail, "Confirm your new email address", text, "auth.change_email"); err != nil {
			return err
		}
		notice := fmt.Sprintf("Hello %s,\n\nSomeone signed in to your %s account asked to change its email address to %s. "+
			"Nothing changes until that address confirms.\n\nIf this was not you, reset your password now.\n",
			u.Name, s.cfg.SiteName, newEmail)
		return s.send(ctx, tx, u.Email, "Your email address is about to change", notice, "auth.change_email_notice")
	})
}

// ConfirmEmailChange moves the account to the address the link was sent to
// and marks it verified.
//
// Errors: errs.Invalid ("This link has expired or has already been used.");
// errs.Conflict when another account took the address meanwhile.
func (s *Service) ConfirmEmailChange(ctx context.Context, token string) (*User, error) {
	var u *userRow
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		userID, newEmail, err := consumeToken(ctx, tx, KindChangeEmail, token, now)
		if err != nil {
			return err
		}
		if u, err = getUser(ctx, tx, userID); err != nil {
			return err
		}
		old := u.Email
		err = updateUser(ctx, tx, u.ID, now, "email = ?, email_verified_at = ?", newEmail, now)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "Another account uses this email address now.")
		}
		if err != nil {
			return err
		}
		// Links sent to the old address stop working.
		if err := retireTokens(ctx, tx, u.ID, now, KindVerifyEmail, KindLoginLink, KindResetPassword); err != nil {
			return err
		}
		u.Email, u.EmailVerified = newEmail, true
		return audit.Record(actingAs(ctx, u.ID, old), tx, "user.email_change", "user", u.ID,
			map[string]any{"old_email": old, "new_email": newEmail})
	})
	if err != nil {
		return nil, err
	}
	user := u.User
	return &user, nil
}
