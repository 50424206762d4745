package auth

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Token scopes. A network_admin token may do what an admin may; a group
// token acts as an organiser of its one group and nothing else.
const (
	ScopeNetworkAdmin = "network_admin"
	ScopeGroup        = "group"
)

// apiTokenPrefix marks Momentum tokens so that secret scanners and people
// recognise one pasted in the wrong place.
const apiTokenPrefix = "mtm_"

// APIToken describes an API token; the plaintext is shown once, at creation.
type APIToken struct {
	ID      string
	Name    string
	Scope   string
	GroupID string // for ScopeGroup
	// ConsentWording is the consent wording of the forms whose signups the
	// token sends (issue 14): a signup through it with "status":
	// "subscribed" records consent with these words. Empty: none.
	ConsentWording string
	CreatedAt      time.Time
	LastUsedAt     time.Time // zero when never used
	RevokedAt      time.Time // zero while valid
}

const apiTokenColumns = `id, name, scope, COALESCE(group_id, ''), consent_wording, created_at, last_used_at, revoked_at`

func scanAPIToken(s scanner) (*APIToken, error) {
	var t APIToken
	var used, revoked sql.NullTime
	if err := s.Scan(&t.ID, &t.Name, &t.Scope, &t.GroupID, &t.ConsentWording, &t.CreatedAt, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if used.Valid {
		t.LastUsedAt = used.Time.UTC()
	}
	if revoked.Valid {
		t.RevokedAt = revoked.Time.UTC()
	}
	return &t, nil
}

// CreateAPIToken makes a network_admin token and returns its plaintext
// ("mtm_" and 43 characters), which is not stored. The actor must be the
// system or an admin.
//
// Errors: errs.Unauthorized/Forbidden; errs.Invalid with Fields "name".
func (s *Service) CreateAPIToken(ctx context.Context, name string) (string, *APIToken, error) {
	return s.createAPIToken(ctx, name, "", "")
}

// CreateAPITokenWithConsent is CreateAPIToken (groupID "") or
// CreateGroupAPIToken with the consent wording of the forms whose signups
// the token will send (APIToken.ConsentWording; issue 14).
//
// Errors: as CreateAPIToken, and errs.Invalid with Fields "consent_wording".
func (s *Service) CreateAPITokenWithConsent(ctx context.Context, name, groupID, wording string) (string, *APIToken, error) {
	return s.createAPIToken(ctx, name, groupID, wording)
}

// CreateGroupAPIToken makes a token that acts as an organiser of one group
// (for a group's own tools), and returns its plaintext. Admins and the
// system may make one for any group, and a group's organisers for theirs.
// The caller checks that the group exists.
//
// Errors: errs.Unauthorized/Forbidden; errs.Invalid with Fields "name".
func (s *Service) CreateGroupAPIToken(ctx context.Context, name, groupID string) (string, *APIToken, error) {
	if groupID == "" {
		return "", nil, errs.Fields(map[string]string{"group": "Choose the group the token acts for."})
	}
	return s.createAPIToken(ctx, name, groupID, "")
}

func (s *Service) createAPIToken(ctx context.Context, name, groupID, wording string) (string, *APIToken, error) {
	if err := s.can(ctx, ActAPITokensManage, Resource{Kind: "api_token", GroupID: groupID}); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", nil, errs.Fields(map[string]string{"name": "Name the token (at most 100 characters), e.g. \"regional hub sync\"."})
	}
	wording = strings.TrimSpace(wording)
	if len(wording) > 5000 {
		return "", nil, errs.Fields(map[string]string{"consent_wording": "Use at most 5000 characters."})
	}
	plain := apiTokenPrefix + newToken()
	t := &APIToken{ID: db.NewID(), Name: name, Scope: ScopeNetworkAdmin, ConsentWording: wording, CreatedAt: s.now()}
	var group any
	if groupID != "" {
		t.Scope, t.GroupID, group = ScopeGroup, groupID, groupID
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO api_tokens (id, name, token_hash, scope, group_id, consent_wording, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.Name, hashToken(plain), t.Scope, group, t.ConsentWording, t.CreatedAt)
		if err != nil {
			return fmt.Errorf("create api token: %w", err)
		}
		return audit.Record(ctx, tx, "api_token.created", "api_token", t.ID, map[string]any{"name": t.Name, "scope": t.Scope, "group_id": t.GroupID, "consent_wording": t.ConsentWording != ""})
	})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// AuthenticateAPIToken returns the token for a plaintext from a request
// header, updating last_used_at at most once a minute.
//
// Errors: errs.Unauthorized when the token is unknown or revoked.
func (s *Service) AuthenticateAPIToken(ctx context.Context, plaintext string) (*APIToken, error) {
	if !strings.HasPrefix(plaintext, apiTokenPrefix) {
		return nil, errs.E(errs.Unauthorized, "The API token is not valid.")
	}
	t, err := scanAPIToken(s.db.QueryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, hashToken(plaintext)))
	if db.IsNotFound(err) {
		return nil, errs.E(errs.Unauthorized, "The API token is not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate api token: %w", err)
	}
	if !t.RevokedAt.IsZero() {
		return nil, errs.E(errs.Unauthorized, "The API token has been revoked.")
	}
	now := s.now()
	if now.Sub(t.LastUsedAt) >= touchEvery {
		if _, err := s.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID); err != nil {
			s.log.ErrorContext(ctx, "touch api token", slog.Any("err", err))
		} else {
			t.LastUsedAt = now
		}
	}
	return t, nil
}

// RevokeAPIToken stops a token working. Revoking twice is not an error.
//
// Errors: errs.Unauthorized/Forbidden; errs.NotFound.
func (s *Service) RevokeAPIToken(ctx context.Context, id string) error {
	if err := s.can(ctx, ActAPITokensManage, Resource{Kind: "api_token", ID: id}); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, s.now(), id)
		if err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "No such API token.")
		}
		return audit.Record(ctx, tx, "api_token.revoked", "api_token", id, nil)
	})
}

// ListAPITokens lists every token, newest first (there are few).
//
// Errors: errs.Unauthorized/Forbidden.
func (s *Service) ListAPITokens(ctx context.Context) ([]APIToken, error) {
	if err := s.can(ctx, ActAPITokensManage, Resource{Kind: "api_token"}); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list api tokens: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}
