package auth

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Log-in throttling must slow someone guessing a password without letting
// them lock the owner out (docs/SECURITY.md, "Log-in throttling"). So an
// attempt is counted by where it comes from, relative to the account it
// names: strangers share one budget per account, which they can use up
// without touching the owner's, and the owner's usual address and browsers
// each keep their own. This is OWASP's "device cookie" scheme, with the
// addresses its log-ins succeeded from as a second sign, for a browser that
// has lost its cookies.

// source is where a log-in attempt comes from, as far as the account it
// names is concerned.
type source int

const (
	// sourceStranger: an address and browser the account has not logged in
	// from (or an email with no account).
	sourceStranger source = iota
	// sourceUsualAddress: an address a log-in to the account succeeded
	// from, from a browser without the account's device cookie.
	sourceUsualAddress
	// sourceKnownDevice: a browser holding a device cookie this account was
	// given at a successful log-in.
	sourceKnownDevice
)

// DeviceTTL is how long a device cookie is recognised after its last
// successful log-in (browsers keep cookies 400 days at most).
const DeviceTTL = 400 * 24 * time.Hour

// maxDevices bounds the remembered browsers, and the remembered addresses,
// per account: each log-in from a browser without the cookie adds one, and
// the oldest are forgotten.
const maxDevices = 20

// ipKey is how a usual address is stored: hashed with the user id, so the
// column can only be compared, not read as a list of addresses. (An IPv4
// address can still be found by trying all of them: this keeps it out of
// casual sight, it does not make it secret.)
func ipKey(userID, ip string) string {
	if ip == "" {
		return ""
	}
	return hashToken(userID + "|" + ip)
}

// network is the /24 (IPv4) or /64 (IPv6) that ip lies in, the unit
// limitLoginNet counts by; an address that does not parse is its own network.
func network(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}

// sourceOf says where an attempt on u comes from. u is nil when the email has
// no account; device is the browser's device cookie ("" when it has none).
// The same queries run whether or not the account exists, so that their
// time does not tell which emails have accounts.
func (s *Service) sourceOf(ctx context.Context, u *userRow, device, ip string) (source, error) {
	userID := ""
	if u != nil {
		userID = u.ID
	}
	known := func(kind, id string) (bool, error) {
		var n int
		err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM login_sources WHERE id = ? AND user_id = ? AND kind = ? AND last_login_at > ?`,
			id, userID, kind, s.now().Add(-DeviceTTL)).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("find login %s: %w", kind, err)
		}
		return n > 0 && u != nil, nil
	}
	if device != "" {
		if ok, err := known("device", hashToken(device)); err != nil || ok {
			return sourceKnownDevice, err
		}
	}
	if ip != "" {
		if ok, err := known("address", ipKey(userID, ip)); err != nil || ok {
			return sourceUsualAddress, err
		}
	}
	return sourceStranger, nil
}

// loginLimits are the counters a password attempt counts against, by where it
// comes from. A known browser counts only against its own budget, so neither
// strangers nor others behind the same address can block it; the usual
// address is not counted by its network, so strangers next door cannot block
// it either.
func loginLimits(src source, email, ip, device string) []limitHit {
	switch src {
	case sourceKnownDevice:
		return []limitHit{{limitLoginDevice, device}}
	case sourceUsualAddress:
		return []limitHit{{limitLoginEmailIP, email + "|" + ip}, {limitLoginIP, ip}, {limitLoginEmailUsual, email}}
	default:
		return []limitHit{{limitLoginEmailIP, email + "|" + ip}, {limitLoginIP, ip}, {limitLoginNet, network(ip)},
			{limitLoginEmail, email}}
	}
}

// rememberDevice records a successful log-in in tx: ip becomes one of the
// account's usual addresses, and the browser's device cookie is renewed, or
// a new one made when it has none for this account. It returns the cookie
// value.
func (s *Service) rememberDevice(ctx context.Context, tx *db.Tx, userID, device, ip string, now time.Time) (string, error) {
	if ip != "" {
		if err := s.rememberSource(ctx, tx, userID, "address", ipKey(userID, ip), now); err != nil {
			return "", err
		}
	}
	if device != "" {
		res, err := tx.Exec(ctx, `UPDATE login_sources SET last_login_at = ? WHERE id = ? AND user_id = ? AND kind = 'device'`,
			now, hashToken(device), userID)
		if err != nil {
			return "", fmt.Errorf("renew login device: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return device, nil
		}
	}
	tok := newToken()
	return tok, s.rememberSource(ctx, tx, userID, "device", hashToken(tok), now)
}

// rememberSource upserts one source and forgets the account's oldest of that
// kind beyond maxDevices.
func (s *Service) rememberSource(ctx context.Context, tx *db.Tx, userID, kind, id string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO login_sources (id, user_id, kind, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET last_login_at = excluded.last_login_at`, id, userID, kind, now, now)
	if err != nil {
		return fmt.Errorf("remember login %s: %w", kind, err)
	}
	_, err = tx.Exec(ctx, `DELETE FROM login_sources WHERE user_id = ? AND kind = ? AND id NOT IN (
		SELECT id FROM login_sources WHERE user_id = ? AND kind = ? ORDER BY last_login_at DESC, id LIMIT ?)`,
		userID, kind, userID, kind, maxDevices)
	if err != nil {
		return fmt.Errorf("forget old login %ss: %w", kind, err)
	}
	return nil
}
