// Package demo builds a deterministic demo network: the same seed always
// gives the same people, with realistic British names, towns and postcodes,
// so that screenshots, benchmarks and bug reports can refer to the same
// data. Later capabilities (groups, events, ballots) add their own demo data
// through Load.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var firstNames = []string{
	"Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
	"Grace", "Freya", "Willow", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Aisha",
	"Fatima", "Zainab", "Priya", "Anjali", "Chloe", "Siobhan", "Niamh", "Eilidh", "Ffion", "Megan",
	"Noah", "Muhammad", "George", "Oliver", "Leo", "Arthur", "Oscar", "Theodore", "Freddie", "Harry",
	"Jack", "Charlie", "Alfie", "Thomas", "Jacob", "Ibrahim", "Yusuf", "Kwame", "Tunde", "Rohan",
	"Arjun", "Dylan", "Rhys", "Callum", "Ciaran", "Declan", "Hamish", "Tomasz", "Kacper", "Mateusz",
}

var lastNames = []string{
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
	"Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
	"Khan", "Ahmed", "Ali", "Hussain", "Begum", "Singh", "Kaur", "Shah", "Okafor", "Mensah",
	"Adeyemi", "Campbell", "Stewart", "MacDonald", "Murray", "O'Brien", "Murphy", "Kelly", "Kowalski", "Nowak",
}

// Person is one generated person of the demo network.
type Person struct {
	GivenName, FamilyName string
	Email                 string
	Phone                 string // national form, as a spreadsheet holds it; "" for some
	Town, Region          string
	Postcode              string
	Lat, Lng              float64
	// Member is true for paying members; Lapsed for former members; the rest
	// are supporters.
	Member, Lapsed bool
	Tags           []string
	// Consent per channel: "granted", "withdrawn" or "" (never asked).
	Consent   map[string]string
	Donations []Donation
	// Groups are indexes into Network.Groups with the person's role there.
	Groups []Membership
}

// Name is the person's full name.
func (p Person) Name() string { return p.GivenName + " " + p.FamilyName }

// Donation is one gift.
type Donation struct {
	AmountPence int64
	DaysAgo     int
	ID          string
}

// Membership places a person in a group.
type Membership struct {
	Group int
	Role  string // organiser, moderator, member
}

// Network is a generated demo network.
type Network struct {
	Seed          uint64
	AdminEmail    string
	AdminPassword string
	People        []Person
	Regions       []string
	Groups        []Group
}

var demoTags = []struct {
	name string
	pct  int
}{
	{"leadership-campaign-2015", 35}, {"petition-nhs", 25}, {"newsletter", 40}, {"canvasser", 8},
	{"phone-banker", 5}, {"trade-unionist", 18}, {"student", 9}, {"tenant", 12},
}

// consentRates: the share of people who said yes to each channel (in this
// order: a map would draw random numbers in a random order).
var consentRates = []struct {
	channel string
	pct     int
}{{"email", 70}, {"sms", 30}, {"phone", 25}, {"post", 15}}

// Generate builds a network of n people from seed. It is a pure function:
// the same arguments give the same network on every machine.
func Generate(seed uint64, n int) Network {
	r := rand.New(rand.NewPCG(seed, 0x6d6f6d656e74756d))
	nw := Network{Seed: seed, AdminEmail: "admin@momentum.example"}
	nw.AdminPassword = password(r)
	nw.Regions, nw.Groups = generateGroups()
	byDistrict := map[string]int{}
	for i, g := range nw.Groups {
		for _, d := range g.Districts {
			byDistrict[d] = i
		}
	}
	seen := map[string]int{}
	for i := 0; i < n; i++ {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		town := Towns[r.IntN(len(Towns))]
		district := town.Districts[r.IntN(len(town.Districts))]
		local := strings.ToLower(first + "." + strings.ReplaceAll(last, "'", ""))
		seen[local]++
		if seen[local] > 1 {
			local = fmt.Sprintf("%s%d", local, seen[local])
		}
		p := Person{
			GivenName:  first,
			FamilyName: last,
			Email:      local + "@example.org",
			Town:       town.Name,
			Region:     town.Region,
			Postcode:   fmt.Sprintf("%s %d%c%c", district, r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26))),
			Lat:        town.Lat + (r.Float64()-0.5)*0.04,
			Lng:        town.Lng + (r.Float64()-0.5)*0.06,
			Consent:    map[string]string{},
		}
		if r.IntN(100) < 60 {
			// Unique per person (a shared number would merge two people).
			p.Phone = fmt.Sprintf("07%03d %06d", 400+i/1000000, i%1000000)
		}
		switch v := r.IntN(100); {
		case v < 55:
			p.Member = true
		case v < 60:
			p.Lapsed = true
		}
		for _, t := range demoTags {
			if r.IntN(100) < t.pct {
				p.Tags = append(p.Tags, t.name)
			}
		}
		for _, c := range consentRates {
			switch v := r.IntN(100); {
			case v < c.pct:
				p.Consent[c.channel] = "granted"
			case v < c.pct+10:
				p.Consent[c.channel] = "withdrawn"
			}
		}
		if r.IntN(100) < 15 {
			for k := 0; k < 1+r.IntN(5); k++ {
				p.Donations = append(p.Donations, Donation{
					AmountPence: int64(300 + r.IntN(4700)),
					DaysAgo:     r.IntN(900),
					ID:          fmt.Sprintf("demo-%d-%d", i, k),
				})
			}
		}
		if g, ok := byDistrict[district]; ok && (p.Member || r.IntN(100) < 15) && r.IntN(100) < 65 {
			p.Groups = append(p.Groups, Membership{Group: g, Role: "member"})
		}
		if p.Member && r.IntN(100) < 8 {
			p.Groups = append(p.Groups, Membership{Group: firstWorking(nw.Groups) + r.IntN(len(WorkingGroups)), Role: "member"})
		}
		nw.People = append(nw.People, p)
	}
	appointOrganisers(r, &nw)
	return nw
}

// appointOrganisers makes two members of each group its organisers and one
// its moderator, as a real network would have.
func appointOrganisers(r *rand.Rand, nw *Network) {
	members := make([][][2]int, len(nw.Groups)) // group -> (person, membership index)
	for i, p := range nw.People {
		for k, m := range p.Groups {
			members[m.Group] = append(members[m.Group], [2]int{i, k})
		}
	}
	for _, ms := range members {
		r.Shuffle(len(ms), func(a, b int) { ms[a], ms[b] = ms[b], ms[a] })
		for k, pm := range ms {
			switch {
			case k < 2:
				nw.People[pm[0]].Groups[pm[1]].Role = "organiser"
			case k == 2:
				nw.People[pm[0]].Groups[pm[1]].Role = "moderator"
			}
		}
	}
}

func firstWorking(gs []Group) int {
	for i, g := range gs {
		if g.Kind == "working" {
			return i
		}
	}
	return 0
}

var words = []string{"rally", "banner", "common", "union", "harbour", "meadow", "lantern", "orchard",
	"compass", "kettle", "ribbon", "thistle", "granite", "saffron", "willow", "beacon"}

// password makes a memorable password: four words and a number.
func password(r *rand.Rand) string {
	var parts []string
	for i := 0; i < 4; i++ {
		parts = append(parts, words[r.IntN(len(words))])
	}
	return fmt.Sprintf("%s-%d", strings.Join(parts, "-"), 10+r.IntN(90))
}
