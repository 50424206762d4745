package messagingweb

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// composePage is the form to write a broadcast: new (B nil) or a draft
// (or a scheduled one, which saving takes off the schedule).
type composePage struct {
	B        *messaging.Broadcast
	Status   chip
	Action   string // where the form posts
	Audience audience
	GroupID  string
	// Count is how many people the broadcast would reach now; CountOK is
	// false when it could not be counted (the targets are refused).
	Count     int
	CountText string
	CountOK   bool
	// LeftOut says how many of the people named will not get it (no
	// consent, no working address), when that is known.
	LeftOut string
	Samples []sample
	Send    sendCard
	// Choices offer the groups a new message may go to, when the link
	// that opened the form named no one.
	Choices []groupChoice
	IsAdmin bool
	// SMS text messages (issue 12): SMSOffered is true when the site can
	// send them, and the form then offers "Send as: Email / Text message";
	// Channel is the channel the form is on now (messaging.ChannelEmail or
	// ChannelSMS); Segments is "2 SMS segments · 170 characters" for the
	// body as written (placeholders not yet filled in), SMS only.
	SMSOffered bool
	Channel    string
	Segments   string
}

// SMS is whether the form is for a text message.
func (p composePage) SMS() bool { return p.Channel == messaging.ChannelSMS }

// groupChoice is a group the viewer may write to.
type groupChoice struct{ ID, Name string }

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ts, groupID := targetsFromQuery(q)
	v := url.Values{"group": {groupID}}
	for _, t := range ts {
		v.Add("target", encodeTarget(t))
	}
	h.newForm(w, r, http.StatusOK, web.NewForm(v))
}

// newForm renders the form for a new broadcast to the targets the form
// holds (hidden "target" fields).
func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	ctx := r.Context()
	viewer := web.ViewerFrom(ctx)
	if viewer == nil {
		h.rend.Error(w, r, errs.E(errs.Unauthorized, ""))
		return
	}
	p := composePage{Action: "/messages", GroupID: form.Get("group"), IsAdmin: viewer.IsAdmin}
	h.channelOf(&p, form, nil)
	ts, err := decodeTargets(form.Values["target"])
	if err != nil {
		// Nobody named yet: offer the groups the viewer organises.
		if p.Choices, err = h.choices(ctx); err != nil {
			h.rend.Error(w, r, err)
			return
		}
		if len(p.Choices) == 0 && !viewer.IsAdmin {
			h.rend.Error(w, r, errs.E(errs.Forbidden, "Only a group's organisers and the network's admins can send messages."))
			return
		}
		h.rend.Page(w, r, status, "messages/compose", web.Page{Title: "Write a message", Data: p, Form: form})
		return
	}
	in := inputFrom(form.Values, ts)
	// Counting also checks the viewer may write to these people: a refusal
	// here is the page's answer.
	if err := h.count(ctx, in, &p); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Audience = h.describe(ctx, ts)
	p.LeftOut = h.leftOut(ctx, ts, p.Channel, p.Count, p.CountOK)
	h.rend.Page(w, r, status, "messages/compose", web.Page{Title: "Write a message", Data: p, Form: form})
}

// count fills the page's recipient count. Only a refusal (forbidden, not
// found) is returned; anything else about the input leaves the count out.
func (h *Handler) count(ctx context.Context, in messaging.Input, p *composePage) error {
	n, err := h.svc.Count(ctx, countable(in))
	switch errs.CodeOf(err) {
	case "":
		p.Count, p.CountText, p.CountOK = n, peopleCount(n), true
	case errs.Invalid:
	default:
		return err
	}
	return nil
}

// channelOf fills the page's channel from the form (email when it names
// none) and, for a text message, the segment count of its body. The choice
// is offered when SMS is configured, and on a stored text message (b)
// whatever the settings, so that it can be turned into an email. Where it
// is not offered the form is an email's: a posted "sms" is refused by the
// service, its error shown in place of the choice.
func (h *Handler) channelOf(p *composePage, form *web.Form, b *messaging.Broadcast) {
	p.SMSOffered = h.svc.SMSConfigured() || (b != nil && b.Channel == messaging.ChannelSMS)
	p.Channel = channelFrom(form.Get("channel"))
	if !p.SMSOffered {
		p.Channel = messaging.ChannelEmail
	}
	if p.SMS() {
		p.Segments = segmentsText(form.Get("body"))
	}
}

// channelFrom is the channel a form field names: SMS when it says so,
// otherwise email. Anything else is email too; the service checks the
// channel (and refuses SMS when it is not configured).
func channelFrom(v string) string {
	if strings.TrimSpace(v) == messaging.ChannelSMS {
		return messaging.ChannelSMS
	}
	return messaging.ChannelEmail
}

// segmentsText is "2 SMS segments · 170 characters" for a text message's
// body, or "" for an empty one.
func segmentsText(body string) string {
	body = strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), " \n\t")
	if body == "" {
		return ""
	}
	n := utf8.RuneCountInString(body)
	chars := thousands(n) + " characters"
	if n == 1 {
		chars = "1 character"
	}
	return sms.Segments(body).String() + " · " + chars
}

// leftOut is "38 without email consent or a working address are left
// out" (for a text message, "without SMS consent or a phone number"), or
// "" when none are or it is not known.
func (h *Handler) leftOut(ctx context.Context, ts []messaging.Target, channel string, count int, ok bool) string {
	if !ok {
		return ""
	}
	all, known := h.everyone(ctx, ts)
	if !known || all <= count {
		return ""
	}
	if channel == messaging.ChannelSMS {
		return thousands(all-count) + " without SMS consent or a phone number are left out"
	}
	return thousands(all-count) + " without email consent or a working address are left out"
}

