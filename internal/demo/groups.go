package demo

import (
	"fmt"
	"sort"
)

// Group is a generated group: a local group covering postcode districts,
// or a working group across the network.
type Group struct {
	Name        string
	Kind        string // local, working
	Region      string // local groups only
	Districts   []string
	Lat, Lng    float64
	JoinPolicy  string // open, request
	Description string
}

// WorkingGroups are the network-wide clusters of shared interest.
var WorkingGroups = []string{
	"Housing and tenants", "Climate and environment", "Trade unions", "Disability equality",
	"Migrant solidarity", "Youth and students", "Women's network", "LGBT+ network",
	"Black, Asian and minority ethnic network", "Political education", "Digital and tech",
	"NHS and care",
}

// LocalGroups is how many local groups the demo network has.
const LocalGroups = 150

// generateGroups makes the twelve regions and 150 local groups (a town with
// many districts gets one group per district, small towns one group), then
// the working groups. It is deterministic and independent of the seed: the
// map of a network does not change with its people.
func generateGroups() ([]string, []Group) {
	regionSet := map[string]bool{}
	var candidates []Group
	for _, t := range Towns {
		regionSet[t.Region] = true
		if len(t.Districts) >= 3 {
			for _, d := range t.Districts {
				candidates = append(candidates, Group{Name: fmt.Sprintf("%s %s", t.Name, d), Region: t.Region,
					Districts: []string{d}, Lat: t.Lat, Lng: t.Lng})
			}
			continue
		}
		candidates = append(candidates, Group{Name: t.Name, Region: t.Region, Districts: t.Districts, Lat: t.Lat, Lng: t.Lng})
	}
	// Merge neighbouring district groups of the same town until 150 remain.
	for len(candidates) > LocalGroups {
		merged := false
		for i := 0; i+1 < len(candidates) && len(candidates) > LocalGroups; i++ {
			a, b := candidates[i], candidates[i+1]
			if len(a.Districts) == 1 && len(b.Districts) == 1 && townOf(a.Name) == townOf(b.Name) && townOf(a.Name) != a.Name {
				a.Districts = append(a.Districts, b.Districts...)
				a.Name = fmt.Sprintf("%s %s", townOf(a.Name), joinDistricts(a.Districts))
				candidates[i] = a
				candidates = append(candidates[:i+1], candidates[i+2:]...)
				merged = true
			}
		}
		if !merged {
			candidates = candidates[:LocalGroups]
		}
	}
	var groups []Group
	for i, c := range candidates {
		c.Kind = "local"
		c.JoinPolicy = "open"
		if i%10 == 3 {
			c.JoinPolicy = "request"
		}
		c.Name += " Momentum"
		c.Description = fmt.Sprintf("The local group for %s: meetings, canvassing and campaigns where we live.", joinDistricts(c.Districts))
		groups = append(groups, c)
	}
	for _, w := range WorkingGroups {
		groups = append(groups, Group{Name: w, Kind: "working", JoinPolicy: "open",
			Description: "A network-wide working group: " + w + "."})
	}
	var regions []string
	for r := range regionSet {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	return regions, groups
}

func townOf(name string) string {
	for _, t := range Towns {
		if len(name) >= len(t.Name) && name[:len(t.Name)] == t.Name {
			return t.Name
		}
	}
	return name
}

func joinDistricts(ds []string) string {
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += ", "
		}
		s += d
	}
	return s
}
