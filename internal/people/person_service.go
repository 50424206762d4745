package people

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

func emailTaken() error {
	return &errs.Error{Code: errs.Conflict, Message: "Another person already has this email address.",
		Fields: map[string]string{"email": "Another person already has this email address."}}
}

// MayCreate checks that the viewer may add people somewhere: to the
// network (admins) or to one of groupIDs (the groups they organise), so a
// form for adding people is shown only to those who can use it.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) MayCreate(ctx context.Context, groupIDs []string) error {
	err := s.can(ctx, ActCreate, auth.Resource{Kind: "person"})
	for _, id := range groupIDs {
		if err == nil || !errs.Is(err, errs.Forbidden) {
			break
		}
		err = s.can(ctx, ActCreate, auth.Resource{Kind: "person", GroupID: id})
	}
	return err
}

// Create adds a person. Admins may create anyone; a group's organisers may
// create people in their group (in.GroupID), who join it through the
// GroupJoiner.
//
// Errors: errs.Invalid (fields named as in Input.Validate, and
// "custom.<key>"), errs.Conflict (field email) when another person has the
// address, errs.Forbidden, errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Person, error) {
	if err := s.can(ctx, ActCreate, auth.Resource{Kind: "person", GroupID: in.GroupID}); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	defs, err := loadFields(ctx, s.db.Q())
	if err != nil {
		return nil, err
	}
	custom, err := checkCustom(defs, in.CustomFields)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &Person{ID: db.NewID(), GivenName: in.GivenName, FamilyName: in.FamilyName, Email: in.Email,
		Phone: in.Phone, Address: in.Address, Location: in.Location, Language: in.Language,
		MembershipStatus: StatusSupporter, Ladder: LadderSupporter, Source: in.Source,
		SourceDetail: in.SourceDetail, CustomFields: custom, CreatedAt: now, UpdatedAt: now}
	if in.ShowName != nil {
		p.ShowName = *in.ShowName
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if p.Email != "" {
			if owner, err := emailOwner(ctx, tx, p.Email); err != nil {
				return err
			} else if owner != "" {
				return emailTaken()
			}
		}
		if err := insertPerson(ctx, tx, p); err != nil {
			if db.IsUniqueViolation(err) {
				return emailTaken()
			}
			return err
		}
		if in.GroupID != "" {
			if err := s.groups.Get().AddMember(ctx, tx, in.GroupID, p.ID); err != nil {
				return fmt.Errorf("create person: join group: %w", err)
			}
		}
		if err := audit.Record(ctx, tx, "person.created", "person", p.ID,
			map[string]any{"source": p.Source, "group_id": in.GroupID}); err != nil {
			return err
		}
		// issue 14 (webhooks): a person created one at a time is news;
		// bulk imports (peopleio) write no outbox events.
		return outbox.Append(ctx, tx, outbox.Event{Kind: outbox.PersonCreated, Subject: "person", SubjectID: p.ID, GroupID: in.GroupID})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p.ID)
}

// Update replaces a person's details with in (Source, SourceDetail and
// GroupID are ignored; ShowName only when set). A new primary email or
// phone keeps the old one among the person's addresses; clearing it
// forgets it. Organisers may edit their group's members, but only what
// they can see: fields hidden from them keep their stored values.
//
// Errors: as Create, and errs.NotFound.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Person, error) {
	return s.UpdateWith(ctx, id, in, UpdateOptions{})
}

// UpdateOptions are what an update through the API adds to Update (issue
// 14): consent changes recorded in the same transaction, and custom field
// keys defined when new.
type UpdateOptions struct {
	Consents []Consent
	// DefineFields defines unknown custom field keys as text fields (for
	// those who may define fields; see CanDefineFields).
	DefineFields bool
}

