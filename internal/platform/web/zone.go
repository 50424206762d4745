package web

import (
	"strings"
	"time"
)

// ZoneLabel names a time zone the way people say it beside a time:
// "London time" for Europe/London, "New York time" for America/New_York,
// "Buenos Aires time" for America/Argentina/Buenos_Aires, "UTC" for UTC
// (and for nil). Pages and mail use it so that a network outside the UK
// reads its own zone, not London's. A zone named without a city (Etc/GMT+5,
// EST) is written as its name.
func ZoneLabel(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	name := loc.String()
	if name == "UTC" || !strings.Contains(name, "/") {
		return name
	}
	if rest, ok := strings.CutPrefix(name, "Etc/"); ok {
		return rest
	}
	return strings.ReplaceAll(name[strings.LastIndex(name, "/")+1:], "_", " ") + " time"
}
