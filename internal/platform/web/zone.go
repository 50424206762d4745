package web

import (
	"strings"
	"time"
)

// ZoneLabel names a time zone the way people say it beside a time:
// "London time" for Europe/London, "New York time" for America/New_York,
// "UTC" for UTC. Pages and mail use it so that a network outside the UK
// reads its own zone, not London's.
func ZoneLabel(loc *time.Location) string {
	name := loc.String()
	if name == "UTC" || !strings.Contains(name, "/") {
		return name
	}
	return strings.ReplaceAll(name[strings.LastIndex(name, "/")+1:], "_", " ") + " time"
}