// UpdateWith is Update with o, all in one transaction: when anything is
// refused nothing is written.
//
// Errors: as Update, and "consent.<channel>.<field>" as Signup's.
func (s *Service) UpdateWith(ctx context.Context, id string, in Input, o UpdateOptions) (*Person, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	consents := slices.Clone(o.Consents)
	bad := map[string]string{}
	for i := range consents {
		if err := consents[i].validate(s.now()); err != nil {
			for k, v := range errs.FieldsOf(err) {
				bad["consent."+cmpOr(consents[i].Channel, "channel")+"."+k] = v
			}
		}
	}
	if err := errs.Fields(bad); err != nil {
		return nil, err
	}
	defs, err := loadFields(ctx, s.db.Q())
	if err != nil {
		return nil, err
	}
	var newDefs []FieldDef
	if o.DefineFields && s.CanDefineFields(ctx) {
		if newDefs, err = missingFields(defs, in.CustomFields); err != nil {
			return nil, err
		}
		defs = append(defs, newDefs...)
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := findPerson(ctx, tx, id)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return err
		}
		if p.Erased() {
			return errs.E(errs.Conflict, "This person's record was erased on request and cannot be edited.")
		}
		a, _, err := s.canManage(ctx, tx, p, ActEdit, ActEditOwn)
		if err != nil {
			return err
		}
		if a == AccessGroup {
			keepHidden(&in, p)
		}
		custom := in.CustomFields
		if a == AccessGroup || custom == nil {
			custom = p.CustomFields
		} else if custom, err = checkCustom(defs, custom); err != nil {
			return err
		}
		if len(consents) > 0 {
			if _, _, err := s.canManage(ctx, tx, p, ActConsent, ActConsentOwn); err != nil {
				return err
			}
		}
		if a != AccessGroup {
			if err := defineFields(ctx, tx, newDefs, s.now()); err != nil {
				return err
			}
		}
		oldEmail, oldPhone := p.Email, p.Phone
		if in.Email != "" && in.Email != oldEmail {
			if owner, err := emailOwner(ctx, tx, in.Email); err != nil {
				return err
			} else if owner != "" && owner != p.ID {
				return emailTaken()
			}
		}
		p.GivenName, p.FamilyName, p.Email, p.Phone = in.GivenName, in.FamilyName, in.Email, in.Phone
		p.Address, p.Location, p.Language, p.CustomFields = in.Address, in.Location, in.Language, custom
		if in.ShowName != nil {
			p.ShowName = *in.ShowName
		}
		p.UpdatedAt = s.now()
		if err := updatePerson(ctx, tx, p); err != nil {
			return err
		}
		if err := addContacts(ctx, tx, p.ID, p.Email, p.Phone, p.UpdatedAt); err != nil {
			return err
		}
		if err := forgetCleared(ctx, tx, p.ID, oldEmail, p.Email, oldPhone, p.Phone); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, "person.updated", "person", p.ID, nil); err != nil {
			return err
		}
		for _, c := range consents {
			if err := s.SetConsentTx(ctx, tx, p.ID, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// keepHidden copies into in the stored values an organiser may not see, so
// that saving what they see does not wipe what they don't.
func keepHidden(in *Input, p *Person) {
	if !p.HasConsent(ChannelEmail) {
		in.Email = p.Email
	}
	if !p.HasConsent(ChannelPhone) && !p.HasConsent(ChannelSMS) {
		in.Phone = p.Phone
	}
	if !p.HasConsent(ChannelPost) {
		in.Address = p.Address
	}
	in.Location, in.Language, in.ShowName = p.Location, p.Language, nil
	in.CustomFields = maps.Clone(p.CustomFields)
}

// forgetCleared removes a primary email or phone that was cleared (not
// replaced) from the person's addresses.
func forgetCleared(ctx context.Context, tx *db.Tx, id, oldEmail, newEmail, oldPhone, newPhone string) error {
	if oldEmail != "" && newEmail == "" {
		if _, err := tx.Exec(ctx, `DELETE FROM person_emails WHERE address = ? AND person_id = ?`, oldEmail, id); err != nil {
			return fmt.Errorf("forget email: %w", err)
		}
	}
	if oldPhone != "" && newPhone == "" {
		if _, err := tx.Exec(ctx, `DELETE FROM person_phones WHERE number = ? AND person_id = ?`, oldPhone, id); err != nil {
			return fmt.Errorf("forget phone: %w", err)
		}
	}
	return nil
}

// Get returns a person, projected to what the viewer may see (see Project).
//
// Errors: errs.NotFound (also when the viewer may not know the person),
// errs.Unauthorized.
func (s *Service) Get(ctx context.Context, id string) (*Person, error) {
	q := s.db.Q()
	p, err := findPerson(ctx, q, id)
	if db.IsNotFound(err) {
		return nil, notFound()
	} else if err != nil {
		return nil, fmt.Errorf("get person: %w", err)
	}
	a, _, err := s.viewerAccess(ctx, q, p)
	if err != nil {
		return nil, err
	}
	out, ok := Project(p, a)
	if !ok {
		return nil, notFound()
	}
	return out, nil
}

// Match finds the person with this email address (any of theirs), else
// with this phone number (E.164 or as typed, normalised for the UK); for
// imports and the API's signup helper. Admins and the system only.
//
// Errors: errs.NotFound when nobody matches, errs.Forbidden.
func (s *Service) Match(ctx context.Context, email, phoneNumber string) (string, error) {
	if err := s.can(ctx, ActMatch, auth.Resource{Kind: "person"}); err != nil {
		return "", err
	}
	return matchPerson(ctx, s.db.Q(), email, phoneNumber)
}
