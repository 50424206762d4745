package eventsweb

// issue 13: an event's discussion panel, from talk.

import (
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
	"github.com/momentum-movement/momentum/internal/talk/talkweb"
)

// Discussions is the discussion attached to an event (talk.Service).
type Discussions = talkweb.Summaries

// discussion is e's panel (nil when it cannot be had), its times in the
// event's zone.
func (h *Handler) discussion(r *http.Request, e *events.Event) *talkweb.Panel {
	zone, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		zone = time.UTC
	}
	return talkweb.NewPanel(r, h.talk, talk.SubjectEvent, e.ID, "/events/"+e.ID,
		func(t time.Time) string { return web.DateTime(t, zone) }) // issue 16
}
