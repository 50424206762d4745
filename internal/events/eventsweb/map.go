package eventsweb

import "github.com/momentum-movement/momentum/internal/events"

// resultsMap is what the list page gives app.js to draw: the tile server and
// the results' points, written as a JSON data island.
type resultsMap struct {
	Tiles, Attribution string
	Points             []mapPoint
}

// mapPoint is one marker. Its fields are the JSON app.js reads.
type mapPoint struct {
	Title string  `json:"title"`
	URL   string  `json:"url"`
	Lat   float64 `json:"lat"`
	Lng   float64 `json:"lng"`
	When  string  `json:"when"`
}

// resultsMap gives the map of res, or nil when no map is configured (an
// empty Deps.MapTiles is the documented "no map", not a missing
// collaborator) or no result has a place on it (online events have none).
func (h *Handler) resultsMap(res []events.Event) *resultsMap {
	if h.tiles == "" {
		return nil
	}
	m := &resultsMap{Tiles: h.tiles, Attribution: h.attrib}
	for i := range res {
		e := &res[i]
		if e.Place.Location == nil || !e.Place.Location.Valid() {
			continue
		}
		m.Points = append(m.Points, mapPoint{Title: e.Title, URL: "/events/" + e.ID,
			Lat: e.Place.Location.Lat, Lng: e.Place.Location.Lng, When: when(e)})
	}
	if len(m.Points) == 0 {
		return nil
	}
	return m
}
