package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// limit is a fixed-window rate limit: at most Max hits per Window.
// Fixed windows let a burst of up to 2×Max straddle a boundary; for the
// abuse these stop (guessing passwords, mail bombing) that is acceptable
// and it costs one row and one statement per hit.
type limit struct {
	Name   string
	Max    int
	Window time.Duration
}

// The limits. Login limits count failures only (a success gives its hit
// back), so people sharing an office or a union hall's IP are not locked out
// by each other's successful logins. Which login limits an attempt counts
// against depends on where it comes from (loginLimits): the rule is stated
// in docs/SECURITY.md, "Log-in throttling".
var (
	limitLoginEmailIP = limit{"login.email_ip", 5, 15 * time.Minute}
	limitLoginIP      = limit{"login.ip", 20, 15 * time.Minute}
	// limitLoginNet is per /24 (IPv4) or /64 (IPv6): one attacker rarely
	// holds addresses in many of them, while a carrier's NAT pool can put
	// many honest people in one, hence the larger budget.
	limitLoginNet = limit{"login.net", 100, 15 * time.Minute}
	// limitLoginEmail stops a spread-out guess at one account from strangers'
	// addresses and browsers. Tripping it costs the owner nothing: their
	// usual address and known browsers have budgets of their own.
	limitLoginEmail      = limit{"login.email", 50, time.Hour}
	limitLoginEmailUsual = limit{"login.email_usual", 20, 15 * time.Minute}
	limitLoginDevice     = limit{"login.device", 10, 15 * time.Minute}
	// limitLinkIP counts bad login links, apart from passwords: a link
	// carries 256 bits, so this only stops noise, and no amount of password
	// guessing can block the owner's mailed link.
	limitLinkIP    = limit{"link.ip", 20, 15 * time.Minute}
	limitSignupIP  = limit{"signup.ip", 10, time.Hour}
	limitMailEmail = limit{"mail.email", 5, time.Hour}
	// limitMailDevice lets a known browser ask for links to its own account
	// even when strangers have used up limitMailEmail for that address.
	limitMailDevice = limit{"mail.device", 5, time.Hour}
	limitMailIP     = limit{"mail.ip", 20, time.Hour}
	limitTOTPUser   = limit{"totp.user", 5, 15 * time.Minute}
	limitPwUser     = limit{"password.user", 5, 15 * time.Minute}
)

// bucket names a counter. The key (an email, an IP) is hashed so that the
// table holds no personal data.
func (l limit) bucket(key string) string {
	h := sha256.Sum256([]byte(key))
	return l.Name + ":" + hex.EncodeToString(h[:16])
}

// hit counts one attempt against l for key. It returns errs.TooMany, with
// when to try again, once the window holds more than Max attempts. The
// counter lives in the database, so every node shares it, and the upsert is
// atomic, so concurrent attempts cannot slip past it.
func (s *Service) hit(ctx context.Context, l limit, key string) error {
	now := s.now()
	start := now.Truncate(l.Window)
	var n int
	err := s.db.QueryRow(ctx, `INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)
		ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1
		RETURNING count`, l.bucket(key), start).Scan(&n)
	if err != nil {
		return fmt.Errorf("rate limit %s: %w", l.Name, err)
	}
	if n <= l.Max {
		return nil
	}
	if n == l.Max+1 {
		s.log.WarnContext(ctx, "rate limit reached", slog.String("limit", l.Name))
	}
	mins := int((start.Add(l.Window).Sub(now) + time.Minute - 1) / time.Minute)
	mins = max(mins, 1)
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	return errs.E(errs.TooMany, "Too many attempts. Please try again in %d %s.", mins, unit)
}

// giveBack undoes a hit (after a successful login, so that only failures count).
func (s *Service) giveBack(ctx context.Context, l limit, key string) {
	start := s.now().Truncate(l.Window)
	_, err := s.db.Exec(ctx, `UPDATE rate_limits SET count = count - 1 WHERE bucket = ? AND window_start = ? AND count > 0`,
		l.bucket(key), start)
	if err != nil {
		s.log.ErrorContext(ctx, "rate limit give back", slog.String("limit", l.Name), slog.Any("err", err))
	}
}

// hitAll counts one attempt against each limit and key pair and returns the
// first refusal (every counter still records the attempt).
func (s *Service) hitAll(ctx context.Context, hits ...limitHit) error {
	var refused error
	for _, h := range hits {
		err := s.hit(ctx, h.l, h.key)
		switch {
		case err == nil:
		case errs.Is(err, errs.TooMany):
			if refused == nil {
				refused = err
			}
		default:
			return err
		}
	}
	return refused
}

type limitHit struct {
	l   limit
	key string
}
