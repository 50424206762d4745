package events

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/ical"
)

func write(t *testing.T, c *ical.Calendar) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(buf.String(), "\r\n ", "") // unfolded
}

func TestFeeds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hackney := e.group(t, "hackney")
		org := e.person(t, "Olu Organiser", auth.RoleMember)
		e.join(t, hackney, org, "organiser")
		sam := e.person(t, "Sam Supporter", auth.RoleSupporter)

		weekly := e.meeting(hackney, 0)
		weekly.Title, weekly.RRule, weekly.TimeZone = "Weekly canvass, all welcome", "FREQ=WEEKLY;COUNT=6", "Europe/London"
		weekly.Kind = KindPhoneBank
		pub := e.mustCreate(t, org.ctx, weekly)
		private := e.meeting(hackney, 0)
		private.Title, private.Visibility = "Organisers' planning", Group
		grp := e.mustCreate(t, org.ctx, private)

		t.Run("Network", func(t *testing.T) {
			c, err := e.svc.NetworkFeed(e.anyone, "Momentum events")
			if err != nil {
				t.Fatal(err)
			}
			out := write(t, c)
			for _, want := range []string{"X-WR-CALNAME:Momentum events", "UID:" + pub.ID + "@act.example.org",
				"SUMMARY:Weekly canvass\\, all welcome", "RRULE:FREQ=WEEKLY;COUNT=6", "DTSTART;TZID=Europe/London:20260309T190000",
				"TZID:Europe/London", "CATEGORIES:Phone bank", "URL:https://act.example.org/events/" + pub.ID} {
				if !strings.Contains(out, want) {
					t.Errorf("network feed lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, grp.ID) {
				t.Error("the network feed shows a group-only event")
			}
		})
		t.Run("GroupForOutsiders", func(t *testing.T) {
			c, err := e.svc.GroupFeed(sam.ctx, hackney, "Hackney")
			if err != nil {
				t.Fatal(err)
			}
			if out := write(t, c); !strings.Contains(out, pub.ID) || strings.Contains(out, grp.ID) {
				t.Errorf("group feed for an outsider:\n%s", out)
			}
			c, _ = e.svc.GroupFeed(org.ctx, hackney, "Hackney")
			if out := write(t, c); !strings.Contains(out, grp.ID) {
				t.Errorf("group feed for its organiser lacks the group event")
			}
		})
		t.Run("Person", func(t *testing.T) {
			if _, err := e.svc.RSVP(sam.ctx, pub.ID, RSVPInput{Status: Accepted}); err != nil {
				t.Fatal(err)
			}
			tok, err := e.svc.FeedToken(sam.ctx, false)
			if err != nil || len(tok) < 30 {
				t.Fatalf("token %q, %v", tok, err)
			}
			if _, err := e.svc.FeedToken(sam.ctx, false); errs.CodeOf(err) != errs.Conflict {
				t.Fatalf("second token without renewing: %v", err)
			}
			c, err := e.svc.PersonFeed(e.anyone, tok, "My events")
			if err != nil {
				t.Fatal(err)
			}
			if out := write(t, c); !strings.Contains(out, pub.ID) || strings.Contains(out, grp.ID) {
				t.Errorf("person feed:\n%s", out)
			}
			renewed, err := e.svc.FeedToken(sam.ctx, true)
			if err != nil || renewed == tok {
				t.Fatalf("renew: %q %v", renewed, err)
			}
			if _, err := e.svc.PersonFeed(e.anyone, tok, ""); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("the old address still works: %v", err)
			}
			var stored string
			d.QueryRow(e.anyone, `SELECT token_hash FROM event_feed_tokens`).Scan(&stored)
			if stored == renewed || strings.Contains(stored, renewed) {
				t.Error("the token is stored in plain text")
			}
		})
		t.Run("CancelledStaysWithStatus", func(t *testing.T) {
			if err := e.svc.Cancel(org.ctx, pub.ID); err != nil {
				t.Fatal(err)
			}
			c, err := e.svc.EventCalendar(e.anyone, pub.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := write(t, c)
			if !strings.Contains(out, "STATUS:CANCELLED") || !strings.Contains(out, "SEQUENCE:1") {
				t.Errorf("cancelled event's file:\n%s", out)
			}
			_, err = e.svc.EventCalendar(sam.ctx, grp.ID)
			wantCode(t, err, errs.NotFound)
		})
		_ = time.Now
	})
}
