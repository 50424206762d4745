package messagingweb

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// listPage is the broadcasts the viewer may see: those waiting for them
// first (their drafts, and for admins those waiting for approval), then
// the rest, newest first.
type listPage struct {
	Waiting []row
	Others  []row
	NextURL string
	IsAdmin bool
	// Choices are the groups the viewer organises, to start a message to
	// one of them.
	Choices []groupChoice
	GroupID string
}

// row is one broadcast in the list, with its figures in words.
type row struct {
	B        messaging.Broadcast
	Title    string
	Status   chip
	When     string
	Sent     string // "1,180 of 1,204 sent"
	Problems string // "12 bounced · 3 unsubscribed"
	Opened   string // only where tracked
	Action   string // the next thing to do with it, e.g. "Finish writing"
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := web.ViewerFrom(ctx)
	if v == nil {
		h.rend.Error(w, r, errs.E(errs.Unauthorized, ""))
		return
	}
	q := r.URL.Query()
	f := messaging.ListFilter{GroupID: strings.TrimSpace(q.Get("group")), After: q.Get("after"), Limit: 50}
	list, next, err := h.svc.List(ctx, f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	choices, err := h.choices(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := listPage{IsAdmin: v.IsAdmin, Choices: choices, GroupID: f.GroupID}
	if next != "" {
		q := url.Values{"after": {next}}
		if f.GroupID != "" {
			q.Set("group", f.GroupID)
		}
		p.NextURL = "/messages?" + q.Encode()
	}
	for i := range list {
		b := list[i]
		rw := row{B: b, Title: b.Subject, Status: chipOf(b.Status)}
		if b.Channel == messaging.ChannelSMS {
			rw.Title = titleOf(&b)
		}
		if rw.Title == "" {
			rw.Title = "(no subject yet)"
		}
		waiting := false
		switch b.Status {
		case messaging.StatusDraft:
			rw.When, rw.Action = "Last changed "+h.when(b.UpdatedAt), "Finish writing"
			waiting = b.CreatedBy == v.UserID || v.IsAdmin && b.GroupID == ""
		case messaging.StatusApproval:
			rw.When = "Asked " + h.when(b.UpdatedAt)
			if v.IsAdmin {
				rw.Action, waiting = "Check and approve", true
			}
		case messaging.StatusScheduled:
			rw.When = "Goes " + h.when(b.SendAt)
		default:
			if err := h.rowFigures(r, &rw); err != nil {
				h.rend.Error(w, r, err)
				return
			}
		}
		if waiting {
			p.Waiting = append(p.Waiting, rw)
		} else {
			p.Others = append(p.Others, rw)
		}
	}
	h.rend.Page(w, r, http.StatusOK, "messages/list", web.Page{Title: "Messages", Data: p})
}

// rowFigures fills a sending or sent broadcast's figures.
func (h *Handler) rowFigures(r *http.Request, rw *row) error {
	b := rw.B
	st, err := h.svc.Stats(r.Context(), b.ID)
	if err != nil {
		return err
	}
	switch {
	case !b.FinishedAt.IsZero():
		rw.When = "Finished " + h.when(b.FinishedAt)
	case !b.StartedAt.IsZero():
		rw.When = "Started " + h.when(b.StartedAt)
	}
	rw.Sent = thousands(st.Sent) + " of " + thousands(st.Recipients) + " sent"
	var probs []string
	if st.Bounced > 0 {
		probs = append(probs, thousands(st.Bounced)+" bounced")
	}
	if st.Failed > 0 {
		probs = append(probs, thousands(st.Failed)+" refused")
	}
	if st.Unsubscribed > 0 {
		probs = append(probs, thousands(st.Unsubscribed)+" unsubscribed")
	}
	rw.Problems = strings.Join(probs, " · ")
	if st.Tracked {
		rw.Opened = share(st.Opened, st.Sent) + " opened"
	}
	return nil
}
