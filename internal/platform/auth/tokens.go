package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// newToken returns 256 random bits, base64url without padding (43
// characters): the value that goes in a cookie, a link or an API token.
func newToken() string {
	var b [32]byte
	// crypto/rand.Read never returns an error (Go 1.24+); it crashes the
	// program rather than hand out a predictable token.
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// hashToken is how a token is stored and looked up: SHA-256, hex. A plain
// hash is enough because the token has 256 bits of entropy (unlike a
// password, it cannot be guessed from a dictionary).
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// TokenKind says what a mailed one-time link does.
type TokenKind string

// The kinds of one-time link.
const (
	KindVerifyEmail   TokenKind = "verify_email"
	KindLoginLink     TokenKind = "login_link"
	KindResetPassword TokenKind = "reset_password"
	KindChangeEmail   TokenKind = "change_email"
)

const msgLinkExpired = "This link has expired or has already been used."

// issueToken stores the hash of a new one-time token for userID, sent to
// email, and returns the token for the link.
func issueToken(ctx context.Context, q db.Querier, kind TokenKind, userID, email string, now time.Time, ttl time.Duration) (string, error) {
	tok := newToken()
	_, err := q.Exec(ctx, `INSERT INTO one_time_tokens (hash, kind, user_id, email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, hashToken(tok), string(kind), userID, email, now, now.Add(ttl))
	if err != nil {
		return "", fmt.Errorf("issue %s token: %w", kind, err)
	}
	return tok, nil
}

// consumeToken marks a one-time token used and returns its user id and
// email, in one statement so that two clicks racing cannot both succeed.
// An unknown, used or expired token is errs.Invalid with msgLinkExpired.
func consumeToken(ctx context.Context, q db.Querier, kind TokenKind, token string, now time.Time) (userID, email string, err error) {
	if token == "" {
		return "", "", errs.E(errs.Invalid, msgLinkExpired)
	}
	err = q.QueryRow(ctx, `UPDATE one_time_tokens SET used_at = ?
		WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?
		RETURNING user_id, email`, now, hashToken(token), string(kind), now).Scan(&userID, &email)
	if db.IsNotFound(err) {
		return "", "", errs.E(errs.Invalid, msgLinkExpired)
	}
	if err != nil {
		return "", "", fmt.Errorf("use %s token: %w", kind, err)
	}
	return userID, email, nil
}

// retireTokens marks every unused token of these kinds for userID used, so
// that a newer link (or a completed reset) makes older ones worthless.
func retireTokens(ctx context.Context, q db.Querier, userID string, now time.Time, kinds ...TokenKind) error {
	for _, k := range kinds {
		if _, err := q.Exec(ctx, `UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND kind = ? AND used_at IS NULL`,
			now, userID, string(k)); err != nil {
			return fmt.Errorf("retire %s tokens: %w", k, err)
		}
	}
	return nil
}