// countable is in as Count takes it whatever has been written so far: who
// it reaches depends on the channel, the group and the targets only, not on
// a subject or body still to be written.
func countable(in messaging.Input) messaging.Input {
	in.Subject, in.Body, in.FromName, in.ReplyTo = "count", "count", "", ""
	return in
}

// choices are the groups the viewer organises (every active group they
// organise, by name).
func (h *Handler) choices(ctx context.Context) ([]groupChoice, error) {
	ms, err := h.groups.MyGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []groupChoice
	for _, m := range ms {
		if m.Status == "active" && m.Role == "organiser" && !m.Group.Archived() {
			out = append(out, groupChoice{ID: m.Group.ID, Name: m.Group.Name})
		}
	}
	return out, nil
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ts, err := decodeTargets(r.PostForm["target"])
	if err == nil {
		var b *messaging.Broadcast
		if b, err = h.svc.Create(r.Context(), inputFrom(r.PostForm, ts)); err == nil {
			h.afterSave(w, r, b, "Your draft is saved.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) { h.newForm(w, r, code, form) })
}

// afterSave goes where the pressed button asked: the preview, or back to
// the draft.
func (h *Handler) afterSave(w http.ResponseWriter, r *http.Request, b *messaging.Broadcast, msg string) {
	if r.PostForm.Get("next") == "preview" {
		web.Redirect(w, r, "/messages/"+b.ID+"/preview", "")
		return
	}
	web.Redirect(w, r, "/messages/"+b.ID, msg)
}

// inputFrom reads the compose form. The channel is the "channel" field's
// (email when it has none); a text message has no subject, sender name or
// reply-to, so any left in the form from an email draft are dropped.
func inputFrom(f url.Values, ts []messaging.Target) messaging.Input {
	in := messaging.Input{Channel: messaging.ChannelEmail, GroupID: strings.TrimSpace(f.Get("group")),
		Subject: f.Get("subject"), Body: f.Get("body"), FromName: f.Get("from_name"), ReplyTo: strings.TrimSpace(f.Get("reply_to")),
		Targets: ts}
	if c := strings.TrimSpace(f.Get("channel")); c != "" {
		// Passed on as written: the service names "channel" in its error
		// for anything but email or SMS, and for SMS when it cannot send it.
		in.Channel = c
	}
	if in.Channel == messaging.ChannelSMS {
		in.Subject, in.FromName, in.ReplyTo = "", "", ""
	}
	return in
}

// inputOf is a stored broadcast as the service's input.
func inputOf(b *messaging.Broadcast) messaging.Input {
	return messaging.Input{Channel: b.Channel, GroupID: b.GroupID, Subject: b.Subject, Body: b.Body,
		FromName: b.FromName, ReplyTo: b.ReplyTo, Targets: b.Targets}
}

// valuesOf fills the compose form from a stored broadcast.
func valuesOf(b *messaging.Broadcast) url.Values {
	v := url.Values{"group": {b.GroupID}, "channel": {b.Channel}, "subject": {b.Subject}, "body": {b.Body},
		"from_name": {b.FromName}, "reply_to": {b.ReplyTo}}
	for _, t := range b.Targets {
		v.Add("target", encodeTarget(t))
	}
	return v
}

// handleShow is a broadcast's page: the form while it is a draft or
// scheduled, the approval while it waits for one, and its progress once
// it is sending.
func (h *Handler) handleShow(w http.ResponseWriter, r *http.Request) {
	b, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	switch b.Status {
	case messaging.StatusDraft, messaging.StatusScheduled:
		h.editForm(w, r, http.StatusOK, b, web.NewForm(valuesOf(b)))
	default:
		h.progress(w, r, b, nil)
	}
}

// editForm renders the form for a stored broadcast.
func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, status int, b *messaging.Broadcast, form *web.Form) {
	ctx := r.Context()
	viewer := web.ViewerFrom(ctx)
	p := composePage{B: b, Status: chipOf(b.Status), Action: "/messages/" + b.ID, GroupID: b.GroupID, IsAdmin: viewer != nil && viewer.IsAdmin}
	h.channelOf(&p, form, b)
	// The audience is the stored one: the form cannot change it.
	if err := h.count(ctx, inputOf(b), &p); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Audience = h.describe(ctx, b.Targets)
	p.LeftOut = h.leftOut(ctx, b.Targets, b.Channel, p.Count, p.CountOK)
	p.Send = h.sendCard(ctx, b, p.Count, p.CountOK, form)
	title := titleOf(b)
	h.rend.Page(w, r, status, "messages/compose", web.Page{Title: title, Data: p, Form: form})
}

func (h *Handler) handleSave(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	b, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	was := b.Status
	// The targets are the stored ones: the form shows them, it does not
	// change them.
	in := inputFrom(r.PostForm, b.Targets)
	in.GroupID = b.GroupID
	nb, err := h.svc.Update(ctx, b.ID, in)
	if err != nil {
		h.fail(w, r, err, func(code int, form *web.Form) { h.editForm(w, r, code, b, form) })
		return
	}
	msg := "Your draft is saved."
	if was == messaging.StatusScheduled {
		msg = "Your changes are saved. The message is no longer scheduled: schedule it again when it is ready."
	}
	h.afterSave(w, r, nb, msg)
}

// titleOf is how a broadcast is named on its pages: its subject, or for a
// text message (which has none) its first words.
func titleOf(b *messaging.Broadcast) string {
	if b.Subject != "" {
		return b.Subject
	}
	if b.Channel == messaging.ChannelSMS {
		if t := strings.Join(strings.Fields(b.Body), " "); t != "" {
			if r := []rune(t); len(r) > 60 {
				t = string(r[:60]) + "…"
			}
			return "Text message: " + t
		}
		return "A text message"
	}
	return "A message without a subject"
}
