package actions

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// Bounds on what a responder types.
const (
	maxComment  = 2000
	maxAnswer   = 2000
	maxAnswers  = maxQuestions
	maxSource   = 200
	maxReferrer = 500
	maxRTags    = 20
)

// errDuplicate rolls back a response whose person had already responded.
var errDuplicate = errors.New("actions: duplicate response")

// Respond signs a petition or submits a form: validated whole (fields
// named as the form names them: given_name, family_name, email, phone,
// postcode, comment, answers.<key>, consent, tags), spam-checked, then in
// one transaction the person is matched or created with the action's tags
// and r.Tags, consent granted with the action's wording when r.EmailOptIn,
// the response stored, an outbox event appended, the thank-you (or, under
// double opt-in, the confirmation) mail queued, and the live count
// published after commit. Anyone may respond to an open action.
//
// Spam (see spam.go): a filled honeypot gets a Result that looks like
// success (Discarded set, Response.ID empty) and nothing is written, so a
// bot learns nothing; a form sent sooner than MinFillTime after it was
// rendered is errs.Invalid ("take a moment"); more than RatePerHour
// responses from one RemoteAddr in a clock hour are errs.TooMany.
//
// A second response by the same person (matched by email, then phone)
// is a Duplicate: the first stands and nothing is written, except that
// under double opt-in a response still waiting for its link gets a new
// confirmation mail (a new link, which replaces the old).
//
// Errors: errs.Invalid, errs.Conflict (closed), errs.NotFound (no such
// action, or a draft), errs.TooMany (rate) — nothing is written then.
func (s *Service) Respond(ctx context.Context, actionID string, r Respond) (*Result, error) {
	a, err := findActionBySlugOrID(ctx, s.d.DB.Q(), strings.TrimSpace(actionID))
	if err != nil {
		return nil, err
	}
	switch a.Status {
	case StatusDraft:
		return nil, notFound()
	case StatusClosed:
		return nil, errs.E(errs.Conflict, "This %s is closed: it takes no more responses.", a.Kind)
	}
	now := s.clock()
	if r.Honeypot != "" {
		s.log.Info("action response discarded: honeypot", "action", a.ID)
		return &Result{Response: &Response{ActionID: a.ID, CreatedAt: now}, Pending: s.d.DoubleOptIn, Discarded: true}, nil
	}
	if !r.RenderedAt.IsZero() && now.Sub(r.RenderedAt) < s.d.MinFillTime {
		return nil, errs.E(errs.Invalid, "That was quick! Please take a moment to check the form, then send it again.")
	}
	sg, resp, err := s.check(a, &r)
	if err != nil {
		return nil, err
	}
	if r.RemoteAddr != "" && !s.rate.allow(r.RemoteAddr, now) {
		return nil, errs.E(errs.TooMany, "Too many responses have come from your address in the last hour. Please try again later.")
	}
	resp.CreatedAt = now
	res := &Result{Response: resp, Pending: s.d.DoubleOptIn}
	var dup *Response
	count := -1
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		sr, err := s.d.People.SignupTx(ctx, tx, sg)
		if err != nil {
			return answerFields(a, err)
		}
		res.Created = sr.Created
		resp.PersonID = sr.PersonID
		if !sr.Created {
			if dup, err = findResponseOf(ctx, tx, a.ID, sr.PersonID); err == nil {
				return errDuplicate
			} else if !errs.Is(err, errs.NotFound) {
				return err
			}
		}
		var token string
		if s.d.DoubleOptIn {
			token = newToken()
		} else {
			resp.ConfirmedAt = now
		}
		if err := insertResponse(ctx, tx, resp, r.EmailOptIn, hashToken(token)); err != nil {
			if db.IsUniqueViolation(err) {
				return errDuplicate
			}
			return err
		}
		if s.d.DoubleOptIn {
			return s.queueConfirm(ctx, tx, a, r.Email, r.GivenName, token)
		}
		if count, err = s.confirmed(ctx, tx, a, resp); err != nil {
			return err
		}
		return s.queueThanks(ctx, tx, a, r.Email, r.GivenName)
	})
	if errors.Is(err, errDuplicate) {
		if dup == nil { // a race lost at the unique index: read the winner
			if dup, err = findResponseOf(ctx, s.d.DB.Q(), a.ID, resp.PersonID); err != nil {
				return nil, err
			}
		}
		res := &Result{Response: dup, Duplicate: true, Pending: dup.ConfirmedAt.IsZero()}
		if res.Pending && s.d.DoubleOptIn {
			// The first mail was lost or is in the spam folder: a new
			// link replaces the old one.
			token := newToken()
			err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.Exec(ctx, `UPDATE action_responses SET confirm_hash = ? WHERE id = ? AND confirmed_at IS NULL`,
					hashToken(token), dup.ID); err != nil {
					return fmt.Errorf("renew confirmation: %w", err)
				}
				return s.queueConfirm(ctx, tx, a, r.Email, r.GivenName, token)
			})
			if err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	if count >= 0 {
		s.publish(ctx, a.ID, count)
	}
	return res, nil
}

