package demo

import (
	"reflect"
	"regexp"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(42, 300), Generate(42, 300)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different networks")
	}
	c := Generate(43, 300)
	if reflect.DeepEqual(a.People, c.People) {
		t.Fatal("different seeds gave the same people")
	}
}

func TestGenerateLooksReal(t *testing.T) {
	nw := Generate(1, 2000)
	if len(nw.People) != 2000 {
		t.Fatalf("got %d people", len(nw.People))
	}
	postcode := regexp.MustCompile(`^[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}$`)
	emails := map[string]bool{}
	members := 0
	for _, p := range nw.People {
		if !postcode.MatchString(p.Postcode) {
			t.Errorf("%s has postcode %q", p.Name(), p.Postcode)
		}
		if emails[p.Email] {
			t.Errorf("email %s used twice", p.Email)
		}
		emails[p.Email] = true
		if p.Member {
			members++
		}
	}
	if members < 900 || members > 1300 {
		t.Errorf("%d members of 2000: the mix of members and supporters is off", members)
	}
	if len(nw.AdminPassword) < 12 {
		t.Errorf("admin password %q is too short", nw.AdminPassword)
	}
}

func TestGenerateGroups(t *testing.T) {
	nw := Generate(1, 20000)
	if len(nw.Regions) != 12 {
		t.Errorf("%d regions, want 12: %v", len(nw.Regions), nw.Regions)
	}
	local, working := 0, 0
	districts := map[string]string{}
	for _, g := range nw.Groups {
		switch g.Kind {
		case "local":
			local++
			if len(g.Districts) == 0 {
				t.Errorf("%s covers no district", g.Name)
			}
			for _, d := range g.Districts {
				if other, ok := districts[d]; ok {
					t.Errorf("district %s is in both %s and %s", d, other, g.Name)
				}
				districts[d] = g.Name
			}
		case "working":
			working++
		}
	}
	if local != 150 || working != 12 {
		t.Errorf("%d local and %d working groups, want 150 and 12", local, working)
	}
	organisers := map[int]int{}
	inGroups := 0
	for _, p := range nw.People {
		if len(p.Groups) > 0 {
			inGroups++
		}
		for _, m := range p.Groups {
			if m.Role == "organiser" {
				organisers[m.Group]++
			}
		}
	}
	if inGroups < 5000 {
		t.Errorf("only %d of 20000 people are in a group", inGroups)
	}
	if len(organisers) < 150 {
		t.Errorf("only %d groups have organisers", len(organisers))
	}
}
