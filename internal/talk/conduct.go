package talk

import (
	"context"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// DefaultCodeOfConduct is the code of conduct until an admin writes one.
const DefaultCodeOfConduct = `# Code of conduct

We are here to organise together. In every discussion:

- **Be respectful.** Disagree with ideas, not people. No harassment, insults or discrimination.
- **Stay on topic** and keep the group's discussions about the group's work.
- **Protect people's privacy.** Do not share anyone's personal details without their consent.
- **Assume good faith**, and ask before you accuse.

Moderators may hide comments that break this code (saying why), lock threads, and mute a person for a time.
If you see something wrong, use "Report" on the comment.`

// CodeOfConduct returns the network's code of conduct (Markdown) and when
// it last changed; a default text until an admin writes one. Public.
func (s *Service) CodeOfConduct(ctx context.Context) (string, time.Time, error) {
	var body string
	var at time.Time
	err := s.d.DB.QueryRow(ctx, `SELECT code_of_conduct, updated_at FROM talk_settings WHERE id = 1`).Scan(&body, &at)
	if db.IsNotFound(err) {
		return DefaultCodeOfConduct, time.Time{}, nil
	}
	return body, at, err
}

// MaxCodeOfConduct bounds the code of conduct, in characters.
const MaxCodeOfConduct = 50000

// SetCodeOfConduct replaces the code of conduct (admins), keeping the
// old text in the audit log.
//
// Errors: errs.Invalid naming body, errs.Forbidden, errs.Unauthorized.
func (s *Service) SetCodeOfConduct(ctx context.Context, body string) error {
	if err := s.can(ctx, ActConduct, ""); err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	fields := map[string]string{}
	checkText(fields, "body", "the code of conduct", body, 1, MaxCodeOfConduct)
	if err := fieldErr(fields); err != nil {
		return err
	}
	old, _, err := s.CodeOfConduct(ctx)
	if err != nil {
		return err
	}
	now := s.clock()
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO talk_settings (id, code_of_conduct, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET code_of_conduct = excluded.code_of_conduct, updated_at = excluded.updated_at`,
			body, now); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.code_of_conduct", "settings", "code_of_conduct", map[string]any{"previous": old})
	})
}