// check validates a response whole against its action and returns the
// signup to run and the response to store.
func (s *Service) check(a *Action, r *Respond) (people.Signup, *Response, error) {
	bad := map[string]string{}
	for _, p := range []*string{&r.GivenName, &r.FamilyName, &r.Email, &r.Phone, &r.Postcode, &r.Locality, &r.Region, &r.Country, &r.Comment, &r.Source, &r.Referrer} {
		*p = strings.TrimSpace(*p)
	}
	in := people.Input{GivenName: r.GivenName, FamilyName: r.FamilyName, Email: r.Email, Phone: r.Phone,
		Address: people.Address{Postcode: r.Postcode, Locality: r.Locality, Region: r.Region, Country: r.Country},
		Source:  people.SourceSignup, SourceDetail: a.ID,
		CustomFields: map[string]string{}}
	answers := map[string]string{}
	if len(r.Answers) > maxAnswers {
		bad["answers"] = "Too many answers."
	}
	for k := range r.Answers {
		if !slices.ContainsFunc(a.Questions, func(q Question) bool { return q.Key == k }) && len(bad) < 20 {
			bad["answers."+k] = "There is no such question."
		}
	}
	for _, q := range a.Questions {
		v, field := strings.TrimSpace(r.Answers[q.Key]), "answers."+q.Key
		v, msg := q.answer(v)
		if msg != "" {
			bad[field] = msg
			continue
		}
		if v == "" {
			if q.Required {
				bad[field] = "Answer this question."
			}
			continue
		}
		answers[q.Key] = v
		switch q.Field {
		case "":
		case "given_name":
			in.GivenName = v
		case "family_name":
			in.FamilyName = v
		case "phone":
			in.Phone = v
		case "postcode":
			in.Address.Postcode = v
		case "locality":
			in.Address.Locality = v
		default:
			in.CustomFields[strings.TrimPrefix(q.Field, "custom.")] = v
		}
	}
	if err := in.Validate(); err != nil {
		for k, v := range errs.FieldsOf(err) {
			if k == "source_detail" || k == "source" {
				return people.Signup{}, nil, err // ours, not the responder's: a bug
			}
			bad[fieldOf(a, k)] = v
		}
	}
	switch {
	case a.Kind == KindPetition || s.d.DoubleOptIn:
		if in.Email == "" && bad["email"] == "" {
			bad["email"] = "Enter your email address."
		}
	case in.Email == "" && in.Phone == "" && bad["email"] == "" && bad["phone"] == "":
		bad["email"] = "Enter your email address or phone number."
	}
	if in.GivenName == "" && in.Email == "" && bad["given_name"] == "" && bad["email"] == "" {
		bad["given_name"] = "Enter your name."
	}
	// A comment on a petition that shows none (Action Network's signature
	// helper always takes one) is kept for its organisers, never shown:
	// PublicComments reads comments only where the petition shows them.
	if r.Comment != "" && a.Kind != KindPetition {
		bad["comment"] = "Only a petition takes comments."
	} else if utf8.RuneCountInString(r.Comment) > maxComment {
		bad["comment"] = fmt.Sprintf("Use at most %d characters.", maxComment)
	}
	if r.EmailOptIn && in.Email == "" && bad["email"] == "" {
		bad["consent"] = "Give your email address to get email from us."
	}
	if len(r.Tags) > maxRTags {
		bad["tags"] = fmt.Sprintf("Use at most %d tags.", maxRTags)
	}
	extra, err := people.CleanTags(r.Tags, "tags")
	if err != nil {
		maps.Copy(bad, errs.FieldsOf(err))
	}
	if utf8.RuneCountInString(r.Source) > maxSource {
		bad["source"] = fmt.Sprintf("Use at most %d characters.", maxSource)
	}
	if err := errs.Fields(bad); err != nil {
		return people.Signup{}, nil, err
	}
	if len(in.CustomFields) == 0 {
		in.CustomFields = nil
	}
	sg := people.Signup{Person: in, AddTags: dedupeFold(append(slices.Clone(a.Tags), extra...))}
	if r.EmailOptIn && !s.d.DoubleOptIn {
		sg.Consents = []people.Consent{emailConsent(a)}
	}
	resp := &Response{ID: db.NewID(), ActionID: a.ID, Comment: r.Comment, Answers: answers,
		Source: cmpOr(r.Source, "page"), Referrer: clip(r.Referrer, maxReferrer)}
	// Keep what the mail needs in r, normalised.
	r.Email, r.GivenName = in.Email, in.GivenName
	return sg, resp, nil
}

