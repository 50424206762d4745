package roundchart

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/tally"
)

func TestPercent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b int64
		want string
	}{
		{"Whole", 14, 20, "70%"},
		{"TruncatesTenths", 2, 3, "66.6%"},
		{"NoneOfNone", 0, 0, "—"},
		{"All", 5, 5, "100%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percent(tc.a, tc.b); got != tc.want {
				t.Errorf("percent(%d, %d) = %q, want %q", tc.a, tc.b, got, tc.want)
			}
		})
	}
	if got := fixedPercent(tally.FixedUnits(6667, 4)); got != "66.6%" {
		t.Errorf("fixedPercent(0.6667) = %q, want 66.6%%", got)
	}
}

func TestFit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		s     string
		width float64
		cut   bool
	}{
		{"ShortNameUntouched", "Ama Osei", 200, false},
		{"LongNameCut", strings.Repeat("Featherstonehaugh ", 5), 200, true},
		{"WideScriptCut", strings.Repeat("王", 20), 200, true},
		{"CombiningMarkKept", strings.Repeat("e\u0301", 40), 100, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fit(tc.s, tc.width, nameSize, false)
			if tc.cut != (got != tc.s) {
				t.Fatalf("fit(%q) = %q, cut %v, want cut %v", tc.s, got, got != tc.s, tc.cut)
			}
			if !tc.cut {
				return
			}
			if !strings.HasSuffix(got, ellipsis) || !strings.HasPrefix(tc.s, strings.TrimSuffix(got, ellipsis)) {
				t.Errorf("fit(%q) = %q, want a prefix ended with an ellipsis", tc.s, got)
			}
			if w := textWidth(got, nameSize, false); w > tc.width {
				t.Errorf("cut text is %.0f wide, more than %.0f", w, tc.width)
			}
			if strings.HasSuffix(strings.TrimSuffix(got, ellipsis), "e") && strings.Contains(tc.s, "\u0301") {
				t.Errorf("fit(%q) = %q separates a letter from its accent", tc.s, got)
			}
		})
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		items []string
		want  string
	}{
		{"None", nil, ""},
		{"One", []string{"Ama"}, "Ama"},
		{"Two", []string{"Ama", "Ben"}, "Ama and Ben"},
		{"Three", []string{"Ama", "Ben", "Cara"}, "Ama, Ben and Cara"},
		{"ItemsWithAnd", []string{"Tue with 4 yes and 3 if need be", "Sat with 3 yes and 2 if need be"}, "Tue with 4 yes and 3 if need be; and Sat with 3 yes and 2 if need be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.items); got != tc.want {
				t.Errorf("list(%q) = %q, want %q", tc.items, got, tc.want)
			}
		})
	}
}
