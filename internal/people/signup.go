package people

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// Signup is one person signing up: through a petition, a form, an event's
// RSVP or the API's signup helpers (Action Network's POST /people). The
// person is matched by email, else phone; a match is updated with the
// fields given (empty fields keep what is stored), otherwise a supporter
// is created with Person.Source and SourceDetail.
type Signup struct {
	Person     Input
	AddTags    []string
	RemoveTags []string
	// Consents are recorded after the person is saved, in the same
	// transaction (each must name a channel, status, source and, to
	// grant, the wording).
	Consents []Consent
	// DefineFields defines custom field keys not yet known as text fields
	// (Action Network accepts any key); otherwise they are refused.
	DefineFields bool
}

// SignupResult says who signed up.
type SignupResult struct {
	PersonID string
	Created  bool
}

// Signup runs s in one transaction after checking that the viewer may add
// people (to the network, or to s.Person.GroupID). Nothing is written when
// it fails.
//
// Errors: errs.Invalid naming the field (as Input.Validate, "custom.<key>",
// "add_tags", "remove_tags", "consent.<channel>"), errs.Forbidden,
// errs.Unauthorized, errs.Conflict for an erased person.
func (s *Service) Signup(ctx context.Context, in Signup) (SignupResult, error) {
	if err := s.can(ctx, ActCreate, auth.Resource{Kind: "person", GroupID: in.Person.GroupID}); err != nil {
		return SignupResult{}, err
	}
	var res SignupResult
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		res, err = s.SignupTx(ctx, tx, in)
		return err
	})
	return res, err
}

// SignupTx is Signup inside the caller's transaction, without a permission
// check: for capabilities whose service has checked (a public petition may
// be signed by anyone). Everything is validated before anything is
// written, so an error leaves tx as it was given (the caller rolls back on
// any error anyway).
func (s *Service) SignupTx(ctx context.Context, tx *db.Tx, in Signup) (SignupResult, error) {
	if err := in.Person.Validate(); err != nil {
		return SignupResult{}, err
	}
	if in.Person.Email == "" && in.Person.Phone == "" {
		return SignupResult{}, errs.Fields(map[string]string{"email": "Give an email address or a phone number."})
	}
	add, err := cleanTags(in.AddTags, "add_tags")
	if err != nil {
		return SignupResult{}, err
	}
	remove, err := cleanTags(in.RemoveTags, "remove_tags")
	if err != nil {
		return SignupResult{}, err
	}
	now := s.now()
	bad := map[string]string{}
	for i := range in.Consents {
		if err := in.Consents[i].validate(now); err != nil {
			for k, v := range errs.FieldsOf(err) {
				bad["consent."+cmpOr(in.Consents[i].Channel, "channel")+"."+k] = v
			}
		}
	}
	if err := errs.Fields(bad); err != nil {
		return SignupResult{}, err
	}
	defs, err := loadFields(ctx, tx)
	if err != nil {
		return SignupResult{}, err
	}
	if in.DefineFields {
		if defs, err = defineMissing(ctx, tx, defs, in.Person.CustomFields, now); err != nil {
			return SignupResult{}, err
		}
	}
	custom, err := checkCustom(defs, in.Person.CustomFields)
	if err != nil {
		return SignupResult{}, err
	}
	id, err := matchPerson(ctx, tx, in.Person.Email, in.Person.Phone)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return SignupResult{}, err
	}
	res := SignupResult{PersonID: id}
	if id == "" {
		res.Created, res.PersonID = true, db.NewID()
		p := &Person{ID: res.PersonID, GivenName: in.Person.GivenName, FamilyName: in.Person.FamilyName,
			Email: in.Person.Email, Phone: in.Person.Phone, Address: in.Person.Address, Location: in.Person.Location,
			Language: in.Person.Language, MembershipStatus: StatusSupporter, Ladder: LadderSupporter,
			Source: in.Person.Source, SourceDetail: in.Person.SourceDetail, CustomFields: custom, CreatedAt: now, UpdatedAt: now}
		if in.Person.ShowName != nil {
			p.ShowName = *in.Person.ShowName
		}
		if err := insertPerson(ctx, tx, p); err != nil {
			if db.IsUniqueViolation(err) {
				return SignupResult{}, emailTaken()
			}
			return SignupResult{}, err
		}
		if in.Person.GroupID != "" {
			if err := s.groups.Get().AddMember(ctx, tx, in.Person.GroupID, p.ID); err != nil {
				return SignupResult{}, fmt.Errorf("signup: join group: %w", err)
			}
		}
		if err := audit.Record(ctx, tx, "person.created", "person", p.ID,
			map[string]any{"source": p.Source, "group_id": in.Person.GroupID, "signup": true}); err != nil {
			return SignupResult{}, err
		}
		if err := outbox.Append(ctx, tx, outbox.Event{Kind: outbox.PersonCreated, Subject: "person",
			SubjectID: p.ID, GroupID: in.Person.GroupID}); err != nil {
			return SignupResult{}, err
		}
	} else if err := s.signupUpdate(ctx, tx, id, in.Person, custom); err != nil {
		return SignupResult{}, err
	}
	for _, t := range add {
		if err := s.TagTx(ctx, tx, res.PersonID, t); err != nil {
			return SignupResult{}, err
		}
	}
	for _, t := range remove {
		if err := untagTx(ctx, tx, res.PersonID, t, now); err != nil {
			return SignupResult{}, err
		}
	}
	for _, c := range in.Consents {
		if err := s.SetConsentTx(ctx, tx, res.PersonID, c); err != nil {
			return SignupResult{}, err
		}
	}
	return res, nil
}

