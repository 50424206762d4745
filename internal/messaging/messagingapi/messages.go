package messagingapi

import (
	"context"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// maxListed is at most how many broadcasts the collection reads to count
// its total: a network sends hundreds of broadcasts a year, not millions.
const maxListed = 10_000

// handleMessagesList serves GET /api/v1/messages: a page of the broadcasts
// the caller may see (osdi:messages), newest first; group_id= (or a group
// token) narrows it to a group's, status= to one momentum:status.
func (h *Handler) handleMessagesList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := hal.PageFrom(r.URL.Query())
	// filter= (or $filter=) on created_date and modified_date, as Action
	// Network's messages collection: read in full, never ignored (issue 14).
	fs, err := hal.FilterParam(r.URL.Query())
	if err != nil {
		fail(w, r, err)
		return
	}
	filter, err := hal.ParseAlternatives(fs, "created_date", "modified_date")
	if err != nil {
		fail(w, r, err)
		return
	}
	all, err := h.listAll(ctx, messaging.ListFilter{GroupID: groupOf(r), Status: r.URL.Query().Get("status")})
	if err != nil {
		fail(w, r, err)
		return
	}
	if len(filter) > 0 {
		kept := all[:0]
		for _, b := range all {
			ok, err := filter.MatchTimes(map[string]time.Time{"created_date": b.CreatedAt, "modified_date": b.UpdatedAt})
			if err != nil {
				fail(w, r, err)
				return
			}
			if ok {
				kept = append(kept, b)
			}
		}
		all = kept
	}
	from := min(p.Offset(), len(all))
	page := all[from:min(from+p.Size, len(all))]
	items := make([]Message, 0, len(page))
	for i := range page {
		m, err := h.messageOf(ctx, &page[i], false)
		if err != nil {
			fail(w, r, err)
			return
		}
		items = append(items, m)
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:messages", p, len(all), items))
}

// listAll reads every broadcast f selects (at most maxListed), following
// the service's cursor, so the collection can give its total and number
// its pages as OSDI does.
func (h *Handler) listAll(ctx context.Context, f messaging.ListFilter) ([]messaging.Broadcast, error) {
	var out []messaging.Broadcast
	f.Limit = hal.MaxPageSize
	for len(out) < maxListed {
		bs, next, err := h.svc.List(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
		if next == "" || len(bs) == 0 {
			break
		}
		f.After = next
	}
	return out, nil
}

// messageOf builds the resource of b with its figures: the statistics once
// sending began (before, every figure is 0), and total_targeted, fixed
// when sending began; before that it is counted now when count is set (one
// message: the segment is resolved, which a page of them should not do
// for each).
func (h *Handler) messageOf(ctx context.Context, b *messaging.Broadcast, count bool) (Message, error) {
	var st *messaging.Stats
	targeted := -1
	if !b.StartedAt.IsZero() {
		s, err := h.svc.Stats(ctx, b.ID)
		if err != nil {
			return Message{}, err
		}
		st, targeted = s, b.Recipients
	} else if count {
		n, err := h.svc.Count(ctx, messaging.Input{Channel: b.Channel, GroupID: b.GroupID, Subject: b.Subject,
			Body: b.Body, FromName: b.FromName, ReplyTo: b.ReplyTo, Targets: b.Targets})
		switch {
		case err == nil:
			targeted = n
		case errs.CodeOf(err) == "" || errs.CodeOf(err) == errs.Internal:
			return Message{}, err
		}
		// Otherwise a draft that cannot be counted now (its list was
		// deleted, it is half written) is still shown, without the count.
	}
	return h.message(b, st, targeted), nil
}

// handleMessageGet serves GET /api/v1/messages/{id}.
func (h *Handler) handleMessageGet(w http.ResponseWriter, r *http.Request) {
	h.writeMessage(w, r, r.PathValue("id"), http.StatusOK)
}

// handleMessageCreate serves POST /api/v1/messages: a new draft in
// group_id= (a group token's own group when none is given), or from the
// network (admins and network tokens).
func (h *Handler) handleMessageCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var mi MessageInput
	if err := decodeJSON(w, r, &mi); err != nil {
		fail(w, r, err)
		return
	}
	in, err := h.input(ctx, &mi, nil, groupOf(r))
	if err != nil {
		fail(w, r, err)
		return
	}
	b, err := h.svc.Create(ctx, in)
	if err != nil {
		fail(w, r, renameFields(err))
		return
	}
	w.Header().Set("Location", h.base+"/messages/"+b.ID)
	h.writeMessage(w, r, b.ID, http.StatusCreated)
}

// handleMessageUpdate serves PUT /api/v1/messages/{id}: the fields sent
// replace the stored ones, the rest stay. Only a draft (or a scheduled
// message, which goes back to draft) can be changed; a message never moves
// to another group.
func (h *Handler) handleMessageUpdate(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	var mi MessageInput
	if err := decodeJSON(w, r, &mi); err != nil {
		fail(w, r, err)
		return
	}
	// Update replaces every field, so the stored broadcast is the base the
	// request's fields are laid on; reading it first also makes one the
	// caller may not see a 404.
	base, err := h.svc.Get(ctx, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	in, err := h.input(ctx, &mi, base, base.GroupID)
	if err != nil {
		fail(w, r, err)
		return
	}
	if _, err := h.svc.Update(ctx, id, in); err != nil {
		fail(w, r, renameFields(err))
		return
	}
	h.writeMessage(w, r, id, http.StatusOK)
}

// handleSend serves POST /api/v1/messages/{id}/send (the send helper): the
// draft goes now, or waits for an admin's approval when the network asks
// for it for group messages. The answer is the message.
func (h *Handler) handleSend(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, h.svc.Send)
}

// handleStop serves DELETE /api/v1/messages/{id}/send: a message being
// sent (or scheduled) is stopped for good; the rest are not sent.
func (h *Handler) handleStop(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, h.svc.Cancel)
}

