package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// userRow is a users row with the secrets the service needs and User hides.
type userRow struct {
	User
	PasswordHash string
	TOTPSecret   string
	TOTPLastStep int64
	Disabled     bool
}

// userColumnList is what scanUser reads, in order.
var userColumnList = []string{"id", "email", "name", "COALESCE(%spassword_hash, '')", "role", "email_verified_at",
	"COALESCE(%stotp_secret, '')", "totp_enabled_at", "totp_last_step", "created_at", "disabled_at"}

// userCols returns the user columns, each qualified with alias (e.g. "u.")
// when one is given.
func userCols(alias string) string {
	cols := make([]string, len(userColumnList))
	for i, c := range userColumnList {
		if strings.Contains(c, "%s") {
			cols[i] = fmt.Sprintf(c, alias)
		} else {
			cols[i] = alias + c
		}
	}
	return strings.Join(cols, ", ")
}

var userColumns = userCols("")

type scanner interface{ Scan(dest ...any) error }

func scanUser(s scanner) (*userRow, error) {
	var u userRow
	var verified, totpOn, disabled sql.NullTime
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Role, &verified,
		&u.TOTPSecret, &totpOn, &u.TOTPLastStep, &u.CreatedAt, &disabled)
	if err != nil {
		return nil, err
	}
	u.EmailVerified = verified.Valid
	u.TOTPEnabled = totpOn.Valid
	u.Disabled = disabled.Valid
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

func getUser(ctx context.Context, q db.Querier, id string) (*userRow, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, db.NotFound(err, "user "+id)
}

// getUserByEmail expects a normalised address.
func getUserByEmail(ctx context.Context, q db.Querier, email string) (*userRow, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	return u, db.NotFound(err, "user by email")
}

func insertUser(ctx context.Context, q db.Querier, u *User, passwordHash string, now time.Time) error {
	var verified any
	if u.EmailVerified {
		verified = now
	}
	_, err := q.Exec(ctx, `INSERT INTO users (id, email, name, password_hash, role, email_verified_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, nullable(passwordHash), string(u.Role), verified, now, now)
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// updateUser runs "UPDATE users SET <set>, updated_at = ? WHERE id = ?".
func updateUser(ctx context.Context, q db.Querier, id string, now time.Time, set string, args ...any) error {
	args = append(args, now, id)
	res, err := q.Exec(ctx, `UPDATE users SET `+set+`, updated_at = ? WHERE id = ?`, args...)
	if err != nil {
		return fmt.Errorf("update user %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update user %s: %w", id, db.ErrNotFound)
	}
	return nil
}

// markVerified sets email_verified_at unless it is set already.
func markVerified(ctx context.Context, q db.Querier, id string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE users SET email_verified_at = ?, updated_at = ? WHERE id = ? AND email_verified_at IS NULL`, now, now, id)
	if err != nil {
		return fmt.Errorf("verify user %s: %w", id, err)
	}
	return nil
}

// UserFilter selects users for ListUsers. Empty fields match everyone.
type UserFilter struct {
	Query  string // part of the name or email, any case
	Role   Role
	Before string // pages backwards: users with an id below this one
	Limit  int    // default 50, at most 500
}

func listUsers(ctx context.Context, q db.Querier, f UserFilter) ([]User, error) {
	var where []string
	var args []any
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		where = append(where, `(LOWER(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if f.Role != "" {
		where = append(where, "role = ?")
		args = append(args, string(f.Role))
	}
	if f.Before != "" {
		where = append(where, "id < ?")
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	query := `SELECT ` + userColumns + ` FROM users`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u.User)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func countAdmins(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

// PurgeExpired deletes sessions, one-time tokens and rate-limit windows that
// can no longer matter (a day after they ended, so recent ones can still be
// told apart from never-existed when debugging). A periodic job calls it.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-24 * time.Hour)
	var total int64
	idleCutoff := cutoff.Add(-s.cfg.SessionIdle)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`, []any{cutoff, idleCutoff}},
		{`DELETE FROM one_time_tokens WHERE expires_at < ?`, []any{cutoff}},
		{`DELETE FROM rate_limits WHERE window_start < ?`, []any{cutoff}},
	} {
		res, err := s.db.Exec(ctx, q.sql, q.args...)
		if err != nil {
			return total, fmt.Errorf("purge expired: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
