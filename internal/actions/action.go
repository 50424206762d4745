package actions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Bounds on what an organiser writes.
const (
	maxTitle     = 200
	maxTarget    = 300
	maxText      = 50_000
	maxSlug      = 80
	maxGoal      = 100_000_000
	maxQuestions = 50
	maxLabel     = 500
	maxChoices   = 50
	maxChoice    = 200
	maxWording   = 5000
	maxTags      = 20
	maxSubject   = 200
	maxThanks    = 20_000
)

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	keyRE  = regexp.MustCompile(`^[a-z0-9_]{1,50}$`)
)

// personFields are the person fields a question may fill.
var personFields = []string{"given_name", "family_name", "phone", "postcode", "locality"}

// normalize trims in and checks it whole, naming every bad field.
func (in *Input) normalize() error {
	bad := map[string]string{}
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&in.Kind, &in.GroupID, &in.Slug, &in.Title, &in.Target, &in.ConsentWording,
		&in.ThanksSubject} {
		trim(p)
	}
	in.Text = strings.TrimSpace(in.Text)
	in.ThanksText, in.ThanksPage = strings.TrimSpace(in.ThanksText), strings.TrimSpace(in.ThanksPage)
	if in.Kind != KindPetition && in.Kind != KindForm {
		bad["kind"] = "Choose petition or form."
	}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > maxTitle || strings.ContainsAny(in.Title, "\r\n") {
		bad["title"] = fmt.Sprintf("Give a title of at most %d characters.", maxTitle)
	}
	in.Slug = strings.ToLower(in.Slug)
	if in.Slug != "" && (len(in.Slug) > maxSlug || !slugRE.MatchString(in.Slug)) {
		bad["slug"] = fmt.Sprintf("Use lower-case letters, digits and single dashes (at most %d).", maxSlug)
	}
	if utf8.RuneCountInString(in.Target) > maxTarget || strings.ContainsAny(in.Target, "\r\n") {
		bad["target"] = fmt.Sprintf("Use at most %d characters.", maxTarget)
	}
	if utf8.RuneCountInString(in.Text) > maxText {
		bad["text"] = fmt.Sprintf("Use at most %d characters.", maxText)
	}
	if in.Goal < 0 || in.Goal > maxGoal {
		bad["goal"] = fmt.Sprintf("Give a goal between 0 (none) and %d.", maxGoal)
	}
	if len(in.Questions) > maxQuestions {
		bad["questions"] = fmt.Sprintf("Ask at most %d questions.", maxQuestions)
	}
	keys := map[string]bool{}
	fields := map[string]bool{}
	for i := range in.Questions {
		q := &in.Questions[i]
		at := fmt.Sprintf("questions.%d.", i)
		q.Key, q.Label, q.Kind, q.Field = strings.TrimSpace(q.Key), strings.TrimSpace(q.Label), strings.TrimSpace(q.Kind), strings.TrimSpace(q.Field)
		if !keyRE.MatchString(q.Key) {
			bad[at+"key"] = "Use 1 to 50 lower-case letters, digits or underscores."
		} else if keys[q.Key] {
			bad[at+"key"] = "Another question has this key."
		}
		keys[q.Key] = true
		if q.Label == "" || utf8.RuneCountInString(q.Label) > maxLabel {
			bad[at+"label"] = fmt.Sprintf("Write the question (at most %d characters).", maxLabel)
		}
		if !slices.Contains([]string{QText, QChoice, QCheckbox, QNumber, QDate}, q.Kind) {
			bad[at+"kind"] = "Choose text, choice, checkbox, number or date."
		}
		if q.Kind == QChoice {
			seen := map[string]bool{}
			clean := q.Choices[:0:0]
			for _, c := range q.Choices {
				c = strings.TrimSpace(c)
				if c == "" || utf8.RuneCountInString(c) > maxChoice || seen[c] {
					bad[at+"choices"] = fmt.Sprintf("Give distinct choices of 1 to %d characters.", maxChoice)
				}
				seen[c] = true
				clean = append(clean, c)
			}
			q.Choices = clean
			if len(q.Choices) < 2 || len(q.Choices) > maxChoices {
				bad[at+"choices"] = fmt.Sprintf("Give 2 to %d choices.", maxChoices)
			}
		} else {
			q.Choices = nil
		}
		switch {
		case q.Field == "":
		case slices.Contains(personFields, q.Field):
			if q.Kind != QText {
				bad[at+"field"] = "Only a text question can fill a person's field."
			}
		case strings.HasPrefix(q.Field, "custom.") && keyRE.MatchString(strings.TrimPrefix(q.Field, "custom.")):
		default:
			bad[at+"field"] = "Choose given_name, family_name, phone, postcode, locality or custom.<key>."
		}
		if q.Field != "" {
			if fields[q.Field] {
				bad[at+"field"] = "Another question fills this field."
			}
			fields[q.Field] = true
		}
	}
	if utf8.RuneCountInString(in.ConsentWording) > maxWording {
		bad["consent_wording"] = fmt.Sprintf("Use at most %d characters.", maxWording)
	}
	if in.ConsentWording == "" {
		// Every response may tick the email box, so every action names
		// what it means.
		bad["consent_wording"] = "Write what people agree to when they tick the box to get email."
	}
	if len(in.Tags) > maxTags {
		bad["tags"] = fmt.Sprintf("Use at most %d tags.", maxTags)
	} else if tags, err := people.CleanTags(in.Tags, "tags"); err != nil {
		for k, v := range errs.FieldsOf(err) {
			bad[k] = v
		}
	} else {
		in.Tags = dedupeFold(tags)
	}
	if utf8.RuneCountInString(in.ThanksSubject) > maxSubject || strings.ContainsAny(in.ThanksSubject, "\r\n") {
		bad["thanks_subject"] = fmt.Sprintf("Use one line of at most %d characters.", maxSubject)
	}
	if utf8.RuneCountInString(in.ThanksText) > maxThanks {
		bad["thanks_text"] = fmt.Sprintf("Use at most %d characters.", maxThanks)
	}
	if utf8.RuneCountInString(in.ThanksPage) > maxThanks {
		bad["thanks_page"] = fmt.Sprintf("Use at most %d characters.", maxThanks)
	}
	return errs.Fields(bad)
}

