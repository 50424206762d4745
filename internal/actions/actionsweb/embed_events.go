package actionsweb

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/events/eventsweb"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// minFillTime is how long a person takes at least to fill the RSVP embed;
// faster is a script (the actions service has its own, Deps.MinFillTime).
const minFillTime = 2 * time.Second

// publicEvent is a public event for its embed: the events service's Get as
// nobody (the embeds carry no session), and public only.
func (h *Handler) publicEvent(ctx context.Context, id string) (*events.Event, error) {
	e, err := h.events.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Visibility != events.Public {
		return nil, errs.E(errs.NotFound, "We could not find that event.")
	}
	return e, nil
}

func (h *Handler) eventConfig(e *events.Event) embedConfig {
	base := h.base + "/embed/events/" + e.ID
	return embedConfig{Attr: "data-momentum-event", Key: e.ID, Title: e.Title,
		Intro: "<p>" + template.HTMLEscapeString(eventWhen(e)) + "</p>", Count: e.Accepted, CountLabel: "going",
		Open: eventOpen(e, time.Now()), Closed: "This event is not taking answers any more.",
		Post: base, Token: base + "/token", Page: h.base + "/events/" + e.ID, Fields: rsvpFields(),
		Submit: "Send my answer"}
}

func eventOpen(e *events.Event, now time.Time) bool {
	return e.Status != events.Cancelled && !e.GroupArchived && e.End.After(now)
}

// eventWhen says when and where, in the event's own time zone.
func eventWhen(e *events.Event) string {
	// issue 16: the formatting layer, the zone said once ("London time").
	s := web.DayTime(e.Start, nil) + "–" + web.Clock(e.End, nil) + " " + web.ZoneLabel(e.Start.Location())
	where := strings.TrimSpace(strings.Join(nonEmpty(e.Place.Name, e.Place.Address, e.Place.Postcode), ", "))
	if where != "" {
		s += ", " + where
	} else if e.OnlineURL != "" {
		s += ", online"
	}
	return s
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// rsvpFields are the guest RSVP's controls (as the event page's guest form).
func rsvpFields() []embedField {
	return []embedField{
		{Name: "status", Label: "Are you coming?", Type: "radio", Required: true, Value: events.Accepted,
			Choices: []choice{{events.Accepted, "Yes, I'll come"}, {events.Tentative, "Maybe"}, {events.Declined, "No, I can't"}}},
		{Name: "name", Label: "Your name", Type: "text", Required: true, Autocomplete: "name"},
		{Name: "email", Label: "Email address", Type: "email", Required: true, Autocomplete: "email"},
		{Name: "postcode", Label: "Postcode (optional)", Type: "text", Autocomplete: "postal-code"},
		{Name: "email_opt_in", Label: eventsweb.ConsentWording, Type: "checkbox"},
	}
}

// handleEmbedEvent serves the script (GET /embed/events/{id}.js) and the
// iframe page (GET /embed/events/{id}).
func (h *Handler) handleEmbedEvent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if s, ok := strings.CutSuffix(id, ".js"); ok {
		e, err := h.publicEvent(r.Context(), s)
		if err != nil {
			writeScriptError(w, r, err)
			return
		}
		writeScript(w, h.eventConfig(e))
		return
	}
	e, err := h.publicEvent(r.Context(), id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.eventEmbedPage(w, r, http.StatusOK, e, nil, "")
}

func (h *Handler) eventEmbedPage(w http.ResponseWriter, r *http.Request, status int, e *events.Event, form *web.Form, thanks template.HTML) {
	c := h.eventConfig(e)
	if form == nil {
		form = web.NewForm(nil)
		form.Values.Set("status", events.Accepted)
	}
	d := embedPageData{Post: "/embed/events/" + e.ID, Fields: c.Fields, Submit: c.Submit, EmbeddedOn: embeddedOn(r), Thanks: thanks}
	d.SiteName, d.URL, d.Open, d.Token = h.siteName, c.Page, c.Open, h.tokens.issue("event:"+e.ID)
	d.Event = &eventSummary{Title: e.Title, When: eventWhen(e), Going: e.Accepted}
	h.renderEmbed(w, r, status, e.Title, d, form)
}

// eventSummary is what the iframe page shows of an event.
type eventSummary struct {
	Title, When string
	Going       int
}

func (h *Handler) handleEmbedEventToken(w http.ResponseWriter, r *http.Request) {
	cors(w, r)
	w.Header().Set("Cache-Control", "no-store")
	e, err := h.publicEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		web.JSONError(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, tokenAnswer{Token: h.tokens.issue("event:" + e.ID), Count: e.Accepted, Open: eventOpen(e, time.Now())})
}

// msgSpam answers a submission the spam checks refuse (the honeypot was
// filled, or the form was sent faster than a person could).
const msgSpam = "Your answer could not be accepted. If you are a person, please wait a moment and send it again."

func (h *Handler) handleEmbedEventPost(w http.ResponseWriter, r *http.Request) {
	cors(w, r)
	asJSON := wantsJSON(r)
	e, err := h.publicEvent(r.Context(), r.PathValue("id"))
	if err == nil {
		err = parseEmbedForm(r)
	}
	var res *events.RSVP
	if err == nil {
		err = h.checkRSVPSpam(r, e)
	}
	if err == nil {
		v := r.PostForm
		res, err = h.events.RSVPAsGuest(r.Context(), e.ID, events.Guest{Name: v.Get("name"), Email: v.Get("email"),
			Postcode: v.Get("postcode"), Status: v.Get("status"),
			EmailConsent: v.Get("email_opt_in") == "true", ConsentWording: eventsweb.ConsentWording})
	}
	if err != nil {
		switch {
		case asJSON:
			writeEmbedError(w, r, err)
		case e != nil && errs.CodeOf(err) == errs.Invalid:
			form := web.FormWithError(r.PostForm, err)
			form.Errors = formNames(form.Errors)
			h.eventEmbedPage(w, r, http.StatusUnprocessableEntity, e, form, "")
		default:
			h.rend.Error(w, r, err)
		}
		return
	}
	msg := rsvpThanks(res.Status)
	if fresh, ferr := h.publicEvent(r.Context(), e.ID); ferr == nil {
		e = fresh
	}
	if asJSON {
		web.JSON(w, http.StatusOK, embedAnswer{OK: true, Message: msg, ThanksHTML: "<p>" + template.HTMLEscapeString(msg) + "</p>", Count: e.Accepted})
		return
	}
	h.eventEmbedPage(w, r, http.StatusOK, e, nil, template.HTML("<p>"+template.HTMLEscapeString(msg)+"</p>"))
}

// checkRSVPSpam is the RSVP embed's spam check: the signed token (this
// event's, not too old, not too new), the honeypot, and the rate per
// address. The events service's guest path has no such checks of its own.
func (h *Handler) checkRSVPSpam(r *http.Request, e *events.Event) error {
	at, err := h.tokens.check("event:"+e.ID, r.PostForm.Get("rendered"))
	if err != nil {
		return err
	}
	if r.PostForm.Get("website") != "" || h.tokens.now().Sub(at) < minFillTime {
		return errs.E(errs.Invalid, msgSpam)
	}
	return h.rsvpRate.hit(h.clientIP(r))
}

func rsvpThanks(status string) string {
	switch status {
	case events.Accepted:
		return "Thank you: you're coming. See you there!"
	case events.Waitlisted:
		return "The event is full, so you're on the waiting list: we'll email you if a place comes free."
	case events.Tentative:
		return "Thank you: we've noted that you might come."
	}
	return "Thank you for letting us know you can't come."
}