// answer normalises one answer; msg says what is wrong with it.
func (q Question) answer(v string) (out, msg string) {
	if utf8.RuneCountInString(v) > maxAnswer {
		return "", fmt.Sprintf("Use at most %d characters.", maxAnswer)
	}
	if v == "" {
		return "", ""
	}
	switch q.Kind {
	case QChoice:
		if !slices.Contains(q.Choices, v) {
			return "", "Choose one of the answers offered."
		}
	case QCheckbox:
		switch strings.ToLower(v) {
		case "yes", "on", "true", "1":
			return "yes", ""
		case "no", "off", "false", "0":
			return "", ""
		}
		return "", "Tick the box or leave it empty."
	case QNumber:
		if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "xXpPnN_") {
			return "", "Enter a number, like 12 or 3.5."
		}
	case QDate:
		d, err := time.Parse("2006-01-02", v)
		if err != nil || d.Year() < 1000 {
			return "", "Enter a date as year-month-day, like 2026-03-14."
		}
	}
	return v, ""
}

// fieldOf names a person field's error as the form names it: a question
// that fills the field names it answers.<key>.
func fieldOf(a *Action, personField string) string {
	for _, q := range a.Questions {
		if q.Field != "" && q.Field == personField {
			return "answers." + q.Key
		}
	}
	return personField
}

// answerFields renames SignupTx's field errors (custom.<key>) to the
// questions that filled them.
func answerFields(a *Action, err error) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	bad := map[string]string{}
	for k, v := range f {
		bad[fieldOf(a, k)] = v
	}
	return errs.Fields(bad)
}

// emailConsent is the consent a ticked box gives, with the action's
// wording.
func emailConsent(a *Action) people.Consent {
	return people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
		Source: clip(a.Kind+": "+a.Title, maxSource), Wording: a.ConsentWording}
}

// confirmed makes a stored response count: the action's count, the
// outbox event. It returns the new count.
func (s *Service) confirmed(ctx context.Context, tx *db.Tx, a *Action, resp *Response) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `UPDATE actions SET confirmed_count = confirmed_count + 1 WHERE id = ? RETURNING confirmed_count`,
		a.ID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count response: %w", err)
	}
	kind, subject := outbox.SignatureCreated, "signature"
	if a.Kind == KindForm {
		kind, subject = outbox.SubmissionCreated, "submission"
	}
	if err := outbox.Append(ctx, tx, outbox.Event{Kind: kind, Subject: subject, SubjectID: resp.ID, GroupID: a.GroupID,
		Data: map[string]any{"action_id": a.ID}, At: s.clock()}); err != nil {
		return 0, err
	}
	return n, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
