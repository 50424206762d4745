package messaging

import (
	"context"
	"errors"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// previewToken stands for a recipient's token in previews and tests: the
// link it makes leads nowhere.
const previewToken = "preview"

// Preview renders the broadcast as one chosen recipient would receive it.
// personID "" is the viewer, or when the viewer has no person record the
// first person the broadcast would reach; a chosen person must be one the
// viewer may see (people.Service.Get), else "not found".
//
// Errors: as Create, and errs.NotFound for a person.
func (s *Service) Preview(ctx context.Context, in Input, personID string) (*Rendered, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActSend, in.GroupID); err != nil {
		return nil, err
	}
	sg, err := s.segmentOf(ctx, in.Channel, in.GroupID, in.Targets)
	if err != nil {
		return nil, err
	}
	if personID != "" {
		if _, err := s.d.People.Get(ctx, personID); err != nil {
			return nil, err
		}
	} else if personID, err = s.viewerPerson(ctx); err != nil {
		return nil, err
	}
	if personID == "" { // a sample: the first person it would reach
		err := s.d.DB.Q().QueryRow(ctx, `SELECT p.id FROM people p WHERE `+sg.where+` ORDER BY p.id LIMIT 1`, sg.args...).Scan(&personID)
		if err != nil && !db.IsNotFound(err) {
			return nil, fmt.Errorf("preview sample: %w", err)
		}
	}
	b := &Broadcast{ID: "preview", Channel: in.Channel, GroupID: in.GroupID, Subject: in.Subject, Body: in.Body,
		FromName: in.FromName, ReplyTo: in.ReplyTo, Targets: in.Targets}
	m, err := s.newComposer(ctx, b)
	if err != nil {
		return nil, err
	}
	r := recipient{Token: previewToken}
	if personID != "" {
		if r, err = personAsRecipient(ctx, s.d.DB.Q(), personID, sg.addr); err != nil {
			return nil, err
		}
		r.Token = previewToken
	}
	return m.render(r), nil
}

// viewerPerson is the signed-in person's record id, "" when they have none.
func (s *Service) viewerPerson(ctx context.Context) (string, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return "", nil
	}
	id, err := s.d.People.PersonIDForUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) || db.IsNotFound(err) {
		return "", nil
	}
	return id, err
}

// TestSend sends the draft to the signed-in person's own address now, as
// their own person would receive it, the subject marked "[Test]". It is a
// service mail (mail.Queue): it reaches the writer whatever their consent.
//
// Errors: as Get; errs.Invalid when the viewer has no email address.
func (s *Service) TestSend(ctx context.Context, id string) error {
	b, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	p := auth.PrincipalFrom(ctx)
	if p.UserID == "" {
		return errs.E(errs.Invalid, "Sign in as a person to send yourself a test.")
	}
	var to string
	err = s.d.DB.Q().QueryRow(ctx, `SELECT COALESCE(NULLIF(p.email, ''), u.email) FROM users u
		LEFT JOIN people p ON p.user_id = u.id WHERE u.id = ?`, p.UserID).Scan(&to)
	if db.IsNotFound(err) || (err == nil && to == "") {
		return errs.E(errs.Invalid, "Your account has no email address to send the test to.")
	} else if err != nil {
		return fmt.Errorf("test send: %w", err)
	}
	personID, err := s.viewerPerson(ctx)
	if err != nil {
		return err
	}
	m, err := s.newComposer(ctx, b)
	if err != nil {
		return err
	}
	r := recipient{Token: previewToken}
	if personID != "" {
		if r, err = personAsRecipient(ctx, s.d.DB.Q(), personID, "p.email"); err != nil {
			return err
		}
		r.Token = previewToken
	}
	out := m.render(r)
	if b.Channel == ChannelSMS {
		out.Subject = "Text message"
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		// A service mail says why it is sent (mail.Queue requires it).
		if _, err := s.d.Mail.Queue(ctx, tx, mail.Message{To: to, Subject: "[Test] " + out.Subject, Text: out.Text, HTML: out.HTML,
			Kind: mail.KindService, Related: "messaging.test",
			Why: "You asked for a test of a message you are writing."}); err != nil {
			var e *errs.Error
			if errors.As(err, &e) && e.Code == errs.Invalid && errs.FieldsOf(err)["to"] != "" {
				return errs.E(errs.Invalid, "Your email address cannot receive mail; check it on your account page.")
			}
			return err
		}
		return audit.Record(ctx, tx, "broadcast.test_sent", "broadcast", b.ID, nil)
	})
}
