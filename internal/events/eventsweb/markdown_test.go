package eventsweb_test

import (
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
)

// TestDescriptionMarkdown: an event's description is Markdown, rendered
// on its page with anything unsafe taken out.
func TestDescriptionMarkdown(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		day := time.Now().AddDate(0, 0, 2)
		e, err := s.n.App.Events.Create(s.sys, events.Input{GroupID: s.groupA.ID, Title: "Canvass",
			Description: "Bring *banners* and:\n\n- water\n- good shoes\n\nMap: https://example.org/map\n\n<script>alert(1)</script>",
			Place:       events.Place{Name: "Round Chapel"},
			Start:       time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, time.UTC),
			End:         time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		s.run(t, scenario{Name: "Markdown", URL: "/events/" + e.ID, ExpectedStatus: 200,
			ExpectedContent:    []string{"<em>banners</em>", "<li>water</li>", `href="https://example.org/map"`},
			NotExpectedContent: []string{"<script>alert", "*banners*"}})
	})
}
