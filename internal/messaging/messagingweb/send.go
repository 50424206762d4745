package messagingweb

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// sendCard is the "send it" part of a draft's page and its preview: the
// count, the test send, send now and schedule.
type sendCard struct {
	ID        string
	Count     int
	CountText string
	CountOK   bool
	// Approval: the network wants an admin to approve this broadcast
	// before it goes (a group's, sent by an organiser).
	Approval bool
	// Zone names the network's time zone beside the schedule field.
	Zone string
	// Scheduled is when a scheduled broadcast goes, in words.
	Scheduled string
	// TestTo is the viewer's own address, where a test goes.
	TestTo string
	// Primary makes "Send now" the page's main button (the preview);
	// on the draft's form, saving is.
	Primary bool
	// Back is where the test send returns: "" the draft, "preview" its
	// preview.
	Back string
	// SMS: the broadcast is a text message. Its test still goes by email
	// (Service.TestSend mails the text), and the button says so.
	SMS  bool
	Form *web.Form
}

func (h *Handler) sendCard(ctx context.Context, b *messaging.Broadcast, count int, ok bool, form *web.Form) sendCard {
	c := sendCard{ID: b.ID, Count: count, CountText: peopleCount(count), CountOK: ok, Zone: web.ZoneLabel(h.zone),
		Approval: h.needsApproval(ctx, b), Form: form}
	if v := web.ViewerFrom(ctx); v != nil {
		c.TestTo = v.Email
	}
	c.SMS = b.Channel == messaging.ChannelSMS
	if b.Status == messaging.StatusScheduled && !b.SendAt.IsZero() {
		c.Scheduled = h.when(b.SendAt)
	}
	if form.Get("send_at") == "" {
		at := b.SendAt
		if at.IsZero() {
			// A suggestion: the next whole hour but one.
			at = time.Now().In(h.zone).Truncate(time.Hour).Add(2 * time.Hour)
		}
		form.Values.Set("send_at", at.In(h.zone).Format("2006-01-02T15:04"))
	}
	return c
}

// needsApproval reports whether sending b waits for an admin: the network
// asks it of group broadcasts, and the viewer is not an admin.
func (h *Handler) needsApproval(ctx context.Context, b *messaging.Broadcast) bool {
	v := web.ViewerFrom(ctx)
	if b.GroupID == "" || v == nil || v.IsAdmin {
		return false
	}
	st, err := h.svc.Settings(ctx)
	return err == nil && st.ApproveGroups
}

// when is a time in the network's zone, in words: "Tue 8 Dec 2026, 18:00
// London time" (issue 16: web.DateTime, the one format).
func (h *Handler) when(t time.Time) string { return web.DateTime(t, h.zone) }

func (h *Handler) handleTest(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	id := r.PathValue("id")
	back := "/messages/" + id
	if r.PostForm.Get("back") == "preview" {
		back += "/preview"
	}
	if err := h.svc.TestSend(ctx, id); err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			// Half-written, or no address of your own: say so where you were.
			web.SetFlash(w, "error", "The test was not sent. "+errs.MessageOf(err)+" "+fieldsText(err))
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	to := "you"
	if v := web.ViewerFrom(ctx); v != nil && v.Email != "" {
		to = v.Email
	}
	web.Redirect(w, r, back, "Test sent to "+to+". It can take a minute to arrive.")
}

// confirmPage asks "Send to 1,204 people now?" before a send, a schedule
// or a cancel: one thing per page, stating the consequence and the count.
type confirmPage struct {
	B         *messaging.Broadcast
	Question  string
	Detail    string
	Action    string // where "yes" posts
	Button    string
	Danger    bool
	Hidden    url.Values
	BackURL   string
	Approval  bool
	CountText string
}

func (h *Handler) handleSend(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	b, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		n, err := h.svc.Count(ctx, countable(inputOf(b)))
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p := confirmPage{B: b, Question: "Send to " + peopleCount(n) + " now?", Action: "/messages/" + b.ID + "/send",
			Button: "Yes, send it now", Danger: true, BackURL: "/messages/" + b.ID, Approval: h.needsApproval(ctx, b), CountText: peopleCount(n),
			Detail: "Once it starts, people get it within minutes. You can pause or cancel while it is sending, but not take back what has gone."}
		if p.Approval {
			p.Question = "Ask an admin to send this to " + peopleCount(n) + "?"
			p.Button = "Yes, ask for approval"
			p.Danger = false
			p.Detail = "An admin of the network approves group messages before they go. You will see here when they do."
		}
		h.rend.Page(w, r, http.StatusOK, "messages/confirm", web.Page{Title: p.Question, Data: p})
		return
	}
	nb, err := h.svc.Send(ctx, b.ID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/messages/"+b.ID, statusFlash(nb, h))
}

// statusFlash says what happened after a send or schedule.
func statusFlash(b *messaging.Broadcast, h *Handler) string {
	switch b.Status {
	case messaging.StatusApproval:
		return "Sent for approval: an admin checks it before it goes."
	case messaging.StatusScheduled:
		return "Scheduled for " + h.when(b.SendAt) + "."
	case messaging.StatusSending:
		return "Sending has started."
	}
	return "Done."
}

