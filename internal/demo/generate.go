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

// Town is a UK town with the postcode districts the demo draws from.
type Town struct {
	Name      string
	Region    string
	Districts []string
	Lat, Lng  float64
}

// Towns are the places demo people live in: enough spread for regional
// views and "nearest group" searches in later capabilities.
var Towns = []Town{
	{"Hackney", "London", []string{"E5", "E8", "E9", "N16"}, 51.545, -0.055},
	{"Lewisham", "London", []string{"SE4", "SE6", "SE13", "SE23"}, 51.445, -0.020},
	{"Brixton", "London", []string{"SW2", "SW9"}, 51.462, -0.115},
	{"Manchester", "North West", []string{"M1", "M4", "M13", "M14", "M20"}, 53.480, -2.242},
	{"Salford", "North West", []string{"M3", "M5", "M6", "M7"}, 53.488, -2.291},
	{"Liverpool", "North West", []string{"L1", "L6", "L8", "L15", "L17"}, 53.408, -2.992},
	{"Leeds", "Yorkshire and the Humber", []string{"LS2", "LS6", "LS7", "LS8", "LS11"}, 53.800, -1.549},
	{"Sheffield", "Yorkshire and the Humber", []string{"S1", "S2", "S7", "S10", "S11"}, 53.381, -1.470},
	{"Hull", "Yorkshire and the Humber", []string{"HU1", "HU3", "HU5", "HU9"}, 53.744, -0.332},
	{"Newcastle upon Tyne", "North East", []string{"NE1", "NE2", "NE4", "NE6"}, 54.978, -1.617},
	{"Sunderland", "North East", []string{"SR1", "SR2", "SR4"}, 54.906, -1.383},
	{"Birmingham", "West Midlands", []string{"B5", "B12", "B13", "B29", "B30"}, 52.486, -1.890},
	{"Coventry", "West Midlands", []string{"CV1", "CV2", "CV5", "CV6"}, 52.406, -1.512},
	{"Nottingham", "East Midlands", []string{"NG1", "NG3", "NG7", "NG9"}, 52.954, -1.158},
	{"Leicester", "East Midlands", []string{"LE1", "LE2", "LE3", "LE5"}, 52.637, -1.140},
	{"Bristol", "South West", []string{"BS1", "BS2", "BS3", "BS5", "BS6"}, 51.455, -2.588},
	{"Plymouth", "South West", []string{"PL1", "PL2", "PL4"}, 50.376, -4.143},
	{"Brighton", "South East", []string{"BN1", "BN2", "BN3"}, 50.822, -0.137},
	{"Oxford", "South East", []string{"OX1", "OX3", "OX4"}, 51.752, -1.258},
	{"Norwich", "East of England", []string{"NR1", "NR2", "NR3"}, 52.630, 1.297},
	{"Cambridge", "East of England", []string{"CB1", "CB2", "CB4"}, 52.205, 0.122},
	{"Cardiff", "Wales", []string{"CF10", "CF11", "CF24"}, 51.481, -3.179},
	{"Swansea", "Wales", []string{"SA1", "SA2"}, 51.621, -3.944},
	{"Glasgow", "Scotland", []string{"G1", "G3", "G12", "G41"}, 55.864, -4.252},
	{"Edinburgh", "Scotland", []string{"EH1", "EH6", "EH8", "EH11"}, 55.953, -3.189},
	{"Dundee", "Scotland", []string{"DD1", "DD3"}, 56.462, -2.971},
	{"Belfast", "Northern Ireland", []string{"BT1", "BT7", "BT9"}, 54.597, -5.930},
}

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

// Person is one generated member of the demo network.
type Person struct {
	Name     string
	Email    string
	Town     string
	Region   string
	Postcode string
	Lat, Lng float64
	// Member is true for paying members; the rest are supporters.
	Member bool
}

// Network is a generated demo network.
type Network struct {
	Seed          uint64
	AdminEmail    string
	AdminPassword string
	People        []Person
}

// Generate builds a network of n people from seed. It is a pure function:
// the same arguments give the same network on every machine.
func Generate(seed uint64, n int) Network {
	r := rand.New(rand.NewPCG(seed, 0x6d6f6d656e74756d))
	nw := Network{Seed: seed, AdminEmail: "admin@momentum.example"}
	nw.AdminPassword = password(r)
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
			Name:     first + " " + last,
			Email:    local + "@example.org",
			Town:     town.Name,
			Region:   town.Region,
			Postcode: fmt.Sprintf("%s %d%c%c", district, r.IntN(10), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26))),
			Lat:      town.Lat + (r.Float64()-0.5)*0.04,
			Lng:      town.Lng + (r.Float64()-0.5)*0.06,
			Member:   r.IntN(100) < 55,
		}
		nw.People = append(nw.People, p)
	}
	return nw
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
