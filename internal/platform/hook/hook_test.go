package hook

import (
	"strings"
	"testing"
)

func TestHook(t *testing.T) {
	a, b := New[int]("a: number"), New[string]("b: word")
	err := Check(a, b)
	if err == nil || !strings.Contains(err.Error(), "a: number") || !strings.Contains(err.Error(), "b: word") {
		t.Fatalf("Check with two empty hooks: %v, want both named", err)
	}
	a.Set(7)
	if err := Check(a, b); err == nil || strings.Contains(err.Error(), "a: number") {
		t.Fatalf("Check with b empty: %v, want only b named", err)
	}
	b.Set("x")
	if err := Check(a, b); err != nil {
		t.Fatalf("Check with both set: %v", err)
	}
	if a.Get() != 7 || b.Get() != "x" {
		t.Fatalf("Get: %d %q", a.Get(), b.Get())
	}
	if err := Check(a, nil); err == nil {
		t.Fatal("Check accepted a nil hook")
	}
}

func TestHookPanics(t *testing.T) {
	t.Run("GetUnset", func(t *testing.T) {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "people: group joiner") {
				t.Fatalf("recovered %v, want a panic naming the hook", r)
			}
		}()
		New[int]("people: group joiner").Get()
	})
	t.Run("SetTwice", func(t *testing.T) {
		h := New[int]("twice")
		h.Set(1)
		defer func() {
			if r := recover(); r == nil {
				t.Fatal("second Set did not panic")
			}
		}()
		h.Set(2)
	})
}

func TestNeed(t *testing.T) {
	var nilPtr *int
	var nilFunc func()
	one := 1
	err := Need("x.NewService", "DB", nilPtr, "Log", &one, "Now", nilFunc, "Mail", nil, "Name", "")
	if err == nil || err.Error() != "x.NewService: missing DB, Now, Mail" {
		t.Fatalf("Need: %v", err)
	}
	if err := Need("x.NewService", "Log", &one); err != nil {
		t.Fatalf("Need with everything: %v", err)
	}
}