func (h *Handler) handleSchedule(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	b, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	at, err := h.readSendAt(r.PostForm.Get("send_at"))
	if err != nil {
		h.scheduleFailed(w, r, b, err)
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		n, err := h.svc.Count(ctx, countable(inputOf(b)))
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p := confirmPage{B: b, Question: "Send to " + peopleCount(n) + " on " + h.when(at) + "?",
			Action: "/messages/" + b.ID + "/schedule", Button: "Yes, schedule it", BackURL: "/messages/" + b.ID,
			Hidden: url.Values{"send_at": {r.PostForm.Get("send_at")}}, Approval: h.needsApproval(ctx, b), CountText: peopleCount(n),
			Detail: "It goes at that time to everyone who can be reached then. Until it starts you can change it or cancel it."}
		if p.Approval {
			p.Detail = "An admin of the network approves group messages first; it goes at that time once approved."
		}
		h.rend.Page(w, r, http.StatusOK, "messages/confirm", web.Page{Title: p.Question, Data: p})
		return
	}
	nb, err := h.svc.Schedule(ctx, b.ID, at)
	if err != nil {
		h.scheduleFailed(w, r, b, err)
		return
	}
	web.Redirect(w, r, "/messages/"+b.ID, statusFlash(nb, h))
}

// scheduleFailed shows the draft again with the schedule field's error.
func (h *Handler) scheduleFailed(w http.ResponseWriter, r *http.Request, b *messaging.Broadcast, err error) {
	if errs.CodeOf(err) != errs.Invalid || b.Status != messaging.StatusDraft && b.Status != messaging.StatusScheduled {
		h.rend.Error(w, r, err)
		return
	}
	form := web.NewForm(valuesOf(b))
	form.Values.Set("send_at", r.PostForm.Get("send_at"))
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		fields = map[string]string{"send_at": errs.MessageOf(err)}
	}
	for k, v := range fields {
		form.Errors[k] = v
	}
	h.editForm(w, r, http.StatusUnprocessableEntity, b, form)
}

// readSendAt reads a datetime-local value ("2026-12-08T18:00") as a
// wall-clock time in the network's zone.
func (h *Handler) readSendAt(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, errs.Fields(map[string]string{"send_at": "Say when to send it."})
	}
	var at time.Time
	var err error
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if at, err = time.ParseInLocation(layout, v, h.zone); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, errs.Fields(map[string]string{"send_at": "Enter a date and time like 2026-12-08 18:00."})
	}
	bad := map[string]string{}
	timebound.Check(bad, "send_at", at)
	return at, errs.Fields(bad)
}

func (h *Handler) handleApprove(w http.ResponseWriter, r *http.Request) {
	b, err := h.svc.Approve(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	msg := "Approved: sending has started."
	if b.Status == messaging.StatusScheduled {
		msg = "Approved: it goes on " + h.when(b.SendAt) + "."
	}
	web.Redirect(w, r, "/messages/"+b.ID, msg)
}

func (h *Handler) handleReject(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	b, err := h.svc.Reject(ctx, r.PathValue("id"), r.PostForm.Get("reason"))
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			if cur, gerr := h.svc.Get(ctx, r.PathValue("id")); gerr == nil {
				h.progress(w, r, cur, web.FormWithError(r.PostForm, err))
				return
			}
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/messages/"+b.ID, "Sent back to its writers as a draft.")
}

// control is a handler for a service control that needs no answer from
// the organiser (pause, resume): it acts and goes back to the message
// with msg.
func (h *Handler) control(act func(context.Context, string) (*messaging.Broadcast, error), msg string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := act(r.Context(), r.PathValue("id"))
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		web.Redirect(w, r, "/messages/"+b.ID, msg)
	}
}

func (h *Handler) handleCancel(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	if r.PostForm.Get("confirm") != "yes" {
		b, err := h.svc.Get(ctx, r.PathValue("id"))
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		st, err := h.svc.Stats(ctx, b.ID)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p := confirmPage{B: b, Action: "/messages/" + b.ID + "/cancel", Button: "Yes, cancel it", Danger: true,
			BackURL: "/messages/" + b.ID}
		if b.Status == messaging.StatusScheduled || st.Recipients == 0 {
			p.Question = "Cancel this message?"
			p.Detail = "Nobody gets it. This cannot be undone: to send it later, write it again."
		} else {
			p.Question = "Stop sending to the " + peopleCount(st.Queued) + " still waiting?"
			p.Detail = thousands(st.Sent) + " already have it; the rest will not get it. This cannot be undone."
		}
		h.rend.Page(w, r, http.StatusOK, "messages/confirm", web.Page{Title: p.Question, Data: p})
		return
	}
	b, err := h.svc.Cancel(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/messages/"+b.ID, "Cancelled. Nobody else gets it.")
}

// handleStream is the broadcast's progress as Server-Sent Events: the page
// reloads its figures on each (app.js, data-live-reload).
func (h *Handler) handleStream(w http.ResponseWriter, r *http.Request) {
	b, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	live.ServeSSE(w, r, h.live, messaging.Topic(b.ID))
}