// dedupeFold keeps the first of tags equal without case.
func dedupeFold(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// slugify makes an address from a title: "Save Hackney's library!" →
// "save-hackney-s-library".
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	if b.Len() == 0 {
		return "action"
	}
	return b.String()
}

// Create makes an action (a draft). Admins for the network, organisers
// for their group (in.GroupID). An empty slug is made from the title.
//
// Errors: errs.Invalid naming the field (kind, title, slug, goal,
// questions.<n>.<field>, consent_wording, tags…, group), errs.Conflict
// (slug), errs.Forbidden, errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Action, error) {
	if err := s.can(ctx, ActManage, strings.TrimSpace(in.GroupID)); err != nil {
		return nil, err
	}
	if err := in.normalize(); err != nil {
		return nil, err
	}
	now := s.clock()
	a := &Action{ID: db.NewID(), Kind: in.Kind, GroupID: in.GroupID, Status: StatusDraft, CreatedAt: now, UpdatedAt: now}
	a.apply(in)
	if p := auth.PrincipalFrom(ctx); p != nil && !p.System && !p.Token {
		a.CreatedBy = p.UserID
	}
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if a.Slug == "" {
			var err error
			if a.Slug, err = freeSlug(ctx, tx, slugify(a.Title)); err != nil {
				return err
			}
		}
		if err := insertAction(ctx, tx, a); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "actions.create", "action", a.ID, map[string]any{"group_id": a.GroupID, "kind": a.Kind})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// apply copies what an organiser may change.
