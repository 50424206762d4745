package app_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// onePixelPNG is every tile of the test's tile server.
var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// TestBrowserEventsMap, on a phone: with a tile server configured, the
// search results show the map once JavaScript runs — Leaflet loaded under
// the Content-Security-Policy, tiles fetched from that server, one marker
// per event — and a keyboard user can reach a marker and follow its popup's
// link. The list is still below it.
func TestBrowserEventsMap(t *testing.T) {
	var tileHits atomic.Int64
	tiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tileHits.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(onePixelPNG)
	}))
	t.Cleanup(tiles.Close)
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true})
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) {
			c.MapTiles = tiles.URL + "/{z}/{x}/{y}.png"
		}})
		a := n.App
		sys := auth.WithSystem(context.Background())
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		for code, p := range map[string]geo.Point{"E8": {Lat: 51.545, Lng: -0.056}, "E5": {Lat: 51.558, Lng: -0.052}} {
			if err := geo.SetDistrict(sys, a.DB.Q(), code, p, "outcode file"); err != nil {
				t.Fatal(err)
			}
		}
		day := time.Now().AddDate(0, 0, 3)
		var ids []string
		for _, pc := range []string{"E5 0LY", "E8 1DY"} {
			ev, err := a.Events.Create(sys, events.Input{GroupID: g.ID, Title: "Meeting in " + pc, Place: events.Place{Name: "Hall", Postcode: pc},
				Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
				End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, ev.ID)
		}

		wantStatus(t, "search", tab.Navigate(n.URL+"/events?postcode=E8+3QQ&within_km=5"), http.StatusOK)
		waitFor(t, tab, "the map to be drawn", `document.querySelectorAll("#events-map path.events-map__marker").length === 2`)
		if browsertest.Eval[bool](tab, `document.getElementById("events-map").hidden`) {
			t.Error("the map is still hidden")
		}
		if h := browsertest.Eval[float64](tab, `document.getElementById("events-map").getBoundingClientRect().height`); h < 300 || h > 340 {
			t.Errorf("map height %.0fpx, want 20rem", h)
		}
		waitFor(t, tab, "tiles to load", `[...document.querySelectorAll("#events-map img.leaflet-tile")].some(i => i.complete && i.naturalWidth > 0)`)
		if tileHits.Load() == 0 {
			t.Error("no tile was fetched from the tile server")
		}
		wantContains(t, tab, "main section", "Meeting in E5 0LY") // the list is still there

		// Keyboard: a marker takes focus, Enter opens its popup and puts the
		// focus on the event's link.
		focused := browsertest.Eval[string](tab, `(() => {
			const m = document.querySelector("#events-map path.events-map__marker");
			m.focus();
			if (document.activeElement !== m) return "marker not focusable";
			m.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
			return document.activeElement.getAttribute("href") || document.activeElement.tagName;
		})()`)
		if focused != "/events/"+ids[0] && focused != "/events/"+ids[1] {
			t.Errorf("after Enter on a marker the focus is on %q, want an event's link", focused)
		}
		wantFits(t, tab)
		wantCleanConsole(t, tab)
		tab.Screenshot("events-map.png")
	})
}
