package people

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
	"github.com/momentum-movement/momentum/internal/platform/phone"
)

// LinkAccount links a new account to its person inside the account's
// transaction (app/build sets it as the auth.AccountCreated hook): the person already
// linked, else the person holding the account's email (the link is made),
// else a new person with source "signup". It checks no permission: auth
// has decided the account may exist.
func (s *Service) LinkAccount(ctx context.Context, tx *db.Tx, userID, email, name string) error {
	_, err := s.linkAccount(ctx, tx, userID, email, name)
	return err
}

func (s *Service) linkAccount(ctx context.Context, tx *db.Tx, userID, email, name string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT id FROM people WHERE user_id = ?`, userID).Scan(&id)
	if err == nil {
		return id, nil
	} else if !db.IsNotFound(err) {
		return "", fmt.Errorf("link account: %w", err)
	}
	email = normalizeEmail(email)
	now := s.now()
	if email != "" {
		var linked string
		err := tx.QueryRow(ctx, `SELECT p.id, COALESCE(p.user_id, '') FROM person_emails e JOIN people p ON p.id = e.person_id
			WHERE e.address = ?`, email).Scan(&id, &linked)
		switch {
		case err == nil && linked == "":
			if _, err := tx.Exec(ctx, `UPDATE people SET user_id = ?, updated_at = ? WHERE id = ?`, userID, now, id); err != nil {
				return "", fmt.Errorf("link account: %w", err)
			}
			return id, audit.Record(ctx, tx, "person.account_linked", "person", id, map[string]any{"user_id": userID})
		case err == nil:
			// The address is already another account's person's (a second
			// address of theirs): a new person without it; Duplicates shows them.
			email = ""
		case !db.IsNotFound(err):
			return "", fmt.Errorf("link account: %w", err)
		}
	}
	given, family := splitName(name)
	p := &Person{ID: db.NewID(), UserID: userID, GivenName: given, FamilyName: family, Email: email,
		Address: Address{Country: defaultRegion}, Language: "en", MembershipStatus: StatusSupporter,
		Ladder: LadderSupporter, Source: SourceSignup, CustomFields: map[string]string{}, CreatedAt: now, UpdatedAt: now}
	if err := insertPerson(ctx, tx, p); err != nil {
		return "", fmt.Errorf("link account: %w", err)
	}
	if err := audit.Record(ctx, tx, "person.created", "person", p.ID,
		map[string]any{"source": SourceSignup, "user_id": userID}); err != nil {
		return "", err
	}
	// issue 14 (webhooks): a person made for a new account is a new person.
	return p.ID, outbox.Append(ctx, tx, outbox.Event{Kind: outbox.PersonCreated, Subject: "person", SubjectID: p.ID})
}

// PersonIDForUser returns the id of the person linked to an account,
// creating or linking one (as LinkAccount) when there is none yet; groups
// and events use it when a signed-in user joins or RSVPs. Any signed-in
// user may ask (an id reveals nothing).
//
// Errors: errs.NotFound when there is no such account, errs.Unauthorized.
func (s *Service) PersonIDForUser(ctx context.Context, userID string) (string, error) {
	if err := s.can(ctx, ActResolve, auth.Resource{Kind: "person", ID: userID}); err != nil {
		return "", err
	}
	var id string
	err := s.db.QueryRow(ctx, `SELECT id FROM people WHERE user_id = ?`, userID).Scan(&id)
	if err == nil {
		return id, nil
	} else if !db.IsNotFound(err) {
		return "", fmt.Errorf("person for user %s: %w", userID, err)
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		id, err = s.PersonIDForUserTx(ctx, tx, userID)
		return err
	})
	if db.IsUniqueViolation(err) {
		// Another request linked the account first (PostgreSQL lets both try).
		err = s.db.QueryRow(ctx, `SELECT id FROM people WHERE user_id = ?`, userID).Scan(&id)
	}
	return id, err
}

// PersonIDForUserTx is PersonIDForUser inside the caller's transaction,
// without a permission check (the caller's service has made one).
func (s *Service) PersonIDForUserTx(ctx context.Context, tx *db.Tx, userID string) (string, error) {
	var email, name string
	err := tx.QueryRow(ctx, `SELECT email, name FROM users WHERE id = ?`, userID).Scan(&email, &name)
	if db.IsNotFound(err) {
		return "", errs.E(errs.NotFound, "There is no such account.")
	} else if err != nil {
		return "", fmt.Errorf("person for user %s: %w", userID, err)
	}
	return s.linkAccount(ctx, tx, userID, email, name)
}

// matchPerson finds a person by email, then by phone; errs.NotFound when
// neither matches.
func matchPerson(ctx context.Context, q db.Querier, email, number string) (string, error) {
	if email = normalizeEmail(email); email != "" {
		if id, err := emailOwner(ctx, q, email); err != nil || id != "" {
			return id, err
		}
	}
	if number != "" {
		if n, err := phone.Normalize(number, defaultRegion); err == nil {
			number = n
		}
		var id string
		err := q.QueryRow(ctx, `SELECT person_id FROM person_phones WHERE number = ? ORDER BY person_id LIMIT 1`, number).Scan(&id)
		if err == nil {
			return id, nil
		} else if !db.IsNotFound(err) {
			return "", fmt.Errorf("match phone: %w", err)
		}
	}
	return "", notFound()
}

// ContactTx returns a person's email address (possibly empty) and given
// name, read in the caller's transaction: other capabilities address their
// service messages with it while their write is open. Reading through the
// transaction matters on PostgreSQL, where asking the pool for a second
// connection from inside one can wait for ever once every connection is
// held by a transaction doing the same. It checks no permission: the
// caller is the system, writing to the person about their own business.
//
// Errors: errs.NotFound.
func (s *Service) ContactTx(ctx context.Context, tx *db.Tx, id string) (email, givenName string, err error) {
	err = tx.QueryRow(ctx, `SELECT COALESCE(email, ''), given_name FROM people WHERE id = ?`, id).Scan(&email, &givenName)
	if err != nil {
		return "", "", fmt.Errorf("contact of person %s: %w", id, db.NotFound(err, "person "+id))
	}
	return email, givenName, nil
}
