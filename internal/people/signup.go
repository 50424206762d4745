package people

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	// Overwrite lets the signup replace a matched person's stored name,
	// phone, address and custom fields with those given. It is honoured
	// only for a network-wide principal (an admin, a network API token,
	// the system), as Action Network's helpers do for its one organisation.
	// Anyone else — a stranger on a public petition or an embed, a group's
	// token — only fills what is blank, and is matched by email alone when
	// they give one: typing someone's address or number must not change
	// their record (issue 14).
	Overwrite bool
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
// written, and the writes run under a savepoint, so an error leaves tx as
// it was given (the caller rolls back on any error anyway).
func (s *Service) SignupTx(ctx context.Context, tx *db.Tx, in Signup) (res SignupResult, err error) {
	if _, err := tx.Exec(ctx, `SAVEPOINT people_signup`); err != nil {
		return SignupResult{}, fmt.Errorf("signup: savepoint: %w", err)
	}
	defer func() {
		if err != nil {
			if _, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT people_signup`); rerr != nil {
				err = fmt.Errorf("%w (and rolling back: %v)", err, rerr)
				return
			}
		}
		if _, rerr := tx.Exec(ctx, `RELEASE SAVEPOINT people_signup`); rerr != nil && err == nil {
			err = fmt.Errorf("signup: release savepoint: %w", rerr)
		}
	}()
	return s.signupTx(ctx, tx, in)
}

func (s *Service) signupTx(ctx context.Context, tx *db.Tx, in Signup) (SignupResult, error) {
	// Validate fills in the default country; a matched person keeps theirs
	// unless the signup named one.
	countryGiven := strings.TrimSpace(in.Person.Address.Country) != ""
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
	consents := slices.Clone(in.Consents)
	for i := range consents {
		if err := consents[i].validate(now); err != nil {
			for k, v := range errs.FieldsOf(err) {
				bad["consent."+cmpOr(consents[i].Channel, "channel")+"."+k] = v
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
	var newDefs []FieldDef
	if in.DefineFields {
		if newDefs, err = missingFields(defs, in.Person.CustomFields); err != nil {
			return SignupResult{}, err
		}
	}
	custom, err := checkCustom(append(slices.Clone(defs), newDefs...), in.Person.CustomFields)
	if err != nil {
		return SignupResult{}, err
	}
	trusted := in.Overwrite && networkWide(ctx)
	matchPhone := in.Person.Phone
	if !trusted && in.Person.Email != "" {
		matchPhone = "" // an untrusted signup is matched by the address it gives, not by a number alone
	}
	id, err := matchPerson(ctx, tx, in.Person.Email, matchPhone)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return SignupResult{}, err
	}
	var matched *Person
	if id != "" {
		if matched, err = findPerson(ctx, tx, id); err != nil {
			return SignupResult{}, err
		}
		if matched.Erased() {
			return SignupResult{}, errs.E(errs.Conflict, "This person's record was erased on request.")
		}
	}
	// Everything is checked: from here on, only writes.
	if err := defineFields(ctx, tx, newDefs, now); err != nil {
		return SignupResult{}, err
	}
	res := SignupResult{PersonID: id}
	if matched == nil {
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
		if err := audit.Record(ctx, tx, "person.created", "person", p.ID,
			map[string]any{"source": p.Source, "group_id": in.Person.GroupID, "signup": true}); err != nil {
			return SignupResult{}, err
		}
		if err := outbox.Append(ctx, tx, outbox.Event{Kind: outbox.PersonCreated, Subject: "person",
			SubjectID: p.ID, GroupID: in.Person.GroupID}); err != nil {
			return SignupResult{}, err
		}
	} else if err := s.signupUpdate(ctx, tx, matched, in.Person, countryGiven, custom, trusted); err != nil {
		return SignupResult{}, err
	}
	if in.Person.GroupID != "" {
		// Joining is idempotent: a matched member stays as they are.
		if err := s.groups.Get().AddMember(ctx, tx, in.Person.GroupID, res.PersonID); err != nil {
			return SignupResult{}, fmt.Errorf("signup: join group: %w", err)
		}
	}
	for _, t := range add {
		if err := s.tagTx(ctx, tx, res.PersonID, t, false); err != nil { // the person was written (and so marked updated) above
			return SignupResult{}, err
		}
	}
	for _, t := range remove {
		if err := untagTx(ctx, tx, res.PersonID, t, now); err != nil { // (a no-op for a new person)
			return SignupResult{}, err
		}
	}
	for _, c := range consents {
		if err := s.setConsentTx(ctx, tx, res.PersonID, c, false); err != nil {
			return SignupResult{}, err
		}
	}
	return res, nil
}

// signupUpdate fills a matched person's record with what the signup gave:
// empty fields keep the stored value, custom fields are merged, and an
// email address other than the stored one is kept among theirs.
func (s *Service) signupUpdate(ctx context.Context, tx *db.Tx, p *Person, in Input, countryGiven bool, custom map[string]string, overwrite bool) error {
	set := func(dst *string, v string) {
		if v != "" && (overwrite || *dst == "") {
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
	if countryGiven {
		set(&p.Address.Country, in.Address.Country)
	}
	if in.Location != nil && (overwrite || p.Location == nil) {
		p.Location = in.Location
	}
	if len(custom) > 0 {
		merged := maps.Clone(p.CustomFields)
		if merged == nil {
			merged = map[string]string{}
		}
		for k, v := range custom {
			if _, ok := merged[k]; overwrite || !ok {
				merged[k] = v
			}
		}
		p.CustomFields = merged
	}
	p.UpdatedAt = s.now()
	if err := updatePerson(ctx, tx, p); err != nil {
		return err
	}
	if err := addContacts(ctx, tx, p.ID, p.Email, p.Phone, p.UpdatedAt); err != nil {
		return err
	}
	if in.Email != "" && in.Email != p.Email {
		if err := addContacts(ctx, tx, p.ID, in.Email, "", p.UpdatedAt); err != nil {
			return err
		}
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

// missingFields returns, as text fields, the custom keys not yet defined,
// checked but not written. Keys are Momentum's (see FieldKey).
func missingFields(defs []FieldDef, values map[string]string) ([]FieldDef, error) {
	known := map[string]bool{}
	for _, d := range defs {
		known[d.Key] = true
	}
	var out []FieldDef
	bad := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if known[k] {
			continue
		}
		f := FieldDef{Key: k, Label: strings.ReplaceAll(k, "_", " "), Kind: KindText}
		if err := f.Validate(); err != nil {
			bad["custom."+k] = "A custom field's key is 1 to 50 lower-case letters, digits or underscores."
			continue
		}
		out = append(out, f)
		known[k] = true
	}
	return out, errs.Fields(bad)
}

// defineFields writes new field definitions (from missingFields).
func defineFields(ctx context.Context, tx *db.Tx, fs []FieldDef, now time.Time) error {
	for _, f := range fs {
		if _, err := tx.Exec(ctx, `INSERT INTO custom_field_defs (key, label, kind, choices, created_at) VALUES (?, ?, ?, '[]', ?)
			ON CONFLICT (key) DO NOTHING`, f.Key, f.Label, f.Kind, now); err != nil {
			return fmt.Errorf("define field %s: %w", f.Key, err)
		}
		if err := audit.Record(ctx, tx, "person_field.defined", "person_field", f.Key, map[string]any{"kind": f.Kind, "signup": true}); err != nil {
			return err
		}
	}
	return nil
}

// FieldKey turns a custom field's name as another system writes it
// (Action Network's "Favourite Colour") into a Momentum key
// ("favourite_colour"): lower case, runs of anything but letters and
// digits become one underscore, at most 50 characters. A name that is
// already a key is unchanged.
func FieldKey(name string) string {
	if fieldKeyRE.MatchString(name) {
		return name
	}
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	key := b.String()
	if len(key) > 50 {
		key = strings.TrimRight(key[:50], "_")
	}
	return key
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// networkWide reports whether the principal in ctx acts for the whole
// network: the system, an admin, or a network API token.
func networkWide(ctx context.Context) bool {
	p := auth.PrincipalFrom(ctx)
	return p != nil && p.TokenGroupID == "" && (p.System || p.Token || p.Role == auth.RoleAdmin)
}
