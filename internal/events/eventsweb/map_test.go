package eventsweb_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// TestResultsMap: the map is an addition to the list, never a replacement.
// Without a tile server the page is the list alone; with one, the results
// page carries the hidden map element, Leaflet, the points as a data island
// no title can break out of, and a CSP that lets tiles load.
func TestResultsMap(t *testing.T) {
	const tiles = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
	const evil = `</script><script>alert(1)</script>`
	search := "/events?postcode=E8+1DY&within_km=5"
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		t.Run("NoTileServer", func(t *testing.T) {
			s := newSite(t, dbURL)
			s.event(t, "Hackney branch meeting", events.Public, 0)
			res := apptest.Get(t, s.clients["anonymous"], s.n.URL+search)
			if res.Status != 200 || !strings.Contains(res.Body, "Hackney branch meeting") {
				t.Fatalf("status %d; the list should show the event\n%.3000s", res.Status, res.Body)
			}
			for _, bad := range []string{"events-map", "leaflet"} {
				if strings.Contains(res.Body, bad) {
					t.Errorf("without MOMENTUM_MAP_TILES the page contains %q", bad)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
				t.Errorf("CSP = %q, want img-src 'self' data: alone", csp)
			}
		})

		t.Run("WithTileServer", func(t *testing.T) {
			s := newSiteWith(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) {
				c.MapTiles = tiles
				c.MapAttribution = "© Tile Makers & co"
			}})
			near := s.event(t, "Hackney branch meeting", events.Public, 0)
			bad := s.event(t, evil, events.Public, 0)
			c := s.clients["anonymous"]

			res := apptest.Get(t, c, s.n.URL+search)
			if res.Status != 200 {
				t.Fatalf("status %d\n%.3000s", res.Status, res.Body)
			}
			for _, want := range []string{
				`<div id="events-map" class="events-map" data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png" data-attribution="© Tile Makers &amp; co" hidden></div>`,
				`<script src="/static/leaflet-1.9.4.`, `<link rel="stylesheet" href="/static/leaflet-1.9.4.`,
				`href="/events/` + near.ID + `"`, // the list is still there
			} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("page lacks %s\n%.4000s", want, res.Body)
				}
			}
			// Leaflet runs before app.js: both are deferred, so order is document order.
			if strings.Index(res.Body, "/static/leaflet-1.9.4.") > strings.Index(res.Body, "/static/app.") {
				t.Error("leaflet's script comes after app.js")
			}
			if strings.Contains(res.Body, "<script>alert(1)") || strings.Count(res.Body, "</script>") != strings.Count(res.Body, "<script") {
				t.Errorf("the title broke out of the data island\n%s", res.Body)
			}
			island := regexp.MustCompile(`(?s)<script type="application/json" id="events-map-points">(.*?)</script>`).FindStringSubmatch(res.Body)
			if island == nil {
				t.Fatalf("no data island\n%.4000s", res.Body)
			}
			var points []struct {
				Title, URL, When string
				Lat, Lng         float64
			}
			if err := json.Unmarshal([]byte(island[1]), &points); err != nil {
				t.Fatalf("data island is not JSON: %v\n%s", err, island[1])
			}
			got := map[string]string{} // URL -> title; on PostgreSQL the first subtest's event is found too
			for _, p := range points {
				got[p.URL] = p.Title
				if p.Lat < 51 || p.Lat > 52 || p.Lng < -0.2 || p.Lng > 0.1 || !strings.Contains(p.When, "19:00–21:00") {
					t.Errorf("point %+v: want it in Hackney, 19:00–21:00", p)
				}
			}
			if got["/events/"+near.ID] != "Hackney branch meeting" || got["/events/"+bad.ID] != evil {
				t.Errorf("points = %+v, want both events with their URLs", points)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://*.tile.example.org;") ||
				strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self';") {
				t.Errorf("CSP = %q, want the tile origin in img-src only", csp)
			}

			// No results, no map; other pages never load Leaflet. (/events
			// with no postcode shows what is coming up, map and all: issue
			// 16, TestEventsMapOnUpcoming.)
			for _, u := range []string{"/events?postcode=E8+1DY&within_km=5&kind=rally", "/events/" + near.ID, "/"} {
				res := apptest.Get(t, c, s.n.URL+u)
				if strings.Contains(res.Body, "leaflet") || strings.Contains(res.Body, "events-map") {
					t.Errorf("%s loads the map (status %d)", u, res.Status)
				}
			}
		})
	})
}
