package actionsweb

import (
	"bytes"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestFormTokens(t *testing.T) {
	now := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tk := tokens{key: bytes.Repeat([]byte{7}, 32), now: clock}
	tok := tk.issue("act:fix-the-damp")
	now = now.Add(5 * time.Second)
	at, err := tk.check("act:fix-the-damp", tok)
	if err != nil || !at.Equal(now.Add(-5*time.Second)) {
		t.Fatalf("valid token: %v, %v", at, err)
	}
	other := tokens{key: bytes.Repeat([]byte{8}, 32), now: clock}
	for name, c := range map[string]struct{ subject, tok string }{
		"ErrOtherAction": {"act:other", tok},
		"ErrOtherKey":    {"act:fix-the-damp", other.issue("act:fix-the-damp")},
		"ErrEmpty":       {"act:fix-the-damp", ""},
		"ErrGarbage":     {"act:fix-the-damp", "x.y"},
		"ErrOtherTime":   {"act:fix-the-damp", "2" + tok[1:]},
		"ErrTampered":    {"act:fix-the-damp", tok[:len(tok)-2] + flip(tok[len(tok)-2:])},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := tk.check(c.subject, c.tok); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("check = %v, want errs.Invalid", err)
			}
		})
	}
	t.Run("ErrExpired", func(t *testing.T) {
		now = now.Add(tokenMaxAge)
		if _, err := tk.check("act:fix-the-damp", tok); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a day-old token: %v", err)
		}
	})
	t.Run("ErrFuture", func(t *testing.T) {
		future := tk.issue("act:fix-the-damp")
		now = now.Add(-time.Hour)
		if _, err := tk.check("act:fix-the-damp", future); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a token from the future: %v", err)
		}
	})
}

func TestFormNames(t *testing.T) {
	for in, want := range map[string]string{
		"answers.rooms": "a_rooms", "questions.3.label": "q_label_3", "questions.0": "q_key_0",
		"consent": "email_opt_in", "email": "email",
	} {
		if got := formName(in); got != want {
			t.Errorf("formName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountOf(t *testing.T) {
	for in, want := range map[string]int{"42": 42, ` {"count": 7} `: 7} {
		if got, ok := countOf(in); !ok || got != want {
			t.Errorf("countOf(%q) = %d, %v", in, got, ok)
		}
	}
	if _, ok := countOf(`{"other":1}`); ok {
		t.Errorf("countOf read a count from an event without one")
	}
}

func flip(s string) string {
	if s == "AA" {
		return "BB"
	}
	return "AA"
}