func (a *Action) apply(in Input) {
	a.Slug, a.Title, a.Target, a.Text, a.Goal = in.Slug, in.Title, in.Target, in.Text, in.Goal
	a.Comments, a.Questions, a.ConsentWording, a.Tags = in.Comments, in.Questions, in.ConsentWording, in.Tags
	a.ThanksSubject, a.ThanksText, a.ThanksPage = in.ThanksSubject, in.ThanksText, in.ThanksPage
	if a.Questions == nil {
		a.Questions = []Question{}
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
}

// Update replaces an action's details (not its kind or group: in.Kind and
// in.GroupID are ignored). An empty slug keeps the current one.
//
// Errors: as Create, and errs.NotFound.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Action, error) {
	var a *Action
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if a, err = s.manageable(ctx, tx, id); err != nil {
			return err
		}
		in.Kind, in.GroupID = a.Kind, a.GroupID
		if err := in.normalize(); err != nil {
			return err
		}
		if in.Slug == "" {
			in.Slug = a.Slug
		}
		a.apply(in)
		a.UpdatedAt = s.clock()
		if err := updateAction(ctx, tx, a); err != nil {
			return err
		}
		if err := s.index(ctx, tx, a); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "actions.update", "action", a.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// SetStatus opens, closes or reopens an action (draft, open or closed).
//
// Errors: errs.Invalid (status), errs.NotFound, errs.Forbidden.
func (s *Service) SetStatus(ctx context.Context, id, status string) error {
	if status != StatusDraft && status != StatusOpen && status != StatusClosed {
		return errs.Fields(map[string]string{"status": "Choose draft, open or closed."})
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.manageable(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Status == status {
			return nil
		}
		a.Status, a.UpdatedAt = status, s.clock()
		if _, err := tx.Exec(ctx, `UPDATE actions SET status = ?, updated_at = ? WHERE id = ?`, a.Status, a.UpdatedAt, a.ID); err != nil {
			return fmt.Errorf("action status: %w", err)
		}
		if err := s.index(ctx, tx, a); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "actions.status", "action", a.ID, map[string]any{"status": status})
	})
}

// manageable loads an action the viewer may manage.
func (s *Service) manageable(ctx context.Context, q db.Querier, id string) (*Action, error) {
	a, err := findAction(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActManage, a.GroupID); err != nil {
		return nil, err
	}
	return a, nil
}

// Get returns an action the viewer may manage (any status).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Get(ctx context.Context, id string) (*Action, error) {
	a, err := findAction(ctx, s.d.DB.Q(), id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActView, a.GroupID); err != nil {
		return nil, err
	}
	return a, nil
}

// Public returns an open or closed action by id or slug for its public
// page and embeds; anyone may read it (drafts are errs.NotFound).
func (s *Service) Public(ctx context.Context, idOrSlug string) (*Action, error) {
	a, err := findActionBySlugOrID(ctx, s.d.DB.Q(), strings.TrimSpace(idOrSlug))
	if err != nil {
		return nil, err
	}
	if a.Status == StatusDraft {
		return nil, notFound()
	}
	return a, nil
}

// List returns the actions the viewer may manage, newest first: all of
// them for admins, their groups' for organisers (f.GroupID narrows to
// one group, which the viewer must manage).
//
// Errors: errs.Invalid (kind, status), errs.Forbidden, errs.Unauthorized.
func (s *Service) List(ctx context.Context, f Filter) ([]Action, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil {
		return nil, errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	bad := map[string]string{}
	if f.Kind != "" && f.Kind != KindPetition && f.Kind != KindForm {
		bad["kind"] = "Choose petition or form."
	}
	if f.Status != "" && f.Status != StatusDraft && f.Status != StatusOpen && f.Status != StatusClosed {
		bad["status"] = "Choose draft, open or closed."
	}
	if err := errs.Fields(bad); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 50
	}
	var organiserOf string // the user whose organised groups bound the list
	switch {
	case f.GroupID != "":
		if err := s.can(ctx, ActManage, f.GroupID); err != nil {
			return nil, err
		}
	case p.System || p.Token || p.Role == auth.RoleAdmin:
	case p.TokenGroupID != "":
		f.GroupID = p.TokenGroupID
	default:
		organiserOf = p.UserID
	}
	return listActions(ctx, s.d.DB.Q(), f, organiserOf)
}

func notFound() error { return errs.E(errs.NotFound, "There is no such petition or form.") }
