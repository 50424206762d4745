package messagingweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// progressPage is a broadcast once it has left the draft: waiting for
// approval, sending (with its live progress), paused, sent or cancelled.
type progressPage struct {
	B        *messaging.Broadcast
	Audience audience
	Status   chip
	Figures  figures
	// Live: the figures still change, so the page follows them.
	Live    bool
	IsAdmin bool
	When    string // scheduled, started or finished, in words
	Title   string // the subject, or a text message's first words
}

// figures are a broadcast's honest figures, formatted.
type figures struct {
	Recipients, Done, Sent, Failed, Bounced, Complained, Skipped, Unsubscribed, Queued string
	// Percent is how far it has got, 0–100: every recipient tried.
	Percent int
	Tracked bool
	Opened  string // "412 (34%)", only when Tracked
	Clicked string
	Zero    bool // no recipients yet
}

func (h *Handler) progress(w http.ResponseWriter, r *http.Request, b *messaging.Broadcast, form *web.Form) {
	ctx := r.Context()
	st, err := h.svc.Stats(ctx, b.ID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	v := web.ViewerFrom(ctx)
	p := progressPage{B: b, Audience: h.describe(ctx, b.Targets), Status: chipOf(b.Status), Figures: figuresOf(st),
		Live: b.Status == messaging.StatusSending, IsAdmin: v != nil && v.IsAdmin}
	switch {
	case !b.FinishedAt.IsZero():
		p.When = "Finished " + h.when(b.FinishedAt)
	case !b.StartedAt.IsZero():
		p.When = "Started " + h.when(b.StartedAt)
	case !b.SendAt.IsZero():
		p.When = "To go " + h.when(b.SendAt)
	}
	status := http.StatusOK
	if form != nil && form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	p.Title = titleOf(b)
	h.rend.Page(w, r, status, "messages/progress", web.Page{Title: p.Title, Data: p, Form: form})
}

func figuresOf(st *messaging.Stats) figures {
	done := st.Recipients - st.Queued
	f := figures{Recipients: thousands(st.Recipients), Done: thousands(done), Sent: thousands(st.Sent),
		Failed: thousands(st.Failed), Bounced: thousands(st.Bounced), Complained: thousands(st.Complained),
		Skipped: thousands(st.Skipped), Unsubscribed: thousands(st.Unsubscribed), Queued: thousands(st.Queued),
		Tracked: st.Tracked, Zero: st.Recipients == 0}
	if st.Recipients > 0 {
		f.Percent = done * 100 / st.Recipients
	}
	if st.Tracked {
		f.Opened, f.Clicked = share(st.Opened, st.Sent), share(st.Clicked, st.Sent)
	}
	return f
}

// share is "412 (34%)" of a whole, rounded (issue 16: web.Percent).
func share(n, of int) string {
	if of == 0 {
		return thousands(n)
	}
	return thousands(n) + " (" + web.Percent(n, of) + ")"
}

// chip is a status as a label and a class.
type chip struct{ Label, Class string }

func chipOf(status string) chip {
	switch status {
	case messaging.StatusDraft:
		return chip{"Draft", "chip--draft"}
	case messaging.StatusApproval:
		return chip{"Waiting for approval", "chip--waiting"}
	case messaging.StatusScheduled:
		return chip{"Scheduled", "chip--scheduled"}
	case messaging.StatusSending:
		return chip{"Sending", "chip--sending"}
	case messaging.StatusPaused:
		return chip{"Paused", "chip--waiting"}
	case messaging.StatusSent:
		return chip{"Sent", "chip--done"}
	case messaging.StatusCancelled:
		return chip{"Cancelled", "chip--stopped"}
	}
	return chip{status, "chip--draft"}
}
