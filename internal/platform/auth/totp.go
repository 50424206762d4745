package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TOTP follows RFC 6238 as every authenticator app does: SHA-1, six digits,
// 30-second steps, one step of clock drift either way.
const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

const (
	msgBadCode      = "That code is not right. Enter the 6-digit code your authenticator app shows now."
	msgTOTPOn       = "Two-step login is already on."
	msgTOTPOff      = "Two-step login is not on."
	msgTOTPNotBegun = "Start setting up two-step login again: the setup was not found."
)

// checkCode returns the 30-second step a code belongs to when it is right
// for secret at now (±1 step) and newer than lastStep, so that a code seen
// over someone's shoulder cannot be used again.
func checkCode(secret, code string, lastStep int64, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, t, totpOpts)
		if err != nil {
			return 0, false
		}
		step := t.Unix() / totpPeriod
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > lastStep {
			return step, true
		}
	}
	return 0, false
}

// BeginTOTP makes a new secret for userID and returns it with the otpauth://
// URL for a QR code. TOTP stays off until ConfirmTOTP proves the app has it;
// beginning again replaces an unconfirmed secret.
//
// Errors: errs.Forbidden unless the actor is this user (or an admin);
// errs.Conflict when TOTP is already on.
func (s *Service) BeginTOTP(ctx context.Context, userID string) (secret, otpauthURL string, err error) {
	if err := s.can(ctx, ActAccountEdit, Resource{Kind: "user", ID: userID}); err != nil {
		return "", "", err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return errs.E(errs.Conflict, msgTOTPOn)
		}
		key, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.SiteName, AccountName: u.Email,
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return fmt.Errorf("begin totp: %w", err)
		}
		secret, otpauthURL = key.Secret(), key.URL()
		return updateUser(ctx, tx, userID, s.now(), "totp_secret = ?, totp_enabled_at = NULL", secret)
	})
	if err != nil {
		return "", "", err
	}
	return secret, otpauthURL, nil
}

// ConfirmTOTP turns TOTP on once the person types a code from their app.
//
// Errors: errs.Forbidden (not this user); errs.Conflict when already on;
// errs.Invalid with Fields "code" for a wrong code, or when BeginTOTP was not
// called; errs.TooMany after 5 wrong codes in 15 minutes.
func (s *Service) ConfirmTOTP(ctx context.Context, userID, code string) error {
	if err := s.can(ctx, ActAccountEdit, Resource{Kind: "user", ID: userID}); err != nil {
		return err
	}
	return s.withCode(ctx, userID, code, func(tx *db.Tx, u *userRow, now time.Time) error {
		if u.TOTPEnabled {
			return errs.E(errs.Conflict, msgTOTPOn)
		}
		if u.TOTPSecret == "" {
			return errs.Fields(map[string]string{"code": msgTOTPNotBegun})
		}
		if err := updateUser(ctx, tx, u.ID, now, "totp_enabled_at = ?", now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user.totp_enabled", "user", u.ID, nil)
	})
}

// DisableTOTP turns TOTP off; it takes a current code, so a borrowed
// unlocked laptop is not enough.
//
// Errors: errs.Forbidden (not this user); errs.Conflict when TOTP is off;
// errs.Invalid with Fields "code"; errs.TooMany after 5 wrong codes.
func (s *Service) DisableTOTP(ctx context.Context, userID, code string) error {
	if err := s.can(ctx, ActAccountEdit, Resource{Kind: "user", ID: userID}); err != nil {
		return err
	}
	return s.withCode(ctx, userID, code, func(tx *db.Tx, u *userRow, now time.Time) error {
		if !u.TOTPEnabled {
			return errs.E(errs.Conflict, msgTOTPOff)
		}
		if err := updateUser(ctx, tx, u.ID, now, "totp_secret = NULL, totp_enabled_at = NULL"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user.totp_disabled", "user", u.ID, nil)
	})
}

// withCode checks a TOTP code for userID (throttled per user), records its
// step so it cannot be replayed, and runs fn in the same transaction.
func (s *Service) withCode(ctx context.Context, userID, code string, fn func(tx *db.Tx, u *userRow, now time.Time) error) error {
	if err := s.hit(ctx, limitTOTPUser, userID); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		now := s.now()
		if u.TOTPSecret != "" {
			step, ok := checkCode(u.TOTPSecret, code, u.TOTPLastStep, now)
			if !ok {
				return errs.Fields(map[string]string{"code": msgBadCode})
			}
			if err := updateUser(ctx, tx, u.ID, now, "totp_last_step = ?", step); err != nil {
				return err
			}
		}
		return fn(tx, u, now)
	})
	if err == nil {
		s.giveBack(ctx, limitTOTPUser, userID)
	}
	return err
}

// CompleteTOTP finishes a login that waits for a code: it replaces the
// MFA-pending session with a full one under a new id (the pending token stops
// working) and returns the new cookie value.
//
// Errors: errs.Unauthorized when the pending session is unknown or older
// than ten minutes; errs.Invalid with Fields "code" for a wrong code;
// errs.TooMany after 5 wrong codes in 15 minutes for this account.
func (s *Service) CompleteTOTP(ctx context.Context, sessionToken, code string) (*Login, error) {
	if sessionToken == "" {
		return nil, errs.E(errs.Unauthorized, msgPendingExpired)
	}
	sess, u, err := findSession(ctx, s.db.Q(), sessionToken)
	if db.IsNotFound(err) {
		return nil, errs.E(errs.Unauthorized, msgPendingExpired)
	}
	if err != nil {
		return nil, fmt.Errorf("complete totp: %w", err)
	}
	if !sess.MFAPending || !s.now().Before(sess.ExpiresAt) || u.Disabled || !u.TOTPEnabled {
		return nil, errs.E(errs.Unauthorized, msgPendingExpired)
	}
	var login *Login
	err = s.withCode(ctx, u.ID, code, func(tx *db.Tx, u *userRow, now time.Time) error {
		res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = ? AND mfa_pending = ?`, sess.ID, true)
		if err != nil {
			return fmt.Errorf("complete totp: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 { // a concurrent CompleteTOTP won
			return errs.E(errs.Unauthorized, msgPendingExpired)
		}
		login, err = s.createSession(ctx, tx, &u.User, sess.UserAgent, false, now)
		if err != nil {
			return err
		}
		return audit.Record(actingAs(ctx, u.ID, u.Email), tx, "session.totp_verified", "session", login.Session.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return login, nil
}
