package messagingapi

import (
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
)

// Message is an OSDI message as Momentum writes it (Action Network's
// shape); Momentum's own fields carry the momentum: prefix. The package doc
// maps each field.
type Message struct {
	Identifiers        []string       `json:"identifiers"`
	OriginSystem       string         `json:"origin_system"`
	CreatedDate        string         `json:"created_date"`
	ModifiedDate       string         `json:"modified_date"`
	Name               string         `json:"name"`
	Subject            string         `json:"subject"`
	Body               string         `json:"body"`
	From               string         `json:"from"`
	ReplyTo            string         `json:"reply_to"`
	Type               string         `json:"type"`
	Targets            []TargetJSON   `json:"targets"`
	TotalTargeted      *int           `json:"total_targeted,omitempty"`
	Status             string         `json:"status"`
	MomentumStatus     string         `json:"momentum:status"`
	ScheduledStartDate string         `json:"scheduled_start_date,omitempty"`
	SentStartDate      string         `json:"sent_start_date,omitempty"`
	SentEndDate        string         `json:"sent_end_date,omitempty"`
	AdministrativeURL  string         `json:"administrative_url"`
	Statistics         *Statistics    `json:"statistics"`
	Links              map[string]any `json:"_links"`
}

// TargetJSON is one of a message's targets: a link to a list, group, event
// or decision, or Momentum's own kinds, a people filter or a tag by name.
type TargetJSON struct {
	Href   string `json:"href,omitempty"`
	Filter string `json:"momentum:filter,omitempty"`
	Tag    string `json:"momentum:tag,omitempty"`
}

// Statistics are a message's honest figures. Opened and clicked are sent
// only when opens and clicks were tracked for it (a network setting, off by
// default): without tracking there is no figure to give, and 0 would lie.
type Statistics struct {
	Sent         int  `json:"sent"`
	Opened       *int `json:"opened,omitempty"`
	Clicked      *int `json:"clicked,omitempty"`
	Unsubscribed int  `json:"unsubscribed"`
	Bounced      int  `json:"bounced"`
	SpamReports  int  `json:"spam_reports"`
	Failed       int  `json:"momentum:failed"`
	Skipped      int  `json:"momentum:skipped"`
	Queued       int  `json:"momentum:queued"`
	Tracked      bool `json:"momentum:tracked"`
}

// OSDI's message statuses for Momentum's. OSDI has draft, calculating,
// scheduled, sending, stopped and sent; a broadcast waiting for an admin's
// approval is not going anywhere yet, so it is a draft there, and paused
// and cancelled ones are stopped. momentum:status says which exactly.
var osdiStatus = map[string]string{
	messaging.StatusDraft:     "draft",
	messaging.StatusApproval:  "draft",
	messaging.StatusScheduled: "scheduled",
	messaging.StatusSending:   "sending",
	messaging.StatusPaused:    "stopped",
	messaging.StatusSent:      "sent",
	messaging.StatusCancelled: "stopped",
}

// utc writes an instant in UTC, RFC 3339; the zero time is "".
func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// message builds the resource. st is nil for a broadcast not yet started
// (its figures are all 0); targeted is the number of people it reaches
// (fixed when sending began, else counted now), or -1 when not counted.
func (h *Handler) message(b *messaging.Broadcast, st *messaging.Stats, targeted int) Message {
	out := Message{Identifiers: []string{"momentum:" + b.ID}, OriginSystem: "Momentum",
		CreatedDate: utc(b.CreatedAt), ModifiedDate: utc(b.UpdatedAt), Name: b.Subject, Subject: b.Subject, Body: b.Body,
		From: b.FromName, ReplyTo: b.ReplyTo, Type: b.Channel, Targets: h.targetsJSON(b.Targets),
		Status: osdiStatus[b.Status], MomentumStatus: b.Status, ScheduledStartDate: utc(b.SendAt),
		SentStartDate: utc(b.StartedAt), SentEndDate: utc(b.FinishedAt),
		AdministrativeURL: h.public + "/messages/" + b.ID,
		Statistics:        &Statistics{Tracked: b.Track},
		Links: map[string]any{
			"self":                 h.link("/messages/" + b.ID),
			"osdi:send_helper":     h.link("/messages/" + b.ID + "/send"),
			"osdi:schedule_helper": h.link("/messages/" + b.ID + "/schedule"),
			"curies":               h.curies,
		}}
	if out.Status == "" {
		out.Status = b.Status
	}
	if b.Status != messaging.StatusScheduled && !(b.Status == messaging.StatusApproval && !b.SendAt.IsZero()) {
		out.ScheduledStartDate = ""
	}
	if b.GroupID != "" {
		out.Links["momentum:group"] = h.link("/groups/" + b.GroupID)
	}
	if targeted >= 0 {
		out.TotalTargeted = &targeted
	}
	if st != nil {
		s := out.Statistics
		s.Sent, s.Unsubscribed, s.Bounced, s.SpamReports = st.Sent, st.Unsubscribed, st.Bounced, st.Complained
		s.Failed, s.Skipped, s.Queued, s.Tracked = st.Failed, st.Skipped, st.Queued, st.Tracked
		if st.Tracked {
			opened, clicked := st.Opened, st.Clicked
			s.Opened, s.Clicked = &opened, &clicked
		}
	}
	return out
}

// targetsJSON writes a broadcast's targets as links where the API has the
// resource, and as Momentum's own kinds where it has not.
func (h *Handler) targetsJSON(ts []messaging.Target) []TargetJSON {
	out := make([]TargetJSON, 0, len(ts))
	for _, t := range ts {
		switch t.Kind {
		case messaging.TargetFilter:
			out = append(out, TargetJSON{Filter: t.Query})
		case messaging.TargetTag:
			out = append(out, TargetJSON{Tag: t.Name})
		default:
			if c, ok := collectionOf[t.Kind]; ok {
				out = append(out, TargetJSON{Href: h.base + "/" + c + "/" + t.ID})
			}
		}
	}
	return out
}