// handleSchedule serves POST /api/v1/messages/{id}/schedule (the schedule
// helper): {"scheduled_start_date": "2026-12-08T09:00:00Z"}.
func (h *Handler) handleSchedule(w http.ResponseWriter, r *http.Request) {
	var si ScheduleInput
	if err := decodeJSON(w, r, &si); err != nil {
		fail(w, r, err)
		return
	}
	at, err := si.at()
	if err != nil {
		fail(w, r, err)
		return
	}
	h.act(w, r, func(ctx context.Context, id string) (*messaging.Broadcast, error) {
		return h.svc.Schedule(ctx, id, at)
	})
}

// handleUnschedule serves DELETE /api/v1/messages/{id}/schedule: a
// scheduled message goes back to being a draft, unchanged (the service's
// Update does that to a scheduled broadcast).
func (h *Handler) handleUnschedule(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, func(ctx context.Context, id string) (*messaging.Broadcast, error) {
		b, err := h.svc.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if b.Status != messaging.StatusScheduled {
			return nil, errs.E(errs.Conflict, "This message is not scheduled.")
		}
		return h.svc.Update(ctx, id, messaging.Input{Channel: b.Channel, GroupID: b.GroupID, Subject: b.Subject,
			Body: b.Body, FromName: b.FromName, ReplyTo: b.ReplyTo, Targets: b.Targets})
	})
}

// act runs one of the service's actions on the message of the path and
// writes the message as it is after it.
func (h *Handler) act(w http.ResponseWriter, r *http.Request, do func(context.Context, string) (*messaging.Broadcast, error)) {
	id := r.PathValue("id")
	if _, err := do(r.Context(), id); err != nil {
		fail(w, r, renameFields(err))
		return
	}
	h.writeMessage(w, r, id, http.StatusOK)
}

// writeMessage reads the message back, with its figures, and writes it.
func (h *Handler) writeMessage(w http.ResponseWriter, r *http.Request, id string, status int) {
	b, err := h.svc.Get(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	m, err := h.messageOf(r.Context(), b, true)
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, status, m)
}
