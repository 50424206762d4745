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
			t.Errorf("%s has postcode %q", p.Name, p.Postcode)
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