// signupUpdate fills a matched person's record with what the signup gave:
// empty fields keep the stored value, custom fields are merged.
func (s *Service) signupUpdate(ctx context.Context, tx *db.Tx, id string, in Input, custom map[string]string) error {
	p, err := findPerson(ctx, tx, id)
	if err != nil {
		return err
	}
	if p.Erased() {
		return errs.E(errs.Conflict, "This person's record was erased on request.")
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.GivenName, in.GivenName)
	set(&p.FamilyName, in.FamilyName)
	set(&p.Phone, in.Phone)
	if in.Email != "" && p.Email == "" {
		p.Email = in.Email
	}
	set(&p.Address.Line1, in.Address.Line1)
	set(&p.Address.Line2, in.Address.Line2)
	set(&p.Address.Locality, in.Address.Locality)
	set(&p.Address.Region, in.Address.Region)
	set(&p.Address.Postcode, in.Address.Postcode)
	set(&p.Address.Country, in.Address.Country)
	if in.Location != nil {
		p.Location = in.Location
	}
	if len(custom) > 0 {
		merged := maps.Clone(p.CustomFields)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, custom)
		p.CustomFields = merged
	}
	p.UpdatedAt = s.now()
	if err := updatePerson(ctx, tx, p); err != nil {
		return err
	}
	if err := addContacts(ctx, tx, p.ID, p.Email, p.Phone, p.UpdatedAt); err != nil {
		return err
	}
	return audit.Record(ctx, tx, "person.updated", "person", p.ID, map[string]any{"signup": true})
}

// cleanTags checks every tag before anything is written; field names the
// list in errors ("add_tags").
func cleanTags(tags []string, field string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		name, err := cleanTag(t)
		if err != nil {
			return nil, errs.Fields(map[string]string{field: fmt.Sprintf("%q: use a tag of 1 to 100 characters, without commas or semicolons.", t)})
		}
		out = append(out, name)
	}
	return out, nil
}

// defineMissing defines as text fields the custom keys not yet defined.
func defineMissing(ctx context.Context, tx *db.Tx, defs []FieldDef, values map[string]string, now time.Time) ([]FieldDef, error) {
	known := map[string]bool{}
	for _, d := range defs {
		known[d.Key] = true
	}
	for k := range values {
		if known[k] {
			continue
		}
		f := FieldDef{Key: k, Label: strings.ReplaceAll(k, "_", " "), Kind: "text"}
		if err := f.Validate(); err != nil {
			return nil, errs.Fields(map[string]string{"custom." + k: "A custom field's key is 1 to 50 lower-case letters, digits or underscores."})
		}
		if _, err := tx.Exec(ctx, `INSERT INTO custom_field_defs (key, label, kind, choices, created_at) VALUES (?, ?, ?, '[]', ?)
			ON CONFLICT (key) DO NOTHING`, f.Key, f.Label, f.Kind, now); err != nil {
			return nil, fmt.Errorf("define field %s: %w", k, err)
		}
		if err := audit.Record(ctx, tx, "person_field.defined", "person_field", f.Key, map[string]any{"kind": f.Kind, "signup": true}); err != nil {
			return nil, err
		}
		defs = append(defs, f)
		known[k] = true
	}
	return defs, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
