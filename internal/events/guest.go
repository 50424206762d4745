package events

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// Guest is someone who is not signed in: a visitor answering on a public
// event's page, or a walk-in a host adds at the door.
type Guest struct {
	Name     string
	Email    string
	Phone    string // E.164; only the API's record attendance helper gives one, with or without Email
	Postcode string // optional
	// Status is the answer of a visitor (accepted, tentative, declined);
	// a walk-in is there, so it is ignored for them.
	Status string
	// EmailConsent is true only when the person ticked the box, whose
	// words were ConsentWording, kept word for word with the consent.
	EmailConsent   bool
	ConsentWording string

	// Set by the service for Guests.SignupGuest.
	EventID string // the person's source detail, when they are new
	Source  string // how consent was given: "event page", "walk-in"
}

// Guests finds or creates the person behind a guest (the people
// capability, through the person-signup path): PeopleGuests.
type Guests interface {
	// SignupGuest matches a person by email (else g.Phone), else creates a supporter with
	// source "event" and source detail g.EventID; and records email
	// consent, granted with g.ConsentWording, only when g.EmailConsent.
	SignupGuest(ctx context.Context, g Guest) (personID string, err error)
}

// PeopleGuests is the person-signup path the service is given: it matches
// a guest by email (else phone, from the API) or creates a supporter, and
// records email consent only when they ticked the box. It acts as the
// system: the guest is not signed in, and the events service has checked
// what they may do.
type PeopleGuests struct{ People *people.Service }

var _ Guests = PeopleGuests{}

// SignupGuest implements Guests.
func (g PeopleGuests) SignupGuest(ctx context.Context, gu Guest) (string, error) {
	sys := auth.WithSystem(ctx)
	id, err := g.People.Match(sys, gu.Email, gu.Phone)
	if errs.Is(err, errs.NotFound) {
		given, family, _ := strings.Cut(gu.Name, " ")
		var p *people.Person
		p, err = g.People.Create(sys, people.Input{GivenName: given, FamilyName: family, Email: gu.Email, Phone: gu.Phone,
			Address: people.Address{Postcode: gu.Postcode}, Source: people.SourceEvent, SourceDetail: gu.EventID})
		switch {
		case err == nil:
			id = p.ID
		case errs.Is(err, errs.Conflict):
			id, err = g.People.Match(sys, gu.Email, gu.Phone) // created meanwhile by another request
		}
	}
	if err != nil {
		return "", err
	}
	if gu.EmailConsent {
		if err := g.People.SetConsent(sys, id, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
			Source: gu.Source, Wording: gu.ConsentWording}); err != nil {
			return "", err
		}
	}
	return id, nil
}

// check trims a guest's details; errors name the form's fields (name,
// email, postcode, consent).
func (g *Guest) check() error {
	bad := map[string]string{}
	g.Name = strings.Join(strings.Fields(g.Name), " ")
	switch n := utf8.RuneCountInString(g.Name); {
	case n == 0:
		bad["name"] = "Give your name."
	case n > 200:
		bad["name"] = "Keep the name under 200 characters."
	}
	g.Email = strings.ToLower(strings.TrimSpace(g.Email))
	if a, err := mail.ParseAddress(g.Email); g.Email == "" {
		bad["email"] = "Give an email address, so we can tell you if anything changes."
	} else if err != nil || a.Address != g.Email || !strings.Contains(g.Email[strings.LastIndex(g.Email, "@")+1:], ".") {
		bad["email"] = "Enter an email address like name@example.org."
	}
	if pc := strings.TrimSpace(g.Postcode); pc != "" {
		norm, _, ok := geo.NormalizePostcode(pc)
		if !ok {
			bad["postcode"] = "Enter a UK postcode like E8 1DY, or leave it empty."
		}
		g.Postcode = norm
	}
	g.ConsentWording = strings.TrimSpace(g.ConsentWording)
	if g.EmailConsent && g.ConsentWording == "" {
		bad["consent"] = "The words you agreed to are missing: please try again."
	}
	return errs.Fields(bad)
}

// RSVPAsGuest records the answer of someone who is not signed in, on a
// public event: they become a supporter (or are matched with the person
// who has their email address) with email consent only when they ticked the
// box, then answer as RSVP does (a yes to a full event puts them on the
// waitlist).
//
// Errors: errs.Invalid naming the fields (name, email, postcode, status),
// errs.NotFound (no such event, or not public), errs.Conflict (cancelled
// or over).
func (s *Service) RSVPAsGuest(ctx context.Context, eventID string, g Guest) (*RSVP, error) {
	bad := errs.FieldsOf(g.check())
	if !slices.Contains([]string{Accepted, Tentative, Declined}, g.Status) {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["status"] = "Say whether you are coming: yes, maybe or no."
	}
	if len(bad) > 0 {
		return nil, errs.Fields(bad)
	}
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, err
	}
	if e.Visibility != Public {
		return nil, notFound()
	}
	if err := s.open(e); err != nil {
		return nil, err
	}
	g.EventID, g.Source = e.ID, "event page"
	personID, err := s.guests.SignupGuest(ctx, g)
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, e, personID, RSVPInput{Status: g.Status, Source: "event page"})
}

// AddWalkIn adds someone who turned up without answering: a host or an
// organiser types their details at the door; they become a supporter (or
// are matched by email) with email consent only when they ticked the box,
// and are checked in.
//
// Errors: errs.Invalid naming the fields (name, email, postcode),
// errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) AddWalkIn(ctx context.Context, eventID string, g Guest) (string, error) {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return "", err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return "", err
	}
	if err := writable(e); err != nil {
		return "", err
	}
	if err := g.check(); err != nil {
		return "", err
	}
	g.EventID, g.Source = e.ID, "walk-in"
	personID, err := s.guests.SignupGuest(ctx, g)
	if err != nil {
		return "", err
	}
	return personID, s.CheckIn(ctx, eventID, personID)
}

// open refuses answers to an event that is cancelled or over.
func (s *Service) open(e *Event) error {
	switch {
	case e.GroupArchived:
		return errArchived()
	case e.Status == Cancelled:
		return errs.E(errs.Conflict, "This event is cancelled.")
	case !e.End.After(s.clock()):
		return errs.E(errs.Conflict, "This event is over.")
	}
	return nil
}
