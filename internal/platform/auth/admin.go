package auth

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// CreateAdmin makes a verified admin with this password, for
// `momentum user create-admin`; if the email has an account, it promotes it
// and sets its password. The actor must be the system (WithSystem) or an admin.
//
// Errors: errs.Unauthorized/Forbidden; errs.Invalid with Fields "name" (only
// for a new account), "email" or "password".
func (s *Service) CreateAdmin(ctx context.Context, email, password, name string) (*User, error) {
	if err := s.can(ctx, ActUsersCreate, Resource{Kind: "user"}); err != nil {
		return nil, err
	}
	email = NormalizeEmail(email)
	problems := map[string]string{}
	if !validEmail(email) {
		problems["email"] = msgEmailInvalid
	}
	if p := passwordProblem(password); p != "" {
		problems["password"] = p
	}
	if err := errs.Fields(problems); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.cfg.Password)
	if err != nil {
		return nil, err
	}
	var out *User
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		existing, err := getUserByEmail(ctx, tx, email)
		if err == nil {
			err = updateUser(ctx, tx, existing.ID, now,
				"role = 'admin', password_hash = ?, email_verified_at = COALESCE(email_verified_at, ?), disabled_at = NULL", hash, now)
			if err != nil {
				return err
			}
			u := existing.User
			u.Role, u.EmailVerified = RoleAdmin, true
			out = &u
			return audit.Record(ctx, tx, "user.role_changed", "user", u.ID,
				map[string]any{"from": string(existing.Role), "to": string(RoleAdmin), "password_set": true})
		}
		if !db.IsNotFound(err) {
			return err
		}
		n, problem := validateName(name)
		if problem != "" {
			return errs.Fields(map[string]string{"name": problem})
		}
		u := &User{ID: db.NewID(), Email: email, Name: n, Role: RoleAdmin, EmailVerified: true, CreatedAt: now}
		if err := insertUser(ctx, tx, u, hash, now); err != nil {
			return err
		}
		if err := s.accountCreated(ctx, tx, u); err != nil {
			return err
		}
		out = u
		return audit.Record(ctx, tx, "user.admin_created", "user", u.ID, map[string]any{"role": string(RoleAdmin)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetRole changes a user's network role. Only admins may; the last admin
// cannot be demoted (someone must be able to administer the network).
//
// Errors: errs.Unauthorized/Forbidden; errs.Invalid with Fields "role";
// errs.NotFound; errs.Conflict for the last admin.
func (s *Service) SetRole(ctx context.Context, userID string, role Role) error {
	if err := s.can(ctx, ActUsersSetRole, Resource{Kind: "user", ID: userID}); err != nil {
		return err
	}
	if !role.Valid() {
		return errs.Fields(map[string]string{"role": "Choose admin, member or supporter."})
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		u, err := getUser(ctx, tx, userID)
		if db.IsNotFound(err) {
			return errs.E(errs.NotFound, "No such user.")
		}
		if err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		if u.Role == RoleAdmin {
			n, err := countAdmins(ctx, tx)
			if err != nil {
				return err
			}
			if n <= 1 {
				return errs.E(errs.Conflict, "This is the only admin. Make someone else an admin first.")
			}
		}
		if err := updateUser(ctx, tx, u.ID, s.now(), "role = ?", string(role)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user.role_changed", "user", u.ID,
			map[string]any{"from": string(u.Role), "to": string(role)})
	})
}

// GetUser returns one user: to admins, or to the user themselves.
//
// Errors: errs.Unauthorized/Forbidden; errs.NotFound.
func (s *Service) GetUser(ctx context.Context, id string) (*User, error) {
	if err := s.can(ctx, ActUsersView, Resource{Kind: "user", ID: id}); err != nil {
		return nil, err
	}
	u, err := getUser(ctx, s.db.Q(), id)
	if db.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	if err != nil {
		return nil, fmt.Errorf("get user: %w", err)
	}
	user := u.User
	return &user, nil
}

// ListUsers pages through accounts, newest first. Admins only.
//
// Errors: errs.Unauthorized/Forbidden.
func (s *Service) ListUsers(ctx context.Context, f UserFilter) ([]User, error) {
	if err := s.can(ctx, ActUsersList, Resource{Kind: "user"}); err != nil {
		return nil, err
	}
	return listUsers(ctx, s.db.Q(), f)
}

// CountUsers counts accounts by network role (disabled ones left out): how
// big the network is, for dashboards. Anyone signed in may ask.
//
// Errors: errs.Unauthorized.
func (s *Service) CountUsers(ctx context.Context) (map[Role]int, error) {
	if err := s.can(ctx, ActNetworkStats, Resource{Kind: "network"}); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT role, COUNT(*) FROM users WHERE disabled_at IS NULL GROUP BY role`)
	if err != nil {
		return nil, fmt.Errorf("count users: %w", err)
	}
	defer rows.Close()
	out := map[Role]int{RoleAdmin: 0, RoleMember: 0, RoleSupporter: 0}
	for rows.Next() {
		var r Role
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			return nil, fmt.Errorf("count users: %w", err)
		}
		out[r] = n
	}
	return out, rows.Err()
}

// NewAccount is one account for CreateAccounts.
type NewAccount struct {
	Email, Name string
	Role        Role // default supporter
}

// CreateAccounts creates passwordless, unverified accounts in one
// transaction (demo data, imports): their owners log in with a link, which
// verifies the address. Admins and the system only. It returns how many it
// created; on any error it creates none.
//
// Errors: errs.Unauthorized/Forbidden; errs.Invalid naming the first bad
// row; errs.Conflict when an address already has an account.
func (s *Service) CreateAccounts(ctx context.Context, accounts []NewAccount) (int, error) {
	if err := s.can(ctx, ActUsersCreate, Resource{Kind: "user"}); err != nil {
		return 0, err
	}
	users := make([]*User, len(accounts))
	now := s.now()
	for i, a := range accounts {
		email := NormalizeEmail(a.Email)
		name, problem := validateName(a.Name)
		role := a.Role
		if role == "" {
			role = RoleSupporter
		}
		switch {
		case !validEmail(email):
			return 0, errs.E(errs.Invalid, "Account %d: %s", i+1, msgEmailInvalid)
		case problem != "":
			return 0, errs.E(errs.Invalid, "Account %d (%s): %s", i+1, email, problem)
		case !role.Valid():
			return 0, errs.E(errs.Invalid, "Account %d (%s): the role must be admin, member or supporter.", i+1, email)
		}
		users[i] = &User{ID: db.NewID(), Email: email, Name: name, Role: role, CreatedAt: now}
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, u := range users {
			if err := insertUser(ctx, tx, u, "", now); err != nil {
				if db.IsUniqueViolation(err) {
					return errs.E(errs.Conflict, "%s already has an account.", u.Email)
				}
				return err
			}
			if err := s.accountCreated(ctx, tx, u); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, "user.created", "user", u.ID, map[string]any{"role": string(u.Role)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(users), nil
}
